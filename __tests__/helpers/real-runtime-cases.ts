// What the end-to-end tests of the real runtimes share (e2e-real-runtimes: A/A and 4× verdicts, timing-
// sensitive; e2e-real-runtimes-outcomes: failures and metrics, not): the programs, each runtime's variants and
// trap exit code, the config and workspace builders, and readers of the JSON report.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../../src/model/verdict.js';
import type { CellMeasurement } from '../../src/model/measurement.js';
import type { RunReport } from '../../src/report/types.js';
import { requireExe, type RealName } from './real-runtimes.js';
import { scratchDir, type ActionRun } from './run-action.js';

export const FAST = '__tests__/fixtures/measure/fibonacci-x1.wasm';
export const SLOW = '__tests__/fixtures/measure/fibonacci-x4.wasm'; // fib(N) four times (see the fixture README)
export const TRAP = '__tests__/fixtures/measure/trap.wasm';
export const EXIT3 = '__tests__/fixtures/measure/probe.wasm'; // prints, then proc_exit(3)
export const UNKNOWN_IMPORT = '__tests__/fixtures/faults/unknown-import.wasm'; // imports env::host_clock
export const REACTOR = '__tests__/fixtures/faults/reactor.wasm'; // no _start: wasmtime and wazero would exit 0 on it

/** `_start` leaves an i32 on the stack of a `() -> ()` function: well-formed bytes that fail validation. */
export const INVALID = Buffer.concat([
  Buffer.from('\0asm\x01\0\0\0', 'latin1'),
  Buffer.from([1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6]),
  Buffer.from('_start'),
  Buffer.from([0, 0, 10, 6, 1, 4, 0, 0x41, 0, 0x0b]),
]);

export interface Variant {
  name: string;
  /** fib(N): compilers at 36, interpreters at 28, so that one run of the 4× program takes 0.1–0.5 s of CPU */
  n: number;
  /** compiles ahead of time (wasmtime compile, wasmer compile, wazero compile -cachedir) */
  aot: boolean;
  /** keeps compiled code between runs (what makes cold and warm differ) */
  cache: boolean;
}

export interface Real {
  name: RealName;
  variants: Variant[];
  /** the exit code of a trap, as the binary really exits */
  trapExit: number;
  /** why the runtime's expectations are not yet checked against its binary: its tests run as `todo` */
  unverified?: string;
}

export const compiler = (name: string): Variant => ({ name, n: 36, aot: true, cache: true });
export const interpreter = (name: string, n = 28): Variant => ({ name, n, aot: false, cache: false });

export const REAL: Real[] = [
  { name: 'wasmtime', trapExit: 134, variants: [compiler('cranelift'), compiler('winch')] },
  { name: 'wasmer', trapExit: 45, variants: [compiler('cranelift'), compiler('singlepass')] },
  {
    name: 'wasmi',
    trapExit: 1,
    variants: [interpreter('eager', 30), interpreter('lazy', 30), interpreter('lazy-translation', 30)],
  },
  { name: 'wazero', trapExit: 1, variants: [compiler('compiler'), interpreter('interpreter')] },
];

export const runtimeEntry = (rt: Real, v: Variant) =>
  `{ name: ${rt.name}, variant: ${v.name}, path: '${requireExe(rt.name)}' }`;

/** perf.yml: one benchmark per (program, variant), each on that variant only. */
export function config(lines: string[]): string {
  return ['benchmarks:', ...lines, ''].join('\n');
}

export function workspace(files: Record<string, string | Buffer>, perfYml: string): string {
  const ws = scratchDir('real-');
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(join(ws, to, '..'), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, join(ws, to));
    else writeFileSync(join(ws, to), from);
  }
  writeFileSync(join(ws, 'perf.yml'), perfYml);
  return ws;
}

export const reportOf = (r: ActionRun): RunReport => {
  assert.ok(r.outputs['report-json'], `no report-json output:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(r.outputs['report-json'], 'utf8')) as RunReport;
};

export function cellOf(report: RunReport, benchmark: string, runtime?: string): CellMeasurement {
  const cell = report.measurements.find((m) => m.benchmark === benchmark && (!runtime || m.runtime.includes(runtime)));
  assert.ok(cell, `no cell ${benchmark} ${runtime ?? ''}: ${report.measurements.map((m) => m.benchmark).join(', ')}`);
  return cell;
}

/** Every verdict as `benchmark metric kind +x% [lo, hi]`, for failure messages. */
export function verdictLines(report: RunReport): string {
  const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
  return report.verdicts
    .map((v: Verdict) => {
      const ratio = 'ratio' in v && typeof v.ratio === 'number' ? ` ${pct(v.ratio)}` : '';
      const ci = 'interval' in v && Array.isArray(v.interval) ? ` [${v.interval.map(pct).join(', ')}]` : '';
      return `${v.benchmark} ${v.runtime} ${v.metric} ${v.kind}${ratio}${ci}`;
    })
    .join('\n');
}

export const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
