// Plumbing of the measurement options: config keys for AOT and instruction runs, the metric table behind
// `metrics`, and the input errors that stop a plan the measurement could not honour.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseConfigFile } from '../src/config/config-file.js';
import { InputError } from '../src/model/input-error.js';
import { readInputs } from '../src/config/inputs.js';
import { buildPlan, KNOWN_METRICS } from '../src/config/plan.js';
import { measureJobs } from '../src/measure/measuring-loop.js';
import { metricDef } from '../src/model/metrics.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { exampleWasm, repoRoot } from './helpers/measure-env.js';
import { bench, jobsOf, metricsFixture, plan, runtime } from './fixtures/metrics/setup.js';

const planFrom = (yaml: string) =>
  buildPlan({
    inputs: readInputs(() => undefined),
    config: parseConfigFile(yaml, 'test.yml'),
    workspace: repoRoot,
    mode: 'compare',
    matches: new Map([['examples/wasm/score.wasm', [exampleWasm('score')]]]),
    defaultJsonPath: '/tmp/r.json',
  });

describe('config plumbing', () => {
  test('benchmarks[].aot and measure.instruction-runs reach the plan; cache defaults to warm', () => {
    const p = planFrom(
      'runtimes: [node]\nmeasure:\n  instruction-runs: 2\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n    aot: true\n    metrics: [instructions, aot-size]\n',
    );
    assert.equal(p.benchmarks[0]!.aot, true);
    assert.deepEqual(p.benchmarks[0]!.metrics, ['instructions', 'aot-size']);
    assert.equal(p.measure.instructionRuns, 2);
    assert.equal(p.measure.cache, 'warm');
    assert.equal(
      planFrom('runtimes: [node]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n').benchmarks[0]!.aot,
      undefined,
    );
  });

  test('every built-in metric id is accepted and has a row with unit and direction', () => {
    for (const id of ['wall', 'peak-rss', 'instructions', 'aot-compile', 'aot-size'])
      assert.ok(KNOWN_METRICS.includes(id), id);
    assert.deepEqual(metricDef('instructions'), {
      id: 'instructions',
      label: 'Instructions (user space)',
      unit: 'count',
      direction: 'lower',
      source: 'counter',
      deterministic: true,
    });
    assert.equal(metricDef('aot-size')?.unit, 'bytes');
    assert.throws(
      () =>
        planFrom('runtimes: [node]\nmetrics: [wall, instrs]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n'),
      /unknown metric 'instrs'.*aot-compile/s,
    );
  });

  test('a program metric may not take a built-in name', () => {
    const yaml =
      "runtimes: [node]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n    program-metrics:\n      - { name: wall, pattern: 'score: (?<value>[0-9.]+)' }\n";
    assert.throws(
      () => planFrom(yaml),
      (e: unknown) =>
        e instanceof InputError && /program metric 'wall' has the name of a built-in metric/.test(e.message),
    );
  });
});

describe('what the measurement refuses up front', () => {
  let node: ResolvedRuntime;
  before(async () => {
    node = await runtime('node');
  });

  test('hyperfine cannot read per-run metrics (launcher, rusage, program output)', () => {
    const b = bench('score', exampleWasm('score'), node, { metrics: ['wall', 'peak-rss'] });
    assert.throws(
      () => jobsOf(plan([b], { engine: 'hyperfine' }), [node]),
      (e: unknown) => e instanceof InputError && e.message.includes('peak-rss of benchmark score cannot be read'),
    );
    const sideOnly = bench('score', exampleWasm('score'), node, { metrics: ['wall', 'instructions'] });
    assert.equal(
      jobsOf(plan([sideOnly], { engine: 'hyperfine' }), [node]).length,
      1,
      'side metrics work with hyperfine',
    );
  });

  test('the stop rule sees only metrics the timed runs produce (side metrics arrive after the loop)', async () => {
    const wasmtime = await runtime(`wasmtime@${metricsFixture('fake-wasmtime.mjs')}`);
    const b = bench('score', exampleWasm('score'), wasmtime, { args: ['1'], metrics: ['wall', 'aot-size'] });
    const seen: string[][] = [];
    const dir = mkdtempSync(join(tmpdir(), 'metrics-plan-'));
    try {
      const p = plan([b], { minRuns: 2, maxRuns: 2 });
      const [cell] = await measureJobs(p, jobsOf(p, [wasmtime]), dir, {
        stopRule: (job) => (seen.push(job.bench.metrics), undefined),
      });
      assert.equal(cell!.candidate.failure, undefined);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.deepEqual(seen, [['wall']]);
  });
});
