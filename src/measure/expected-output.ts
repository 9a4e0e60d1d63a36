// Checked output: what a benchmark must print, from `expect-stdout:` / `expect-stderr:` or, as sightglass
// does, from `<stem>.stdout.expected` / `<stem>.stderr.expected` (else `default.*.expected`) beside the module.
// A run that prints something else is `wrong output`: never timed, never `improved` (a broken program that
// exits early would otherwise read as faster).
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative } from 'node:path';
import { InputError } from '../model/input-error.js';
import { EXPECTED_OUTPUT_LIMIT_BYTES } from '../config/input-file.js';
import type { BenchmarkSpec, ExpectedOutputSpec } from '../model/plan.js';

export { EXPECTED_OUTPUT_LIMIT_BYTES };

/** After an arm's first run, one run in this many is checked again (outside the timed window). */
export const CHECK_EVERY = 10;
/** Differing lines quoted in a `wrong output` message, and characters per quoted line. */
const DIFF_LINES = 3;
const QUOTE_CHARS = 120;

export type Stream = 'stdout' | 'stderr';

export interface Expectation {
  stream: Stream;
  /** where it came from, for messages: a workspace-relative file or `expect-stdout: { regex }` */
  source: string;
  text?: string;
  regex?: RegExp;
}

export interface ExpectedOutput {
  stdout?: Expectation;
  stderr?: Expectation;
}

const show = (workspace: string, file: string) => {
  const rel = relative(workspace, file);
  return rel.startsWith('..') ? file : rel;
};

/** Reads a file of at most the limit, as UTF-8; undefined when it does not exist. Throws InputError otherwise. */
async function readExpectedFile(
  bench: BenchmarkSpec,
  file: string,
  shown: string,
  key: string,
): Promise<string | undefined> {
  const problem = (what: string, fix: string) =>
    new InputError(`benchmark ${bench.id}`, `${key} ${shown} ${what}`, fix);
  let handle;
  try {
    handle = await open(file, 'r');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw problem(`cannot be read: ${(e as Error).message}`, 'Make it a readable regular file.');
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw problem('is not a regular file', 'Point it at a regular file.');
    if (stat.size > EXPECTED_OUTPUT_LIMIT_BYTES)
      throw problem(
        `is ${stat.size} bytes, over the ${EXPECTED_OUTPUT_LIMIT_BYTES / 1024 ** 2} MiB limit for compared output`,
        'Have the program print a digest or a summary of its result instead of the whole result.',
      );
    const bytes = Buffer.alloc(stat.size);
    await handle.read(bytes, 0, stat.size, 0);
    try {
      return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
    } catch {
      throw problem('is not UTF-8 text', 'Save it as UTF-8 (program output is compared as text, line by line).');
    }
  } finally {
    await handle.close();
  }
}

async function expectationFor(bench: BenchmarkSpec, stream: Stream, workspace: string) {
  const key = `expect-${stream}`;
  const spec: ExpectedOutputSpec | undefined = stream === 'stdout' ? bench.expectStdout : bench.expectStderr;
  if (spec && 'text' in spec) return { stream, source: spec.source, text: spec.text };
  if (spec && 'regex' in spec)
    return { stream, source: `${key}: { regex: ${spec.regex} }`, regex: new RegExp(spec.regex, 'm') };
  if (spec) {
    const shown = show(workspace, spec.file);
    const text = await readExpectedFile(bench, spec.file, shown, `${key}:`);
    if (text === undefined)
      throw new InputError(
        `benchmark ${bench.id}`,
        `${key}: ${shown} does not exist`,
        'Commit the expected output (e.g. run the program once and save what it printed) or fix the path.',
      );
    return { stream, source: shown, text };
  }
  // The sightglass convention: beside the module, named after it, else the folder's default.
  const dir = dirname(bench.artifact);
  const stem = basename(bench.artifact).replace(/\.wasm$/, '');
  for (const name of [`${stem}.${stream}.expected`, `default.${stream}.expected`]) {
    const file = join(dir, name);
    const shown = show(workspace, file);
    const text = await readExpectedFile(bench, file, shown, 'expected output');
    if (text !== undefined) return { stream, source: shown, text };
  }
  return undefined;
}

/** The benchmark's expected stdout and stderr, read and checked once before any run; InputError on a bad file. */
export async function expectedOutput(bench: BenchmarkSpec, workspace: string): Promise<ExpectedOutput> {
  const stdout = await expectationFor(bench, 'stdout', workspace);
  const stderr = await expectationFor(bench, 'stderr', workspace);
  return { ...(stdout ? { stdout } : {}), ...(stderr ? { stderr } : {}) };
}

/** Lines as sightglass compares them: CRLF as LF, trailing whitespace and trailing empty lines ignored. Pure. */
function linesOf(text: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trimEnd());
  while (lines.length > 0 && lines.at(-1) === '') lines.pop();
  return lines;
}

const quoteLine = (l: string | undefined) =>
  l === undefined ? '(nothing)' : JSON.stringify(l.length > QUOTE_CHARS ? `${l.slice(0, QUOTE_CHARS)}…` : l);

/** Why `actual` does not match, as a short diff; undefined when it matches. `actual` undefined: it was too long. Pure. */
export function outputMismatch(e: Expectation, actual: string | undefined, actualBytes?: number): string | undefined {
  if (actual === undefined)
    return `${e.stream} was ${actualBytes ?? 'more than'} bytes, longer than any expected output (${EXPECTED_OUTPUT_LIMIT_BYTES / 1024 ** 2} MiB at most)`;
  if (e.regex) return e.regex.test(actual) ? undefined : `${e.stream} does not match ${e.source}`;
  const want = linesOf(e.text ?? '');
  const got = linesOf(actual);
  const diffs: string[] = [];
  let count = 0;
  for (let i = 0; i < Math.max(want.length, got.length); i++) {
    if (want[i] === got[i]) continue;
    count++;
    if (diffs.length < DIFF_LINES)
      diffs.push(`line ${i + 1}: expected ${quoteLine(want[i])}, got ${quoteLine(got[i])}`);
  }
  if (count === 0) return undefined;
  const more = count > diffs.length ? `; ${count - diffs.length} more differing lines` : '';
  return `${e.stream} differs from ${e.source} (${want.length} lines expected, ${got.length} printed): ${diffs.join('; ')}${more}`;
}

/** Whether an arm's `n`-th run (0-based, warm-ups included) is checked: the first, then one in CHECK_EVERY. */
export const checkedRun = (n: number): boolean => n % CHECK_EVERY === 0;

/** The check of one finished run's output, or undefined when nothing is expected. */
export function outputCheck(
  expected: ExpectedOutput,
):
  | ((o: {
      stdoutFull?: string;
      stderrFull?: string;
      stdoutBytes?: number;
      stderrBytes?: number;
    }) => string | undefined)
  | undefined {
  const { stdout, stderr } = expected;
  if (!stdout && !stderr) return undefined;
  return (o) =>
    (stdout && outputMismatch(stdout, o.stdoutFull, o.stdoutBytes)) ??
    (stderr && outputMismatch(stderr, o.stderrFull, o.stderrBytes)) ??
    undefined;
}
