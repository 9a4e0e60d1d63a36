// Issue 27, the sightglass convention end to end through dist/index.js: a module importing bench.start and
// bench.end (C with import_module/import_name, built here with clang) runs in its own directory, preopened as
// `.`, reads its input by relative path, is checked against <stem>.stdout.expected, and is gated on `region`
// (the summed start→end time) by default, wall still shown; on node, bun and deno (the launcher provides the
// markers) and on the native runtimes (a rewrite of the module, src/wasm/region-rewrite.ts). Misused markers
// and a wrong signature are clear errors.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { nativeRuntimes, realExe, skipUnlessNative, skipUnlessReal } from './helpers/real-runtimes.js';
import { BUN, DENO, cPrograms, gatePullRequest, prWorkspace, reportOf, why } from './helpers/program-gate.js';
import type { ActionRun } from './helpers/run-action.js';

const SOURCE = '__tests__/fixtures/sightglass/region.c';
// clang with wasi-libc builds the programs: without it these tests are skipped (a failure under CI=true).
const { clang, bins } = cPrograms('region-bins-', {
  region: { source: SOURCE },
  'end-first': { source: SOURCE, flags: ['-DMISUSE=1'] },
  'never-ended': { source: SOURCE, flags: ['-DMISUSE=2'] },
  'start-only': { source: SOURCE, flags: ['-DMISUSE=3'] },
  'bad-signature': { source: '__tests__/fixtures/sightglass/bad-signature.c' },
});

/** A sightglass-style repository: benchmarks/fib/fib.wasm with input.txt and fib.stdout.expected beside it. */
function workspace(wasm: string, input = '22', expected = 'fib(22) x 1 = 17711'): string {
  return prWorkspace(
    {
      'benchmarks/fib/fib.wasm': { from: wasm },
      'base/fib.wasm': { from: bins['region'] },
      'benchmarks/fib/input.txt': `${input}\n`,
      'benchmarks/fib/fib.stdout.expected': `${expected}\n`,
    },
    'sightglass-',
  );
}

function gate(ws: string, runtimes: string): Promise<ActionRun> {
  return gatePullRequest(ws, {
    artifacts: 'benchmarks/*/*.wasm',
    'baseline-artifacts': 'base/*.wasm',
    runtimes,
    threshold: '100%',
  });
}

describe('bench.start/bench.end (sightglass) on the JS runtimes', clang, () => {
  test('A/A passes on node, bun and deno, gated on region, measured in its own directory', async () => {
    const r = await gate(workspace(bins['region']!), `node, bun@${BUN}, deno@${DENO}`);
    assert.equal(r.code, 0, why(r));
    const report = reportOf(r);
    assert.deepEqual([...new Set(report.verdicts.map((v) => v.metric))], ['region'], why(r));
    assert.equal(report.measurements.length, 3, why(r));
    // wall is still shown beside region
    assert.match(
      r.summary,
      /\| Benchmark \| Compile \| Instantiate \| Execute \| Phases total \| Region \| Wall \|/,
      r.summary,
    );
    for (const m of report.measurements) {
      assert.equal(m.candidate.failure, undefined, `${m.runtime}${why(r)}`);
      for (const s of m.candidate.samples) {
        const { region, wall } = s.values;
        assert.ok(region !== undefined && region > 0 && region < wall!, `${m.runtime}: region ${region} wall ${wall}`);
      }
    }
  });

  test('a changed input is caught as wrong output', async () => {
    const r = await gate(workspace(bins['region']!, '21'), 'node');
    assert.notEqual(r.code, 0, why(r));
    const failure = reportOf(r).verdicts[0]!.failure!;
    assert.equal(failure.kind, 'wrong-output', why(r));
    assert.match(failure.message, /line 1: expected "fib\(22\) x 1 = 17711", got "fib\(21\) x 1 = 10946"/);
  });

  test('unbalanced markers fail the cell with a clear message', async () => {
    for (const [bin, message] of [
      ['end-first', /bench\.end was called without a bench\.start before it/],
      ['never-ended', /bench\.start was called without a matching bench\.end/],
    ] as const) {
      const r = await gate(workspace(bins[bin]!), 'node');
      assert.notEqual(r.code, 0, why(r));
      assert.match(reportOf(r).verdicts[0]!.failure!.message, message, why(r));
    }
  });

  test('bench.start with another signature is refused before any run, naming the module', async () => {
    const r = await gate(workspace(bins['bad-signature']!), 'node');
    assert.notEqual(r.code, 0, why(r));
    assert.match(
      r.stdout,
      /::error::artifacts: benchmarks\/fib\/fib\.wasm: it imports bench\.start as \(i32\) -> \(\)/,
    );
  });
});

