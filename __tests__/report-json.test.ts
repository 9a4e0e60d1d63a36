import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderJson } from '../src/report/json-report.js';
import { actionOutputs, type RegressionOutput } from '../src/report/outputs.js';
import type { RunReport } from '../src/report/types.js';
import { MALICIOUS, makeReport } from './helpers/report-fixtures.js';

function sampleReport(): RunReport {
  return makeReport({
    benchmarks: ['fib', MALICIOUS, 'sha'],
    samples: 7,
    kindOf: (_b, _r, i) => (['regressed', 'unchanged', 'failed', 'improved', 'regressed', 'new'] as const)[i]!,
    warnings: ['cache unavailable'],
  });
}

test('the JSON report round-trips the whole RunReport, every sample included', () => {
  const report = sampleReport();
  const parsed = JSON.parse(renderJson(report)) as RunReport;
  assert.deepStrictEqual(parsed, report);
  const samples = parsed.measurements.flatMap((m) => [...m.candidate.samples, ...(m.baseline?.samples ?? [])]);
  const expected = report.measurements.reduce(
    (n, m) => n + m.candidate.samples.length + (m.baseline?.samples.length ?? 0),
    0,
  );
  assert.equal(samples.length, expected);
  assert.ok(expected > 40);
});

test('key order is stable: the same data built in another order serializes identically', () => {
  const report = sampleReport();
  const reordered = JSON.parse(JSON.stringify(report), function (this: unknown, _key, value: unknown) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return value;
    return Object.fromEntries(Object.entries(value).reverse());
  }) as RunReport;
  assert.notEqual(JSON.stringify(reordered), JSON.stringify(report), 'precondition: insertion order differs');
  assert.equal(renderJson(reordered), renderJson(report));
  const topKeys = Object.keys(JSON.parse(renderJson(report)) as object);
  assert.deepEqual(topKeys, [...topKeys].sort());
});

test('non-finite figures become null instead of breaking the JSON', () => {
  const report = sampleReport();
  report.verdicts[0]!.ratio = Number.POSITIVE_INFINITY;
  report.measurements[0]!.candidate.samples[0]!.values['wall'] = Number.NaN;
  const parsed = JSON.parse(renderJson(report)) as {
    verdicts: { ratio: unknown }[];
    measurements: { candidate: { samples: { values: Record<string, unknown> }[] } }[];
  };
  assert.equal(parsed.verdicts[0]!.ratio, null);
  assert.equal(parsed.measurements[0]!.candidate.samples[0]!.values['wall'], null);
});

test('outputs: verdict is the headline, regressions the count, regressed-cells a JSON list worst first, report-json the path', () => {
  const report = sampleReport();
  const second = report.verdicts[4]!;
  Object.assign(second, { ratio: 1.3, interval: [1.2, 1.4] });
  const outputs = actionOutputs(report, '/tmp/wasm-perf-gate/report.json');
  assert.equal(outputs.verdict, 'failed');
  assert.equal(outputs['report-json'], '/tmp/wasm-perf-gate/report.json');
  assert.equal(outputs.regressions, '2');
  const regressions = JSON.parse(outputs['regressed-cells']) as RegressionOutput[];
  assert.deepEqual(regressions, [
    {
      benchmark: second.benchmark,
      runtime: second.runtime,
      metric: 'wall',
      kind: 'regressed',
      ratio: 1.3,
      interval: [1.2, 1.4],
      change: '+30.0% [+20.0%, +40.0%]',
    },
    {
      benchmark: 'fib',
      runtime: 'wasmtime@48.0.0',
      metric: 'wall',
      kind: 'regressed',
      ratio: 1.124,
      interval: [1.081, 1.169],
      change: '+12.4% [+8.1%, +16.9%]',
    },
  ]);
});

test('outputs for every headline; no regressions gives an empty list', () => {
  const pass = makeReport();
  assert.equal(actionOutputs(pass, 'r.json').verdict, 'pass');
  assert.equal(actionOutputs(pass, 'r.json').regressions, '0');
  assert.equal(actionOutputs(pass, 'r.json')['regressed-cells'], '[]');
  assert.equal(actionOutputs(makeReport({ baseline: null, kindOf: () => 'new' }), 'r.json').verdict, 'no-baseline');
  assert.equal(actionOutputs(makeReport({ mode: 'baseline' }), 'r.json').verdict, 'baseline-saved');
  assert.equal(actionOutputs(makeReport({ kindOf: () => 'regressed' }), 'r.json').verdict, 'regressed');
});
