// Issue 19: wasmtime, wasmer, wasmi and wazero for real, end to end through dist/index.js, each given as
// `name@path` (the binaries scripts/install-real-runtimes.sh builds or unpacks from crates.io, PyPI and the Go
// proxy), on every variant each has. Per runtime: an A/A benchmark passes and the same program doing 4× the
// work is flagged; a trap, a proc_exit(3), a module that fails to validate, a missing import and a reactor are each
// reported as what they are; and the metrics each allows are taken (CPU and peak RSS by GNU time, instructions
// by valgrind, AOT compile time and size, cold and warm compiled-code cache). In CI a missing binary fails.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import type { Verdict } from '../src/model/verdict.js';
import type { CellMeasurement } from '../src/model/measurement.js';
import type { RunReport } from '../src/report/types.js';
import { requireExe, skipUnlessReal, versionLine, type RealName } from './helpers/real-runtimes.js';
import { requireTools } from './helpers/tools.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir, type ActionRun } from './helpers/run-action.js';

const FAST = '__tests__/fixtures/measure/fibonacci-x1.wasm';
const SLOW = '__tests__/fixtures/measure/fibonacci-x4.wasm'; // fib(N) four times (see the fixture README)
const TRAP = '__tests__/fixtures/measure/trap.wasm';
const EXIT3 = '__tests__/fixtures/measure/probe.wasm'; // prints, then proc_exit(3)
const UNKNOWN_IMPORT = '__tests__/fixtures/faults/unknown-import.wasm'; // imports env::host_clock
const REACTOR = '__tests__/fixtures/faults/reactor.wasm'; // no _start: wasmtime and wazero would exit 0 on it

/** `_start` leaves an i32 on the stack of a `() -> ()` function: well-formed bytes that fail validation. */
const INVALID = Buffer.concat([
  Buffer.from('\0asm\x01\0\0\0', 'latin1'),
  Buffer.from([1, 4, 1, 0x60, 0, 0, 3, 2, 1, 0, 7, 10, 1, 6]),
  Buffer.from('_start'),
  Buffer.from([0, 0, 10, 6, 1, 4, 0, 0x41, 0, 0x0b]),
]);

interface Variant {
  name: string;
  /** fib(N): compilers at 36, interpreters at 28, so that one run of the 4× program takes 0.1–0.5 s of CPU */
  n: number;
  /** compiles ahead of time (wasmtime compile, wasmer compile, wazero compile -cachedir) */
  aot: boolean;
  /** keeps compiled code between runs (what makes cold and warm differ) */
  cache: boolean;
}

interface Real {
  name: RealName;
  variants: Variant[];
  /** the exit code of a trap, as the binary really exits */
  trapExit: number;
  /** why the runtime's expectations are not yet checked against its binary: its tests run as `todo` */
  unverified?: string;
}

const compiler = (name: string): Variant => ({ name, n: 36, aot: true, cache: true });
const interpreter = (name: string, n = 28): Variant => ({ name, n, aot: false, cache: false });

const REAL: Real[] = [
  { name: 'wasmtime', trapExit: 134, variants: [compiler('cranelift'), compiler('winch')] },
  { name: 'wasmer', trapExit: 45, variants: [compiler('cranelift'), compiler('singlepass')] },
  {
    name: 'wasmi',
    trapExit: 1,
    variants: [interpreter('eager', 30), interpreter('lazy', 30), interpreter('lazy-translation', 30)],
  },
  { name: 'wazero', trapExit: 1, variants: [compiler('compiler'), interpreter('interpreter')] },
];

const runtimeEntry = (rt: Real, v: Variant) =>
  `{ name: ${rt.name}, variant: ${v.name}, path: '${requireExe(rt.name)}' }`;

/** perf.yml: one benchmark per (program, variant), each on that variant only. */
function config(lines: string[]): string {
  return ['benchmarks:', ...lines, ''].join('\n');
}

function workspace(files: Record<string, string | Buffer>, perfYml: string): string {
  const ws = scratchDir('real-');
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(join(ws, to, '..'), { recursive: true });
    if (typeof from === 'string') copyFileSync(from, join(ws, to));
    else writeFileSync(join(ws, to), from);
  }
  writeFileSync(join(ws, 'perf.yml'), perfYml);
  return ws;
}

const reportOf = (r: ActionRun): RunReport => {
  assert.ok(r.outputs['report-json'], `no report-json output:\n${r.stdout.slice(-3000)}\n${r.stderr.slice(-2000)}`);
  return JSON.parse(readFileSync(r.outputs['report-json'], 'utf8')) as RunReport;
};

