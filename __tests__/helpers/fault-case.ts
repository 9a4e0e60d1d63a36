// The fault catalogue's common ground: a workspace holding a previous baseline, fast inputs, and the checks
// every case makes (exit code, one error line naming the input, summary written, baseline byte-identical).
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import { pushPayload, runAction, scratchDir, type ActionRun, type ActionRunInput } from './run-action.js';

export const ADD_ONE = 'examples/wasm/add-one.wasm';
export const TRAP = '__tests__/fixtures/measure/trap.wasm';
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

let previous: Buffer | undefined;

/** The bytes of a real baseline of build/add-one.wasm, made once per test file by a push run. */
export async function previousBaseline(): Promise<Buffer> {
  if (previous) return previous;
  const ws = scratchDir('fault-base-');
  mkdirSync(join(ws, 'build'));
  copyFileSync(ADD_ONE, join(ws, 'build/add-one.wasm'));
  const r = await runAction({ workspace: ws, inputs: FAST_INPUTS, eventName: 'push', payload: pushPayload() });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  previous = readFileSync(join(ws, BASELINE_REL));
  return previous;
}

/** A workspace with build/add-one.wasm (plus `files`: workspace path → source file) and the previous baseline. */
export async function faultWorkspace(files: Record<string, string> = {}): Promise<string> {
  const ws = scratchDir('fault-ws-');
  mkdirSync(join(ws, 'build'));
  mkdirSync(join(ws, 'perf'));
  copyFileSync(ADD_ONE, join(ws, 'build/add-one.wasm'));
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(join(ws, to, '..'), { recursive: true });
    copyFileSync(from, join(ws, to));
  }
  writeFileSync(join(ws, BASELINE_REL), await previousBaseline());
  return ws;
}

export interface FaultRun extends ActionRun {
  ms: number;
  errors: string[];
  warnings: string[];
}

/** Runs the bundled action and reports the case's time as a test diagnostic (collected for the note). */
export async function runFault(t: TestContext, a: ActionRunInput): Promise<FaultRun> {
  const started = Date.now();
  const r = await runAction(a);
  const ms = Date.now() - started;
  t.diagnostic(`fault-time ${ms} ms`);
  const lines = r.stdout.split('\n');
  return {
    ...r,
    ms,
    errors: lines.filter((l) => l.startsWith('::error')),
    warnings: lines.filter((l) => l.startsWith('::warning')),
  };
}

/** Exactly one error line, naming `input` and matching `fix`. */
export function assertOneError(r: FaultRun, input: string, fix: RegExp): void {
  assert.equal(r.errors.length, 1, `one error line expected:\n${r.errors.join('\n')}\n${r.stdout.slice(-2000)}`);
  assert.match(r.errors[0]!, new RegExp(`^::error::${input.replace(/[-.]/g, '\\$&')}: `));
  assert.match(r.errors[0]!, fix);
}

/** A warning line that names `what` and says what to do. */
export function assertWarning(r: FaultRun, what: RegExp): void {
  assert.ok(
    r.warnings.some((w) => what.test(w)),
    `no warning matching ${what}:\n${r.warnings.join('\n')}\n${r.stdout.slice(-1500)}`,
  );
}

/** The baseline the workspace started with is still there, byte for byte. */
export async function assertBaselineKept(ws: string): Promise<void> {
  const path = join(ws, BASELINE_REL);
  assert.ok(existsSync(path), 'the previous baseline is still there');
  assert.ok(readFileSync(path).equals(await previousBaseline()), 'the previous baseline is byte-identical');
}

export function assertSummary(r: FaultRun, ...mentions: RegExp[]): void {
  assert.ok(r.summary.trim().length > 0, `the summary was written\n${r.stdout.slice(-1500)}`);
  for (const m of mentions) assert.match(r.summary, m);
}
