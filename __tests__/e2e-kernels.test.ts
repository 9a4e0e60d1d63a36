// Issue 27, exported-function kernels end to end through dist/index.js: a reactor (clang -mexec-model=reactor,
// no _start) benchmarked by calling an export (`export:`, `args:` typed by its signature, `iterations:`),
// `_initialize` first, the calls timed as `region` (gated by default), `expect-result:` checking the return
// value; on node, bun and deno (the launcher) and on the native runtimes (a rewrite of the module). Bad `export:`/`args:` are refused naming the export, its signature and the args.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nativeRuntimes, realExe, skipUnlessNative } from './helpers/real-runtimes.js';
import {
  BUN,
  DENO,
  cPrograms,
  gatePullRequest,
  prWorkspace,
  reportOf,
  verdictsAndWhy,
  verdictSummary,
  why,
} from './helpers/program-gate.js';
import type { ActionRun } from './helpers/run-action.js';

const SOURCE = '__tests__/fixtures/sightglass/kernels.c';
// clang with wasi-libc builds the programs: without it these tests are skipped (a failure under CI=true).
const { clang, bins } = cPrograms('kernel-bins-', {
  o2: { source: SOURCE, flags: ['-mexec-model=reactor'] },
  o0: { source: SOURCE, flags: ['-mexec-model=reactor', '-O0'] },
});
const { o2, o0 } = bins;

function gate(
  candidate: string,
  benchmarks: string[],
  runtimes = 'node',
  runs = '6',
  maxRuns = runs,
): Promise<ActionRun> {
  const ws = prWorkspace(
    {
      'build/k.wasm': { from: candidate },
      'base/k.wasm': { from: o2 },
      'perf.yml': [`runtimes: [${runtimes}]`, 'benchmarks:', ...benchmarks, ''].join('\n'),
    },
    'kernels-',
  );
  return gatePullRequest(
    ws,
    { config: 'perf.yml', 'baseline-artifacts': 'base/*.wasm' },
    { runs: Number(runs), maxRuns: Number(maxRuns) },
  );
}

const ADD_ONE =
  '  - { name: add-one, artifact: build/k.wasm, export: add_one, args: [41], iterations: 1000, expect-result: 42 }';
const FIB = '  - { name: fib20, artifact: build/k.wasm, export: fib, args: [20], iterations: 20, expect-result: 6765 }';