// The native runtimes run a rewrite of the module (src/wasm/region-rewrite.ts) that reports its region on
// stderr with a nonce; wasm3 and iwasm are the prebuilt ones in ../shared/runtimes.
const native = nativeRuntimes;
const allReal = skipUnlessNative();

describe('bench.start/bench.end on the native runtimes (module rewrite)', clang, () => {
  test("A/A passes, region measured in every cell, agreeing with node's launcher", allReal, async () => {
    // fib(32): milliseconds of region, well above the JIT's warm-up noise in node's figure
    const r = await gate(workspace(bins['region']!, '32', 'fib(32) x 1 = 2178309'), `node, ${native()}`);
    assert.equal(r.code, 0, why(r));
    const report = reportOf(r);
    assert.ok(report.measurements.length >= 5, why(r));
    assert.deepEqual([...new Set(report.verdicts.map((v) => v.metric))], ['region'], why(r));
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    const regionOf = (runtime: string) =>
      median(
        report.measurements
          .find((m) => m.runtime.startsWith(runtime))!
          .candidate.samples.map((s) => s.values['region']!),
      );
    const nodeRegion = regionOf('node');
    for (const m of report.measurements) {
      assert.equal(m.candidate.failure, undefined, `${m.runtime}${why(r)}`);
      for (const s of m.candidate.samples) {
        const { region, wall } = s.values;
        assert.ok(region !== undefined && region > 0 && region < wall!, `${m.runtime}: region ${region} wall ${wall}`);
      }
    }
    // The optimizing JITs run fib(22) in about the same time: the two clocks must agree within a generous factor
    // (the interpreters are slower by design, so they are held to being longer, not to node's figure).
    for (const rt of ['wasmtime', 'wasmer', 'wazero']) {
      const ratio = regionOf(rt) / nodeRegion;
      assert.ok(ratio > 0.2 && ratio < 5, `${rt} region ${regionOf(rt)} ms vs node ${nodeRegion} ms${why(r)}`);
    }
    // the report line never reaches what the user sees
    assert.doesNotMatch(r.stdout + r.summary, / region [0-9a-f]{16} /);
  });

  test('a changed input is caught as wrong output on wasmtime', skipUnlessReal('wasmtime'), async () => {
    const r = await gate(workspace(bins['region']!, '21'), `wasmtime@${realExe('wasmtime')}`);
    assert.notEqual(r.code, 0, why(r));
    const failure = reportOf(r).verdicts[0]!.failure!;
    assert.equal(failure.kind, 'wrong-output', why(r));
    assert.match(failure.message, /line 1: expected "fib\(22\) x 1 = 17711", got "fib\(21\) x 1 = 10946"/);
  });

  test('unbalanced markers fail the cell as the launcher says', skipUnlessReal('wasmtime'), async () => {
    for (const [bin, message] of [
      ['end-first', /bench\.end was called without a bench\.start before it/],
      ['never-ended', /bench\.start was called without a matching bench\.end/],
    ] as const) {
      const r = await gate(workspace(bins[bin]!), `wasmtime@${realExe('wasmtime')}`);
      assert.notEqual(r.code, 0, why(r));
      assert.match(reportOf(r).verdicts[0]!.failure!.message, message, why(r));
    }
  });
});

// The outside check of issue 27 with programs this project did not write: two of sightglass's own prebuilt
// benchmarks, byte for byte (fixtures/sightglass-real/README.md), in a sightglass-style layout, on node and the
// native runtimes. quicksort reads from default.input how many rounds to sort (47), each printing one value
// (benchmark.stdout.expected); gimli has no input and empty expected output.
const REAL = '__tests__/fixtures/sightglass-real';

function realWorkspace(rounds = '47'): string {
  return prWorkspace(
    {
      'benchmarks/quicksort/benchmark.wasm': { from: `${REAL}/quicksort/benchmark.wasm` },
      'benchmarks/quicksort/default.input': `${rounds}\n`,
      'benchmarks/quicksort/benchmark.stdout.expected': { from: `${REAL}/quicksort/benchmark.stdout.expected` },
      'benchmarks/quicksort/benchmark.stderr.expected': { from: `${REAL}/quicksort/benchmark.stderr.expected` },
      'benchmarks/shootout/shootout-gimli.wasm': { from: `${REAL}/shootout/shootout-gimli.wasm` },
      'benchmarks/shootout/shootout-gimli.stdout.expected': { from: `${REAL}/shootout/shootout-gimli.stdout.expected` },
      'benchmarks/shootout/shootout-gimli.stderr.expected': { from: `${REAL}/shootout/shootout-gimli.stderr.expected` },
      'base/benchmark.wasm': { from: `${REAL}/quicksort/benchmark.wasm` },
      'base/shootout-gimli.wasm': { from: `${REAL}/shootout/shootout-gimli.wasm` },
    },
    'sightglass-real-',
  );
}

