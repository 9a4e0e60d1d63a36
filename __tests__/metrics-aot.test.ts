// Ahead-of-time compilation with a fake `wasmtime` (a node script that understands `compile X -o Y` and
// `run --allow-precompiled Y`): compiled once per run per arm and timed, output size recorded, then the
// timed loop runs the compiled output. Real processes, real files.
import { test, describe, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFingerprint } from '../src/baseline/machine.js';
import { compareAll } from '../src/compare/compare.js';
import type { BenchmarkSpec } from '../src/model/plan.js';
import { InputError } from '../src/model/input-error.js';
import { AOT_COMPILE_RUNS } from '../src/measure/aot.js';
import { metricDef } from '../src/model/metrics.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { exampleWasm } from './helpers/measure-env.js';
import { bench, jobsOf, measure, metricsFixture, plan, runtime, values } from './fixtures/metrics/setup.js';

const MAGIC_BYTES = 'FAKE-CWASM\n'.length;

describe('AOT with a fake wasmtime', () => {
  let wasmtime: ResolvedRuntime;
  let node: ResolvedRuntime;
  let dir: string;
  let logFile: string;
  const previousTmp = process.env['TMPDIR'];
  const log = () => readFileSync(logFile, 'utf8').trim().split('\n');
  const aotBench = (over: Partial<BenchmarkSpec> = {}) =>
    bench('score', exampleWasm('score'), wasmtime, { args: ['50'], aot: true, ...over });

  before(async () => {
    wasmtime = await runtime(`wasmtime@${metricsFixture('fake-wasmtime.mjs')}`);
    node = await runtime('node');
    dir = mkdtempSync(join(tmpdir(), 'metrics-aot-'));
    logFile = join(dir, 'fake-runtime.log');
    process.env['TMPDIR'] = dir; // the fake logs to $TMPDIR/fake-runtime.log (TMPDIR passes the scrubbed env)
  });
  beforeEach(() => writeFileSync(logFile, ''));
  after(() => {
    if (previousTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmp;
    rmSync(dir, { recursive: true, force: true });
  });

  test('the runtime resolved through the real path: wasmtime@<script>, with AOT support', () => {
    assert.equal(wasmtime.version, '48.0.0');
    assert.equal(wasmtime.aot?.outputExt, '.cwasm');
  });

  test('compiles a few times (timed), records the output size, then runs the compiled output', async () => {
    const [cell] = await measure(
      plan([aotBench({ metrics: ['wall', 'aot-compile', 'aot-size'] })], { minRuns: 3, maxRuns: 3 }),
      [wasmtime],
    );
    assert.equal(cell!.candidate.failure, undefined, JSON.stringify(cell!.candidate.failure));
    const lines = log();
    assert.deepEqual(
      lines.slice(0, AOT_COMPILE_RUNS).map((l) => l.split(' ')[0]),
      ['compile', 'compile', 'compile'],
    );
    assert.ok(
      lines.slice(AOT_COMPILE_RUNS).every((l) => l.startsWith('run precompiled ') && l.endsWith('.cwasm')),
      lines.join('\n'),
    );
    assert.equal(lines.length, AOT_COMPILE_RUNS + 3, 'three timed runs, no warm-ups');

    const aot = cell!.aot!;
    assert.equal(aot.compileMs.length, AOT_COMPILE_RUNS);
    assert.ok(
      aot.compileMs.every((ms) => ms >= 150),
      `the fake compiler sleeps 150 ms: ${aot.compileMs}`,
    );
    assert.equal(aot.sizeBytes, statSync(exampleWasm('score')).size + MAGIC_BYTES);
    assert.deepEqual(values(cell!, 'aot-compile'), aot.compileMs);
    assert.deepEqual(values(cell!, 'aot-size'), [aot.sizeBytes, aot.sizeBytes, aot.sizeBytes]);
    assert.equal(values(cell!, 'wall').length, 3);
  });

  test('gating an AOT metric is enough to ask for AOT; a baseline artifact is compiled too and compared', async () => {
    const [cell] = await measure(
      plan([aotBench({ aot: undefined, metrics: ['aot-size'] })], { minRuns: 3, maxRuns: 3 }),
      [wasmtime],
      { score: exampleWasm('add-one') },
    );
    assert.equal(cell!.baseline?.failure, undefined);
    assert.equal(cell!.aot?.baseline?.sizeBytes, statSync(exampleWasm('add-one')).size + MAGIC_BYTES);
    const compiled = log().filter((l) => l.startsWith('compile '));
    assert.equal(compiled.length, 2 * AOT_COMPILE_RUNS);
    assert.ok(compiled.some((l) => l.includes('add-one.wasm')) && compiled.some((l) => l.includes('score.wasm')));

    const spec = aotBench({ metrics: ['aot-size'] });
    const metricInfo = (m: string, b: BenchmarkSpec) => ({
      unit: metricDef(m, b.programMetrics)!.unit,
      direction: metricDef(m, b.programMetrics)!.direction,
    });
    const [verdict] = compareAll({
      measurements: [cell!],
      benchmarks: [spec],
      machine: machineFingerprint(),
      metricInfo,
    });
    assert.equal(verdict?.metric, 'aot-size');
    assert.equal(verdict?.unit, 'bytes');
    assert.equal(verdict?.method, 'paired');
    assert.ok(
      Math.abs(verdict!.ratio! - cell!.aot!.sizeBytes / cell!.aot!.baseline!.sizeBytes) < 1e-9,
      `ratio ${verdict!.ratio}`,
    );
  });

  test('a compile that fails fails the candidate with the compiler command in the message', async () => {
    const gone = join(dir, 'gone.wasm');
    const [failed] = await measure(plan([bench('gone', gone, wasmtime, { aot: true })]), [wasmtime]);
    assert.equal(failed!.candidate.failure?.kind, 'exit');
    assert.match(
      failed!.candidate.failure!.message,
      /AOT compile \(.*fake-wasmtime\.mjs compile .*gone\.wasm -o .*gone\.cwasm\) failed/,
    );
    assert.equal(failed!.candidate.samples.length, 0);
  });

  test('AOT metrics on a runtime without an AOT compiler are an input error', () => {
    const p = plan([bench('score', exampleWasm('score'), node, { metrics: ['aot-compile'] })]);
    assert.throws(
      () => jobsOf(p, [node]),
      (e: unknown) =>
        e instanceof InputError && /aot-compile needs an ahead-of-time compiler, and node@.* has none/.test(e.message),
    );
    // Asking for AOT on a benchmark that also runs on node just measures node's .wasm as usual.
    const both = plan([bench('score', exampleWasm('score'), [node, wasmtime], { aot: true })]);
    assert.deepEqual(
      jobsOf(both, [node, wasmtime]).map((j) => `${j.runtime.ref.id}:${j.aot}`),
      ['node:false', 'wasmtime:true'],
    );
  });
});
