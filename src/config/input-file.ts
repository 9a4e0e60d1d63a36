// Files the config names are untrusted (the config comes from the PR branch): a FIFO would block the
// read forever, /dev/zero never ends, a symlink could point anywhere. Only regular files of bounded size pass.
import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { InputError } from '../model/input-error.js';

/** Largest file accepted as a benchmark's standard input. */
export const STDIN_LIMIT_BYTES = 64 * 1024 * 1024;
/** An expected-output file (`expect-stdout`, `<stem>.stdout.expected`): output is compared in memory. Sightglass's
 * pulldown-cmark expects 1.2 MB of HTML on stderr, so 1 MiB refused one of its three default benchmarks. */
export const EXPECTED_OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;
/** Largest config file read. */
export const CONFIG_LIMIT_BYTES = 1024 * 1024;

export interface InputFileRule {
  /** the input or config key, named in errors */
  input: string;
  /** what the file is for, e.g. "standard input" */
  what: string;
  maxBytes: number;
  /** the real path must lie inside this directory */
  within?: string;
  fix: string;
}

export const mib = (n: number) => `${(n / 1024 / 1024).toFixed(2).replace(/\.?0+$/, '')} MiB`;

/** Resolves `path` (symlinks included) and checks it is a regular file within the rule; returns the real path. */
export async function checkInputFile(path: string, given: string, rule: InputFileRule): Promise<string> {
  const fail = (problem: string): never => {
    throw new InputError(rule.input, `${given}: ${problem}`, rule.fix);
  };
  let real: string;
  try {
    real = await realpath(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    return fail(code === 'ENOENT' ? 'no such file' : `cannot be read (${code ?? String(e)})`);
  }
  if (rule.within !== undefined && !inside(rule.within, real)) fail('lies outside the workspace');
  const info = await stat(real);
  if (!info.isFile()) fail(`is ${kindOf(info)}, not a regular file`);
  if (info.size > rule.maxBytes) fail(`is ${mib(info.size)}, over the ${mib(rule.maxBytes)} limit for ${rule.what}`);
  return real;
}

export function inside(dir: string, file: string): boolean {
  const rel = relative(dir, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
}

export function kindOf(info: Awaited<ReturnType<typeof stat>>): string {
  if (info.isDirectory()) return 'a directory';
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}
