// Issue 19: wasmtime, wasmer, wasmi and wazero for real, end to end through dist/index.js (name@path, every
// variant; the A/A and 4× verdicts are e2e-real-runtimes): a trap, a proc_exit(3), a module that fails to
// validate, a missing import and a reactor are each reported as what they are; and the metrics each allows are
// taken (CPU and peak RSS by GNU time, instructions by valgrind, AOT compile time and size, cold and warm
// compiled-code cache). No assertion here depends on timing, so it runs beside other files. In CI a missing
// binary fails.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { requireExe, skipUnlessReal, versionLine } from './helpers/real-runtimes.js';
import { requireTools } from './helpers/tools.js';
import { pushPayload, runAction } from './helpers/run-action.js';
import {
  cellOf,
  config,
  EXIT3,
  FAST,
  INVALID,
  medianOf,
  REACTOR,
  REAL,
  reportOf,
  runtimeEntry,
  TRAP,
  UNKNOWN_IMPORT,
  workspace,
} from './helpers/real-runtime-cases.js';

for (const rt of REAL) {
  describe(`${rt.name} for real (name@path)`, skipUnlessReal(rt.name), () => {
    const log = (t: TestContext) => t.diagnostic(`real ${rt.name}: ${versionLine(rt.name, requireExe(rt.name))}`);

    const todo = rt.unverified === undefined ? {} : { todo: rt.unverified };
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
