// What the end-to-end tests of runtime changes share (e2e-runtime-change: two wasmtime builds, verdicts on
// measured time; e2e-runtime-change-builds: installs, stored builds and versions, no timing): the program, the
// workspace, the gate's inputs and readers of the JSON report.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunReport } from '../../src/report/types.js';
import { gateInputs, pullRequestPayload, runAction, scratchDir, type ActionRun } from './run-action.js';

export const FAST = '__tests__/fixtures/measure/fibonacci-x1.wasm';

export function workspace(perfYml: string, wasm = FAST): string {
  const ws = scratchDir('runtime-change-');
  mkdirSync(join(ws, 'build'), { recursive: true });
  mkdirSync(join(ws, 'perf'), { recursive: true });
  copyFileSync(wasm, join(ws, 'build/fib.wasm'));
  writeFileSync(join(ws, 'perf.yml'), perfYml);
  return ws;
}

export const reportOf = (r: ActionRun): RunReport => {
  assert.ok(r.outputs['report-json'], `no report-json output:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(r.outputs['report-json'], 'utf8')) as RunReport;
};

export const lines = (report: RunReport) =>
  report.verdicts.map((v) => `${v.benchmark} ${v.runtime} ${v.metric} ${v.kind} ${v.ratio?.toFixed(3)}`).join('\n');

export const gate = (ws: string, extra: Record<string, string> = {}) =>
  runAction({
    workspace: ws,
    inputs: gateInputs({ config: 'perf.yml', comment: 'false', ...extra }),
    eventName: 'pull_request',
    payload: pullRequestPayload(),
  });

export const fibBench = (n: number) => `benchmarks:\n  - { name: fib, artifact: build/fib.wasm, args: [${n}] }\n`;