function cellOf(report: RunReport, benchmark: string, runtime?: string): CellMeasurement {
  const cell = report.measurements.find((m) => m.benchmark === benchmark && (!runtime || m.runtime.includes(runtime)));
  assert.ok(cell, `no cell ${benchmark} ${runtime ?? ''}: ${report.measurements.map((m) => m.benchmark).join(', ')}`);
  return cell;
}

/** Every verdict as `benchmark metric kind +x% [lo, hi]`, for failure messages. */
function verdictLines(report: RunReport): string {
  const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
  return report.verdicts
    .map((v: Verdict) => {
      const ratio = 'ratio' in v && typeof v.ratio === 'number' ? ` ${pct(v.ratio)}` : '';
      const ci = 'interval' in v && Array.isArray(v.interval) ? ` [${v.interval.map(pct).join(', ')}]` : '';
      return `${v.benchmark} ${v.runtime} ${v.metric} ${v.kind}${ratio}${ci}`;
    })
    .join('\n');
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

for (const rt of REAL) {
  describe(`${rt.name} for real (name@path)`, skipUnlessReal(rt.name), () => {
    const log = (t: TestContext) => t.diagnostic(`real ${rt.name}: ${versionLine(rt.name, requireExe(rt.name))}`);

    const todo = rt.unverified === undefined ? {} : { todo: rt.unverified };
    test(
      `A/A passes and the 4× program is flagged on ${rt.variants.map((v) => v.name).join(', ')}`,
      todo,
      async (t) => {
        log(t);
        const files: Record<string, string> = {};
        const lines: string[] = [];
        for (const v of rt.variants) {
          for (const [bench, pr] of [
            ['same', FAST],
            ['slower', SLOW],
          ] as const) {
            files[`build/${bench}-${v.name}.wasm`] = pr;
            files[`base/${bench}-${v.name}.wasm`] = FAST;
            lines.push(
              `  - { name: ${bench}-${v.name}, artifact: build/${bench}-${v.name}.wasm, args: [${v.n}], runtimes: [${runtimeEntry(rt, v)}] }`,
            );
          }
        }
        const r = await runAction({
          workspace: workspace(files, ['metrics: [wall, cpu]', config(lines)].join('\n')),
          inputs: {
            config: 'perf.yml',
            'baseline-artifacts': 'base/*.wasm',
            'baseline-path': 'perf/baseline.json',
            'min-runs': '6',
            'max-runs': '14',
            // A/A must never fail by design (see helpers/run-action.ts gateInputs); 4× the work is far past it.
            alpha: '0.001',
            comment: 'false',
          },
          eventName: 'pull_request',
          payload: pullRequestPayload(),
        });
        const report = reportOf(r);
        const lines_ = verdictLines(report);
        for (const line of lines_.split('\n')) t.diagnostic(line);
        assert.equal(r.code, 1, `the step fails on the 4× program:\n${lines_}`);
        assert.equal(report.headline, 'regressed', lines_);
        for (const v of rt.variants) {
          const of = (bench: string) => report.verdicts.filter((x) => x.benchmark === `${bench}-${v.name}`);
          assert.ok(
            of('slower').some((x) => x.kind === 'regressed'),
            `4× the work on ${rt.name}:${v.name} is flagged:\n${lines_}`,
          );
          assert.ok(
            of('same').every((x) => x.kind !== 'regressed' && x.kind !== 'failed'),
            `A/A on ${rt.name}:${v.name} passes:\n${lines_}`,
          );
          assert.equal(of('same').length, 2, `wall and cpu judged on ${v.name}:\n${lines_}`);
        }
      },
    );

    test(
      'a trap, proc_exit(3), an invalid module, a missing import and a reactor are each reported as what they are',
      todo,
      async (t) => {
        log(t);
        const programs = {
          trap: TRAP,
          exit3: EXIT3,
          invalid: INVALID,
          'unknown-import': UNKNOWN_IMPORT,
          reactor: REACTOR,
        };
        const files: Record<string, string | Buffer> = {};
        const lines: string[] = [];
        for (const v of rt.variants) {
          for (const [bench, wasm] of Object.entries(programs)) {
            files[`build/${bench}-${v.name}.wasm`] = wasm;
            lines.push(
              `  - { name: ${bench}-${v.name}, artifact: build/${bench}-${v.name}.wasm, runtimes: [${runtimeEntry(rt, v)}] }`,
            );
          }
        }
        const r = await runAction({
          workspace: workspace(files, config(lines)),
          inputs: { config: 'perf.yml', 'baseline-path': 'perf/baseline.json', 'min-runs': '2', 'max-runs': '2' },
          eventName: 'push',
          payload: pushPayload(),
        });
        const report = reportOf(r);
        assert.equal(r.code, 1, 'failed benchmarks fail the step');
        const expected: Record<keyof typeof programs, { kind: string; exitCode?: number }> = {
          trap: { kind: 'trap', exitCode: rt.trapExit },
          exit3: { kind: 'exit', exitCode: 3 },
          invalid: { kind: 'load', exitCode: 1 },
          'unknown-import': { kind: 'load', exitCode: 1 },
          reactor: { kind: 'load', exitCode: undefined }, // refused before any run: nothing to exit
        };
        for (const v of rt.variants) {
          for (const [bench, want] of Object.entries(expected)) {
            const failure = cellOf(report, `${bench}-${v.name}`).candidate.failure;
            t.diagnostic(
              `${bench} on ${rt.name}:${v.name}: ${failure?.kind} (exit ${failure?.exitCode}) ${failure?.message}`,
            );
            assert.ok(failure, `${bench} on ${rt.name}:${v.name} failed`);
            assert.deepEqual(
              { kind: failure.kind, exitCode: failure.exitCode },
              want,
              `${bench} on ${rt.name}:${v.name}: ${failure.message}`,
            );
          }
        }
      },
    );

    test(
      'metrics: CPU and peak RSS, instructions under valgrind, AOT compile time and size, cold and warm cache',
      { ...todo, ...requireTools('valgrind', 'gnu-time') },
      async (t) => {
        log(t);
        const files: Record<string, string> = {};
        const lines: string[] = [];
        for (const v of rt.variants) {
          files[`build/fib-${v.name}.wasm`] = FAST;
          lines.push(
            `  - { name: fib-${v.name}, artifact: build/fib-${v.name}.wasm, args: [${v.n - 8}], metrics: [wall, cpu, peak-rss, instructions], runtimes: [${runtimeEntry(rt, v)}] }`,
          );
          if (!v.aot) continue;
          files[`build/aot-${v.name}.wasm`] = FAST;
          lines.push(
            `  - { name: aot-${v.name}, artifact: build/aot-${v.name}.wasm, args: [${v.n - 8}], aot: true, metrics: [wall, aot-compile, aot-size, instructions], runtimes: [${runtimeEntry(rt, v)}] }`,
          );
        }
        const r = await runAction({
          workspace: workspace(files, ['measure: { cache: both, instruction-runs: 1 }', config(lines)].join('\n')),
          inputs: {
            config: 'perf.yml',
            'baseline-path': 'perf/baseline.json',
            'min-runs': '3',
            'max-runs': '3',
          },
          eventName: 'push',
          payload: pushPayload(),
        });
        const report = reportOf(r);
        assert.equal(r.code, 0, r.stdout.slice(-3000));
        for (const v of rt.variants) {
          const cells = report.measurements.filter((m) => m.benchmark === `fib-${v.name}`);
          const temps = cells.map((c) => c.cache?.mode).sort();
          assert.deepEqual(temps, v.cache ? ['cold', 'warm'] : ['none'], `${rt.name}:${v.name} cache cells`);
          for (const c of cells) {
            const s = c.candidate.samples;
            const rss = medianOf(s.map((x) => x.values['peak-rss']!));
            const instr = c.instructions?.candidate ?? [];
            t.diagnostic(
              `${c.runtime}: wall ${medianOf(s.map((x) => x.values['wall']!)).toFixed(1)} ms, cpu ${medianOf(s.map((x) => x.values['cpu']!))} ms, peak RSS ${(rss / 2 ** 20).toFixed(1)} MiB, instructions ${instr.join(', ')} (${c.notes?.join('; ')})`,
            );
            assert.ok(rss > 2 ** 20, `${c.runtime}: peak RSS read (${rss})`);
            assert.ok(
              instr.length === 1 && instr[0]! > 1e6,
              `${c.runtime}: instructions counted (${c.notes?.join('; ')})`,
            );
          }
          if (v.cache) {
            const [cold, warm] = ['cold', 'warm'].map((m) => cells.find((c) => c.cache?.mode === m)!);
            assert.match(cold!.runtime, /\[cold\]/);
            assert.match(warm!.runtime, /\[warm\]/);
          }
          if (!v.aot) continue;
          const aot = cellOf(report, `aot-${v.name}`);
          t.diagnostic(
            `${aot.runtime} AOT: compile ${aot.aot?.compileMs.map((x) => x.toFixed(0)).join(', ')} ms, size ${aot.aot?.sizeBytes} B, instructions ${aot.instructions?.candidate.join(', ')} (${aot.notes?.join('; ')})`,
          );
          assert.equal(aot.aot?.compileMs.length, 3, `${aot.runtime}: 3 compile runs`);
          assert.ok((aot.aot?.sizeBytes ?? 0) > 1000, `${aot.runtime}: compiled output has a size`);
          assert.ok(
            (aot.instructions?.candidate[0] ?? 0) > 1e5,
            `${aot.runtime}: AOT output counted (${aot.notes?.join('; ')})`,
          );
        }
      },
    );
  });
}
