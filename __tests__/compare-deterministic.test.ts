// Instruction counts and AOT sizes: a few runs, judged by range separation beyond the threshold.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compareAll } from '../src/compare/compare.js';
import type { BenchmarkSpec } from '../src/model/plan.js';
import type { CellMeasurement, Sample } from '../src/model/measurement.js';

const spec: BenchmarkSpec = {
  id: 'work',
  artifact: '/w.wasm',
  artifactRel: 'w.wasm',
  args: [],
  env: {},
  runtimes: [],
  threshold: 0.02,
  metrics: ['instructions'],
  programMetrics: [],
  thresholds: {},
};
const machine = { cpuModel: 'x', cores: 2, os: 'linux', arch: 'x64', memory: 1 };
const samples = (xs: number[]): Sample[] =>
  xs.map((v, round) => ({ values: { instructions: v, wall: 100 }, exitCode: 0, round }));

function verdictFor(base: number[], cand: number[]) {
  const m: CellMeasurement = {
    benchmark: 'work',
    runtime: 'node@20',
    runtimeVersion: '20',
    candidate: { arm: 'candidate', samples: samples(cand), warmups: 0 },
    baseline: { arm: 'baseline', samples: samples(base), warmups: 0 },
    schedule: 'interleaved',
    elapsedMs: 1,
  };
  const [v] = compareAll({
    measurements: [m],
    benchmarks: [spec],
    machine,
    metricInfo: () => ({ unit: 'count', direction: 'lower', deterministic: true }),
  });
  return v!;
}

const base = [1.0149e9, 1.0169e9, 1.0158e9]; // four-run spread seen under node: 0.2%

test('+4.8% instructions with separated ranges regresses past a 2% threshold, from three runs each', () => {
  const v = verdictFor(
    base,
    base.map((x) => x * 1.048),
  );
  assert.equal(v.kind, 'regressed');
  assert.equal(v.statistic, 'range separation');
  assert.ok(v.interval![0] > 1.02);
});

test('the same counts are unchanged; a 1% change stays under a 2% threshold', () => {
  assert.equal(verdictFor(base, [...base].reverse()).kind, 'unchanged');
  assert.equal(
    verdictFor(
      base,
      base.map((x) => x * 1.01),
    ).kind,
    'unchanged',
  );
});

test('fewer instructions beyond the threshold is an improvement', () => {
  assert.equal(
    verdictFor(
      base,
      base.map((x) => x * 0.9),
    ).kind,
    'improved',
  );
});

test('overlapping ranges straddling the threshold stay inconclusive', () => {
  assert.equal(verdictFor([1e9, 1.05e9, 1.1e9], [1.02e9, 1.08e9, 1.12e9]).kind, 'inconclusive');
});