describe('exported-function kernels', clang, () => {
  test('a reactor kernel: A/A passes on node, bun and deno, gated on region, _initialize called first', async () => {
    const r = await gate(o2, [ADD_ONE, FIB], `node, bun@${BUN}, deno@${DENO}`);
    assert.equal(r.code, 0, why(r));
    const report = reportOf(r);
    assert.deepEqual([...new Set(report.verdicts.map((v) => v.metric))], ['region'], why(r));
    assert.equal(report.measurements.length, 6, why(r));
    for (const m of report.measurements) {
      assert.equal(m.candidate.samples.length, 6, `${m.benchmark} on ${m.runtime}${why(r)}`);
      for (const s of m.candidate.samples)
        assert.ok(s.values['region']! > 0 && s.values['region']! < s.values['wall']!);
    }
  });

  test('the -O0 build of fib is flagged on region', async (t) => {
    const r = await gate(
      o0,
      [
        FIB.replace(
          'args: [20], iterations: 20, expect-result: 6765',
          'args: [25], iterations: 10, expect-result: 75025',
        ),
      ],
      'node',
      // 10 rounds settle it on a quiet machine (×2 or more); a busier one may take up to 30.
      '10',
      '30',
    );
    for (const line of verdictSummary(r).split('\n')) t.diagnostic(line);
    assert.notEqual(r.code, 0, verdictsAndWhy(r));
    const v = reportOf(r).verdicts.find((x) => x.benchmark === 'fib20' && x.metric === 'region');
    assert.ok(v && (v.kind === 'regressed' || v.kind === 'likely-regressed'), verdictsAndWhy(r));
  });

  test('expect-result: a wrong return value is wrong output', async () => {
    const r = await gate(o2, [ADD_ONE.replace('expect-result: 42', 'expect-result: 43')]);
    assert.notEqual(r.code, 0, why(r));
    const failure = reportOf(r).verdicts[0]!.failure!;
    assert.equal(failure.kind, 'wrong-output');
    assert.match(failure.message, /line 1: expected "43", got "42"/);
  });

  test('i64 and f64 arguments and results pass through typed', async () => {
    const r = await gate(
      o2,
      ['  - { name: scale, artifact: build/k.wasm, export: scale, args: [1.5, 3], expect-result: 4.5 }'],
      'node',
      '2',
    );
    assert.equal(r.code, 0, why(r));
  });

  test('an export that does not exist, or args that do not fit, are refused naming the export and signature', async () => {
    const missing = await gate(o2, ['  - { name: x, artifact: build/k.wasm, export: add_two, args: [1] }']);
    assert.notEqual(missing.code, 0);
    assert.match(
      missing.stdout,
      /::error::config: benchmarks\[0\]\.export: build\/k\.wasm exports no function 'add_two' \(it exports .*add_one/,
    );
    const misfit = await gate(o2, ['  - { name: x, artifact: build/k.wasm, export: fib, args: [1, 2] }']);
    assert.notEqual(misfit.code, 0);
    assert.match(
      misfit.stdout,
      /::error::config: benchmarks\[0\]\.args: args \[1, 2\] do not fit fib: \(i32\) -> \(i64\) in build\/k\.wasm/,
    );
    const float = await gate(o2, ['  - { name: x, artifact: build/k.wasm, export: fib, args: [1.5] }']);
    assert.match(float.stdout, /args \[1\.5\] do not fit fib: \(i32\) -> \(i64\)/);
  });
});

// The native runtimes run a rewrite of the module whose `_start` calls the export (src/wasm/region-rewrite.ts);
// wasm3 and iwasm are the prebuilt ones in ../shared/runtimes.
const native = nativeRuntimes;
const allReal = skipUnlessNative();

describe('exported-function kernels on the native runtimes', clang, () => {
  test('A/A passes on every native runtime, region measured, results checked', allReal, async () => {
    const r = await gate(o2, [ADD_ONE, FIB], native(), '4');
    assert.equal(r.code, 0, why(r));
    const report = reportOf(r);
    assert.deepEqual([...new Set(report.verdicts.map((v) => v.metric))], ['region'], why(r));
    assert.ok(report.measurements.length >= 8, why(r));
    for (const m of report.measurements) {
      assert.equal(m.candidate.samples.length, 4, `${m.benchmark} on ${m.runtime}${why(r)}`);
      for (const s of m.candidate.samples)
        assert.ok(s.values['region']! > 0 && s.values['region']! < s.values['wall']!, `${m.runtime}${why(r)}`);
    }
  });

  test('the -O0 build of fib is flagged on region on wasmtime, wasmer, wasmi and wazero', allReal, async (t) => {
    const r = await gate(
      o0,
      [
        FIB.replace(
          'args: [20], iterations: 20, expect-result: 6765',
          'args: [25], iterations: 10, expect-result: 75025',
        ),
      ],
      (['wasmtime', 'wasmer', 'wasmi', 'wazero'] as const).map((n) => `${n}@${realExe(n)}`).join(', '),
      // 10 rounds settle it here (×2 to ×3.5 on every runtime); a busier runner may take up to 30.
      '10',
      '30',
    );
    for (const line of verdictSummary(r).split('\n')) t.diagnostic(line);
    assert.notEqual(r.code, 0, verdictsAndWhy(r));
    const verdicts = reportOf(r).verdicts.filter((x) => x.benchmark === 'fib20' && x.metric === 'region');
    assert.equal(verdicts.length, 4, verdictsAndWhy(r));
    for (const v of verdicts)
      assert.ok(v.kind === 'regressed' || v.kind === 'likely-regressed', `${v.runtime}: ${v.kind}${verdictsAndWhy(r)}`);
  });

  test(
    'a custom command gets the rewritten module: region measured when it runs it as a WASI command',
    allReal,
    async () => {
      const wasmtime = `{ name: custom, id: wt, command: ['${realExe('wasmtime')}', 'run', '{wasm}'] }`;
      const ok = await gate(o2, [ADD_ONE], wasmtime, '3');
      assert.equal(ok.code, 0, verdictsAndWhy(ok));
      const [cell] = reportOf(ok).measurements;
      assert.equal(cell?.candidate.samples.length, 3, verdictsAndWhy(ok));
      for (const s of cell.candidate.samples)
        assert.ok(s.values['region']! > 0 && s.values['region']! < s.values['wall']!);
      assert.deepEqual([...new Set(reportOf(ok).verdicts.map((v) => v.metric))], ['region'], verdictsAndWhy(ok));
      // a command that does not run the module: no report, and the failure says what a custom command must do
      const silent = await gate(o2, [ADD_ONE], "{ name: custom, id: not-wasi, command: ['true', '{wasm}'] }", '2');
      assert.notEqual(silent.code, 0, verdictsAndWhy(silent));
      const failure = reportOf(silent).verdicts[0]!.failure!;
      assert.match(failure.message, /wrote no region report to stderr .*custom command gets the rewritten module/);
    },
  );

  test('a wrong return value is wrong output; i64 and f64 pass through typed', allReal, async () => {
    const wrong = await gate(o2, [ADD_ONE.replace('expect-result: 42', 'expect-result: 43')], native(), '2');
    assert.notEqual(wrong.code, 0, why(wrong));
    const failures = reportOf(wrong).verdicts.map((v) => v.failure);
    assert.ok(failures.length >= 4, why(wrong));
    for (const f of failures) {
      assert.equal(f?.kind, 'wrong-output', why(wrong));
      assert.match(f.message, /line 1: expected "43", got "42"/);
    }
    const typed = await gate(
      o2,
      ['  - { name: scale, artifact: build/k.wasm, export: scale, args: [1.5, 3], expect-result: 4.5 }'],
      native(),
      '2',
    );
    assert.equal(typed.code, 0, why(typed));
  });
});
