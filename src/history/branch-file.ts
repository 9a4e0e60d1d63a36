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

/**
 * The file's text, never larger than the HISTORY_FILE_MAX_BYTES a refresh reads back: when every cell's points
 * would not fit, each cell keeps only its newest `kept` points (the largest count that fits; change points and
 * pending splits whose first point went go with it). Pure. Without this, an over-size file would be read as
 * absent by the next refresh, and main's history lost with the next cache eviction.
 */
export function boundedHistoryFileText(
  file: Omit<HistoryFile, 'schema' | 'version'>,
  maxBytes = HISTORY_FILE_MAX_BYTES,
): { text: string; kept?: number; dropped?: number } {
  const text = historyFileText(file);
  if (Buffer.byteLength(text) <= maxBytes) return { text };
  // Bytes per point and per cell without points, so a count's size is a sum, not a serialisation.
  const pointBytes = file.history.map((c) => c.points.map((p) => Buffer.byteLength(JSON.stringify(p)) + 1));
  const emptyText = historyFileText({ ...file, history: file.history.map((c) => withNewest(c, 0)) });
  const fixed = Buffer.byteLength(emptyText);
  const size = (k: number) =>
    fixed +
    pointBytes.reduce((sum, bytes) => sum + bytes.slice(Math.max(0, bytes.length - k)).reduce((a, b) => a + b, 0), 0);
  let lo = 0;
  let hi = Math.max(0, ...file.history.map((c) => c.points.length));
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (size(mid) <= maxBytes) lo = mid;
    else hi = mid - 1;
  }
  const history = file.history.map((c) => withNewest(c, lo)).filter((c) => c.points.length > 0);
  let bounded = historyFileText({ ...file, history });
  // Not even one point per cell fits (tens of thousands of cells): keep the cells that do, first come first.
  while (Buffer.byteLength(bounded) > maxBytes && history.length > 0) {
    history.splice(Math.floor(history.length * 0.9));
    bounded = historyFileText({ ...file, history });
  }
  return { text: bounded, kept: lo, dropped: file.history.length - history.length };
}

function withNewest(cell: CellHistory, k: number): CellHistory {
  const points = k === 0 ? [] : cell.points.slice(-k);
  const present = new Set(points.map((p) => p.date));
  const out: CellHistory = { benchmark: cell.benchmark, runtime: cell.runtime, metric: cell.metric, points };
  const changePoints = cell.changePoints?.filter((d) => present.has(d)) ?? [];
  if (changePoints.length > 0) out.changePoints = changePoints;
  const pending = cell.pending?.filter((p) => present.has(p.date)) ?? [];
  if (pending.length > 0) out.pending = pending;
  return out;
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