describe('real sightglass benchmarks, unmodified (quicksort, shootout-gimli)', () => {
  test('A/A passes on node and every native runtime, region measured in every cell', allReal, async () => {
    const r = await gatePullRequest(
      realWorkspace(),
      {
        artifacts: 'benchmarks/*/*.wasm',
        'baseline-artifacts': 'base/*.wasm',
        runtimes: `node, ${native()}`,
        threshold: '100%',
      },
      { runs: 3 },
    );
    assert.equal(r.code, 0, why(r));
    const report = reportOf(r);
    // 2 benchmarks × (node + 6 native runtimes)
    assert.equal(report.measurements.length, 2 * (1 + native().split(',').length), why(r));
    assert.deepEqual([...new Set(report.verdicts.map((v) => v.metric))], ['region'], why(r));
    for (const m of report.measurements) {
      const cell = `${m.benchmark} on ${m.runtime}`;
      assert.equal(m.candidate.failure, undefined, `${cell}${why(r)}`);
      assert.ok(m.candidate.samples.length >= 3, cell);
      for (const { values } of m.candidate.samples) {
        assert.ok(values['region']! > 0 && values['region']! < values['wall']!, `${cell}: ${JSON.stringify(values)}`);
      }
    }
    for (const v of report.verdicts) assert.notEqual(v.kind, 'failed', `${v.benchmark} on ${v.runtime}${why(r)}`);
  });

  test('a changed input is wrong output on node and every native runtime, never timed', allReal, async () => {
    const r = await gatePullRequest(
      realWorkspace('48'),
      {
        artifacts: 'benchmarks/quicksort/*.wasm',
        'baseline-artifacts': 'base/benchmark.wasm',
        runtimes: `node, ${native()}`,
        threshold: '100%',
      },
      { runs: 2 },
    );
    assert.notEqual(r.code, 0, why(r));
    const report = reportOf(r);
    assert.equal(report.verdicts.length, 1 + native().split(',').length, why(r));
    for (const v of report.verdicts) {
      assert.equal(v.failure?.kind, 'wrong-output', `${v.runtime}${why(r)}`);
      assert.match(
        v.failure.message,
        /\(47 lines expected, 48 printed\): line 48: expected \(nothing\), got "-49442"/,
        v.runtime,
      );
    }
  });
});

describe('a real sightglass GC benchmark, unmodified (splay)', () => {
  test(
    'its markers are found through its GC types: A/A passes on wasmtime with region gated and measured',
    skipUnlessReal('wasmtime'),
    async () => {
      const ws = prWorkspace(
        {
          'benchmarks/splay/splay.wasm': { from: `${REAL}/splay/splay.wasm` },
          // A twentieth of its default input (8000,540,5: 6 s a run here), and what it prints for it.
          'benchmarks/splay/default.input': '400,40,5\n',
          'benchmarks/splay/splay.stdout.expected': '[splay] tree size: 400\n[splay] samples: 70\n[splay] verified\n',
          'benchmarks/splay/splay.stderr.expected': { from: `${REAL}/splay/splay.stderr.expected` },
          'base/splay.wasm': { from: `${REAL}/splay/splay.wasm` },
        },
        'sightglass-gc-',
      );
      const r = await gatePullRequest(
        ws,
        {
          artifacts: 'benchmarks/*/*.wasm',
          'baseline-artifacts': 'base/*.wasm',
          runtimes: `wasmtime@${realExe('wasmtime')}`,
          threshold: '100%',
        },
        { runs: 3 },
      );
      assert.equal(r.code, 0, why(r));
      const report = reportOf(r);
      assert.deepEqual(
        report.verdicts.map((v) => [v.metric, v.kind === 'failed']),
        [['region', false]],
        why(r),
      );
      for (const { values } of report.measurements[0]!.candidate.samples)
        assert.ok(values['region']! > 0 && values['region']! < values['wall']!, JSON.stringify(values));
    },
  );
});
