// The history file kept on the `history: branch:NAME` branch (pure): its name, its text, and the one entry
// point that turns untrusted text from the branch into histories — anything wrong is a `problem`, never a throw.
import { z } from 'zod';
import { cacheKeyStem } from '../baseline/cache-key.js';
import { oneLine } from '../baseline/one-line.js';
import type { Platform } from '../baseline/platform.js';
import { cellHistorySchema } from '../baseline/schema.js';
import type { CellHistory } from '../model/history.js';

export const HISTORY_FILE_SCHEMA = 'wasm-perf-gate/history';
/** Read from a branch anyone with `contents: write` can push to, so the size is capped before parsing. */
export const HISTORY_FILE_MAX_BYTES = 16 * 2 ** 20;

export interface HistoryFile {
  schema: typeof HISTORY_FILE_SCHEMA;
  version: 1;
  /** the baseline-key and platform the file belongs to (one file each) */
  key: string;
  platform: string;
  updatedAt: string;
  history: CellHistory[];
}

const historyFileSchema = z.object({
  schema: z.literal(HISTORY_FILE_SCHEMA),
  version: z.literal(1),
  key: z.string(),
  platform: z.string(),
  updatedAt: z.iso.datetime(),
  history: z.array(cellHistorySchema),
}) satisfies z.ZodType<HistoryFile>;

/** `<baseline-key>-<os>-<arch>.json`, flat at the branch root; characters a path could misread become `_`. */
export function historyFileName(baselineKey: string, platform: Platform): string {
  const stem = cacheKeyStem(baselineKey, platform).replace(/-$/, '');
  return `${stem.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\./, '_')}.json`;
}

/** One cell per line: a refresh's commit diff shows which cells changed, and the file stays compact. */
export function historyFileText(file: Omit<HistoryFile, 'schema' | 'version'>): string {
  const { history, ...rest } = file;
  const head = JSON.stringify({ schema: HISTORY_FILE_SCHEMA, version: 1, ...rest }).slice(0, -1);
  return `${head},"history":[\n${history.map((c) => JSON.stringify(c)).join(',\n')}\n]}\n`;
}

/** Untrusted text → histories, or a one-line problem (the caller treats the file as absent). */
export function parseHistoryFile(text: string, where: string): { history?: CellHistory[]; problem?: string } {
  if (Buffer.byteLength(text) > HISTORY_FILE_MAX_BYTES)
    return { problem: `${where} is larger than ${HISTORY_FILE_MAX_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problem: `${where} is not valid JSON (${oneLine(e)})` };
  }
  const result = historyFileSchema.safeParse(raw);
  if (result.success) return { history: result.data.history };
  const issue = result.error.issues[0]!;
  return {
    problem: `${where} is not a wasm-perf-gate history file (${issue.path.join('.') || '(file)'}: ${oneLine(issue.message)})`,
  };
}
