// The fault catalogue's common ground: a workspace holding a previous baseline, fast inputs, one run of the
// bundled action per case (timed, for scripts/fault-times.mjs), and the checks every case makes: exit code,
// one error line naming the input and the fix, summary written, previous baseline byte-identical.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import {
  pullRequestPayload,
  pushPayload,
  runAction,
  scratchDir,
  type ActionRun,
  type ActionRunInput,
} from './run-action.js';

export const ADD_ONE = 'examples/wasm/add-one.wasm';
export const TRAP = '__tests__/fixtures/measure/trap.wasm';
export const FAULTS = '__tests__/fixtures/faults';
export const BASELINE_REL = 'perf/baseline.json';

/** Few runs and a wide threshold: the cases are about faults, never about a close verdict. */
export const FAST_INPUTS: Record<string, string> = {
  artifacts: 'build/*.wasm',
  'baseline-path': BASELINE_REL,
  'min-runs': '2',
  'max-runs': '3',
  warmup: '0',
  threshold: '50%',
  comment: 'false',
  'check-run': 'false',
  'github-token': 'ghs_fault_token',
};

/** The event half of a run: a pull request (the default) or a push to the default branch. */
export const PR = { eventName: 'pull_request', payload: pullRequestPayload() };
export const PUSH = { eventName: 'push', payload: pushPayload() };

let previous: Promise<Buffer> | undefined;

/** The bytes of a real baseline of build/add-one.wasm, made once per test file by a push run. */
export function previousBaseline(): Promise<Buffer> {
  previous ??= (async () => {
    const ws = scratchDir('fault-base-');
    mkdirSync(join(ws, 'build'));
    copyFileSync(ADD_ONE, join(ws, 'build/add-one.wasm'));
    const r = await runAction({ workspace: ws, inputs: FAST_INPUTS, ...PUSH });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    return readFileSync(join(ws, BASELINE_REL));
  })();
  return previous;
}

/** A workspace with build/add-one.wasm (plus `files`: workspace path → source file or bytes) and the previous baseline. */
export async function faultWorkspace(files: Record<string, string | Uint8Array> = {}): Promise<string> {
  const ws = scratchDir('fault-ws-');
  mkdirSync(join(ws, 'build'));
  mkdirSync(join(ws, 'perf'));
  copyFileSync(ADD_ONE, join(ws, 'build/add-one.wasm'));
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(join(ws, to, '..'), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, join(ws, to));
    else writeFileSync(join(ws, to), from);
  }
  writeFileSync(join(ws, BASELINE_REL), await previousBaseline());
  return ws;
}

export interface FaultRun extends ActionRun {
  ms: number;
  errors: string[];
  warnings: string[];
}

/** Runs the bundled action; its exit code and time become a test diagnostic (read by scripts/fault-times.mjs). */
export async function runFault(t: TestContext, a: ActionRunInput): Promise<FaultRun> {
  const started = Date.now();
  const r = await runAction(a);
  const ms = Date.now() - started;
  t.diagnostic(`fault-run exit=${r.code} ms=${ms}`);
  const lines = r.stdout.split('\n');
  return {
    ...r,
    ms,
    errors: lines.filter((l) => l.startsWith('::error')),
    warnings: lines.filter((l) => l.startsWith('::warning')),
  };
}

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\-]/g, '\\$&');

/** Exactly one error line, starting with `input` and matching `fix`. */
export function assertOneError(r: FaultRun, input: string, fix: RegExp): void {
  assert.equal(r.errors.length, 1, `one error line expected:\n${r.errors.join('\n')}\n${r.stdout.slice(-2000)}`);
  assert.match(r.errors[0]!, new RegExp(`^::error::${escapeRegExp(input)}: `), 'the error line names the input');
  assert.match(r.errors[0]!, fix, 'the error line says what to do');
}

/** A warning line that names `what` and says what to do. */
export function assertWarning(r: FaultRun, what: RegExp): void {
  assert.ok(
    r.warnings.some((w) => what.test(w)),
    `no warning matching ${what}:\n${r.warnings.join('\n')}\n${r.stdout.slice(-1500)}`,
  );
}

/** The baseline the workspace started with is still there, byte for byte, with no half-written file beside it. */
export async function assertBaselineKept(ws: string): Promise<void> {
  const path = join(ws, BASELINE_REL);
  assert.ok(existsSync(path), 'the previous baseline is still there');
  assert.ok(readFileSync(path).equals(await previousBaseline()), 'the previous baseline is byte-identical');
  const temps = readdirSync(join(ws, 'perf')).filter((n) => n.endsWith('.tmp'));
  assert.deepEqual(temps, [], 'no half-written baseline beside it');
}

export function assertSummary(r: FaultRun, ...mentions: RegExp[]): void {
  assert.ok(r.summary.trim().length > 0, `the summary was written\n${r.stdout.slice(-1500)}`);
  for (const m of mentions) assert.match(r.summary, m);
}

/** The checks of a run stopped by one bad input: exit code, the error line, the summary, the baseline. */
export async function assertInputFault(
  r: FaultRun,
  ws: string,
  expect: { code?: number; input: string; fix: RegExp; summary?: RegExp },
): Promise<void> {
  assert.equal(r.code, expect.code ?? 1, `${r.stdout}\n${r.stderr}`);
  assertOneError(r, expect.input, expect.fix);
  assertSummary(r, ...(expect.summary ? [expect.summary] : []));
  await assertBaselineKept(ws);
}

/** Live processes whose command line mentions `needle` (e.g. a workspace path), from /proc. */
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
