// The baseline as a JSON file (local runs, tests, or a baseline committed to the repo).
// Saving is atomic: the new document is written beside the old one and renamed over it,
// so a crash or a full disk mid-save leaves the previous baseline intact.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { kindOf, mib } from '../config/input-file.js';
import { oneLine } from './one-line.js';
import { baselineDocProblem, parseBaseline, REFRESH } from './schema.js';
import type { BaselineDoc, BaselineLoad } from './types.js';

/** Largest baseline file read: V8 cannot hold a longer string, so JSON.parse could never take it. */
export const BASELINE_FILE_LIMIT_BYTES = 512 * 1024 * 1024;

/** `refresh`: how to make a new baseline where this runs (the workflow's default-branch run, or the CLI's command). */
export async function loadBaselineFile(path: string, refresh = REFRESH): Promise<BaselineLoad> {
  const source = { kind: 'file', location: path } as const;
  let text: string;
  try {
    // A PR can write this path: stat before reading, since a FIFO would block the read for ever.
    const info = await stat(path);
    const problem = !info.isFile()
      ? `is ${kindOf(info)}, not a regular file`
      : info.size > BASELINE_FILE_LIMIT_BYTES
        ? `is ${mib(info.size)}, over the ${mib(BASELINE_FILE_LIMIT_BYTES)} limit for a baseline file`
        : undefined;
    if (problem) return { warning: `baseline-path: ${path} ${problem}; point it at a JSON baseline file`, source };
    text = await readFile(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { note: `no baseline at ${path} yet: a run in baseline mode creates it`, source };
    return {
      warning: `cannot read the baseline at ${path} (${oneLine(e)}): check the path and its permissions`,
      source,
    };
  }
  const { doc, problem } = parseBaseline(text, `baseline at ${path}`);
  return problem ? { warning: problem.replaceAll(REFRESH, refresh), source } : { doc: doc!, source };
}

/** Writes `doc` to `path` atomically; throws (with the old file untouched) if it cannot. */
export async function saveBaselineFile(path: string, doc: BaselineDoc): Promise<void> {
  const problem = baselineDocProblem(doc);
  if (problem) throw new Error(`refusing to save an invalid baseline to ${path}: ${problem}`);
  const text = serialize(doc, path);
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeDurably(temp, text);
    await rename(temp, path);
  } catch (e) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw new Error(`could not save the baseline to ${path} (${oneLine(e)}); the previous baseline is unchanged`, {
      cause: e,
    });
  }
  await syncDirectory(dirname(path));
}

function serialize(doc: BaselineDoc, path: string): string {
  try {
    return JSON.stringify(doc, null, 2) + '\n';
  } catch (e) {
    throw new Error(`cannot serialize the baseline for ${path} (${oneLine(e)}); the previous baseline is unchanged`, {
      cause: e,
    });
  }
}

/** Write + fsync, so the rename never exposes a file whose bytes are still only in the page cache. */
async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await open(file, 'wx');
  try {
    await handle.writeFile(text, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Persists the rename itself; best effort (not every platform can open a directory). */
async function syncDirectory(dir: string): Promise<void> {
  try {
    const handle = await open(dir, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  } catch {
    // Windows cannot fsync a directory; the rename is still atomic there.
  }
}
