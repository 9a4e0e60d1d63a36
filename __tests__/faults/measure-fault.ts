// Shared by the measure-* fault cases: a workspace holding a real previous baseline (made once per file by
// a baseline run of the bundled action), one run of dist/index.js per case, and the checks every case makes.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  pullRequestPayload,
  pushPayload,
  runAction,
  scratchDir,
  type ActionRun,
  type ActionRunInput,
} from '../helpers/run-action.js';

export const FIXTURES = '__tests__/fixtures/faults';
export const BASELINE = 'perf/baseline.json';

export const inputs = (extra: Record<string, string> = {}) => ({
  artifacts: 'build/*.wasm',
  'baseline-path': BASELINE,
  comment: 'false',
  warmup: '0',
  'min-runs': '2',
  'max-runs': '3',
  ...extra,
});

let seed: Promise<Buffer> | undefined;

/** The bytes of a real baseline of build/fibonacci.wasm, measured once per test file. */
function seedBaseline(): Promise<Buffer> {
  seed ??= (async () => {
    const ws = scratchDir('fault-seed-');
    mkdirSync(join(ws, 'build'));
    copyFileSync('examples/wasm/fibonacci.wasm', join(ws, 'build/fibonacci.wasm'));
    const r = await runAction({ workspace: ws, inputs: inputs(), eventName: 'push', payload: pushPayload() });
    assert.equal(r.code, 0, r.stdout);
    return readFileSync(join(ws, BASELINE));
  })();
  return seed;
}

export interface FaultWorkspace {
  ws: string;
  baseline: Buffer;
}

/** A workspace with build/fibonacci.wasm and its previous baseline; `files` adds more (path → source file or bytes). */
export async function faultWorkspace(files: Record<string, string | Uint8Array> = {}): Promise<FaultWorkspace> {
  const baseline = await seedBaseline();
  const ws = scratchDir('fault-');
  mkdirSync(join(ws, 'build'));
  mkdirSync(join(ws, 'perf'));
  copyFileSync('examples/wasm/fibonacci.wasm', join(ws, 'build/fibonacci.wasm'));
  writeFileSync(join(ws, BASELINE), baseline);
  for (const [rel, from] of Object.entries(files)) {
    mkdirSync(join(ws, rel, '..'), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, join(ws, rel));
    else writeFileSync(join(ws, rel), from);
  }
  return { ws, baseline };
}

export const timings: [string, number][] = [];

/** One run of the bundled action on a pull request (or a push with `event: 'push'`), timed. */
export async function runCase(
  name: string,
  f: FaultWorkspace,
  extra: Record<string, string> = {},
  opts: { event?: 'push' | 'pull_request'; onStart?: ActionRunInput['onStart'] } = {},
): Promise<ActionRun> {
  const start = Date.now();
  const push = opts.event === 'push';
  const r = await runAction({
    workspace: f.ws,
    inputs: inputs(extra),
    eventName: push ? 'push' : 'pull_request',
    payload: push ? pushPayload() : pullRequestPayload(),
    ...(opts.onStart ? { onStart: opts.onStart } : {}),
  });
  timings.push([name, Date.now() - start]);
  return r;
}

export function errorLines(r: ActionRun): string[] {
  return r.stdout.split('\n').filter((l) => l.startsWith('::error'));
}

/** The checks every fault case makes: exit code, one error line naming the input and the fix, summary, baseline. */
export function assertFault(
  r: ActionRun,
  f: FaultWorkspace,
  expect: { code?: number; input: RegExp; fix: RegExp; summary?: RegExp },
): void {
  const context = `stdout:\n${r.stdout}\nstderr:\n${r.stderr}\nsummary:\n${r.summary}`;
  if (expect.code === undefined) assert.notEqual(r.code, 0, context);
  else assert.equal(r.code, expect.code, context);
  const errors = errorLines(r);
  assert.equal(errors.length, 1, `exactly one error line:\n${context}`);
  assert.match(errors[0]!, expect.input, 'the error line names the input');
  assert.match(errors[0]!, expect.fix, 'the error line says what to do');
  assert.ok(r.summary.trim().length > 0, `the job summary was written:\n${context}`);
  if (expect.summary) assert.match(r.summary, expect.summary);
  assertBaselineKept(f);
}

export function assertBaselineKept(f: FaultWorkspace): void {
  assert.ok(readFileSync(join(f.ws, BASELINE)).equals(f.baseline), 'the previous baseline is byte-identical');
  const strays = readdirSync(join(f.ws, 'perf')).filter((n) => n !== 'baseline.json');
  assert.deepEqual(strays, [], 'no half-written baseline beside it');
}

/** Processes whose command line mentions `needle` (e.g. a workspace path), from /proc. */
export function processesMentioning(needle: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      const state = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1]?.[0];
      if (cmdline.includes(needle) && state !== 'Z') pids.push(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

export function printTimings(file: string): void {
  if (!timings.length) return;
  const rows = timings.map(([n, ms]) => `#   ${(ms / 1000).toFixed(1).padStart(6)} s  ${n}`);
  process.stdout.write(`# fault case times (${file}):\n${rows.join('\n')}\n`);
}
