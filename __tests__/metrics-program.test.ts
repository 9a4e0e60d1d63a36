// Program-reported metrics: numbers the program prints (regex with a `value` group, or a JSON line),
// read after every timed run, gated like any other metric (direction-aware), failing the benchmark when missing.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { buildBaseline } from '../src/baseline/build.js';
import { machineFingerprint } from '../src/baseline/machine.js';
import { compareAll } from '../src/compare/compare.js';
import type { BenchmarkSpec, ProgramMetricSpec } from '../src/model/plan.js';
import { metricDef } from '../src/model/metrics.js';
import { parseProgramMetrics } from '../src/measure/program-metrics.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { exampleWasm } from './helpers/measure-env.js';
import { bench, measure, plan, runtime, values } from './fixtures/metrics/setup.js';

const scoreRegex: ProgramMetricSpec = {
  name: 'score',
  pattern: 'score: (?<value>[0-9.]+)',
  unit: 'points',
  direction: 'higher',
};
const scoreJson: ProgramMetricSpec = { name: 'json-score', json: 'score', unit: 'points', direction: 'higher' };

describe('parseProgramMetrics', () => {
  const stdout = 'running\nscore: 123.4\n{"score": 99.5, "label": "x"}\n';

  test('reads a regex `value` group and a JSON line key as numbers', () => {
    assert.deepEqual(parseProgramMetrics(stdout, [scoreRegex, scoreJson]), { score: 123.4, 'json-score': 99.5 });
  });

  test('a pattern that does not match names the metric and pattern and quotes the first lines', () => {
    const spec = { ...scoreRegex, pattern: 'Iterations/Sec +: (?<value>[0-9.]+)' };
    assert.throws(
      () => parseProgramMetrics(stdout, [spec]),
      (e: Error) =>
        e.message.includes("program metric 'score'") &&
        e.message.includes('/Iterations/Sec +: (?<value>[0-9.]+)/') &&
        e.message.includes('| score: 123.4'),
    );
  });

  test('JSON values must be numbers; a capture must be a number', () => {
    assert.throws(() => parseProgramMetrics('{"score": "fast"}\n', [scoreJson]), /holds "fast", which is not a number/);
    assert.throws(
      () => parseProgramMetrics('no json here\n', [scoreJson]),
      /no stdout line is a JSON object with the key "score"/,
    );
    assert.throws(
      () => parseProgramMetrics('score: 1.2.3\n', [{ ...scoreRegex, pattern: 'score: (?<value>[0-9.]+)' }]),
      /"1\.2\.3", which is not a number/,
    );
    assert.throws(() => parseProgramMetrics('', [scoreRegex]), /printed nothing on stdout/);
  });
});

describe('program metrics through the pipeline (node, examples/wasm/score.wasm)', () => {
  let node: ResolvedRuntime;
  const scoreBench = (rate: string, over: Partial<BenchmarkSpec> = {}): BenchmarkSpec =>
    bench('score', exampleWasm('score'), node, {
      args: [rate],
      metrics: ['score'],
      programMetrics: [scoreRegex, scoreJson],
      ...over,
    });
  before(async () => {
    node = await runtime('node');
  });

  test('`score: 123.4` becomes 123.4 on every sample, from the regex and from the JSON line', async () => {
    const [cell] = await measure(plan([scoreBench('123.4')], { minRuns: 3, maxRuns: 3 }), [node]);
    assert.equal(cell!.candidate.failure, undefined);
    assert.deepEqual(values(cell!, 'score'), [123.4, 123.4, 123.4]);
    assert.deepEqual(values(cell!, 'json-score'), [123.4, 123.4, 123.4]);
    assert.equal(values(cell!, 'wall').length, 3);
  });

  test('a 10% lower score (higher is better) against the stored baseline is `regressed`', async () => {
    const runs = { minRuns: 6, maxRuns: 6 };
    const base = scoreBench('123.4');
    const baselineRun = await measure(plan([base], runs), [node]);
    const metricInfo = (m: string, b: BenchmarkSpec) => ({
      unit: metricDef(m, b.programMetrics)!.unit,
      direction: metricDef(m, b.programMetrics)!.direction,
    });
    const machine = machineFingerprint();
    const bytes = { sha256: 'a'.repeat(64), bytes: new Uint8Array([0, 97, 115, 109]), rel: base.artifactRel };
    const doc = buildBaseline({
      measurements: baselineRun,
      benchmarks: [base],
      artifacts: new Map([[base.artifact, bytes]]),
      machine,
      now: new Date(),
      metricInfo,
    });

    const worse = scoreBench('111.1'); // 10% lower (printed with one decimal)
    const candidateRun = await measure(plan([worse], runs), [node]);
    const verdicts = compareAll({
      measurements: candidateRun,
      baseline: doc,
      benchmarks: [worse],
      machine,
      metricInfo,
    });
    const score = verdicts.find((v) => v.metric === 'score');
    assert.equal(score?.direction, 'higher');
    assert.equal(score?.kind, 'regressed', JSON.stringify(score));
    assert.ok(Math.abs(score!.ratio! - 111.1 / 123.4) < 1e-9, `ratio ${score!.ratio}`);

    // The same change the other way round is an improvement.
    const better = await measure(plan([scoreBench('135.7')], runs), [node]);
    const up = compareAll({ measurements: better, baseline: doc, benchmarks: [worse], machine, metricInfo }).find(
      (v) => v.metric === 'score',
    );
    assert.equal(up?.kind, 'improved', JSON.stringify(up));
  });

  test('missing output fails the benchmark (kind output), naming the pattern and showing the first lines', async () => {
    const coremark: ProgramMetricSpec = {
      name: 'iterations',
      pattern: 'Iterations/Sec +: (?<value>[0-9.]+)',
      unit: 'it/s',
      direction: 'higher',
    };
    const [cell] = await measure(
      plan([scoreBench('5', { metrics: ['wall', 'iterations'], programMetrics: [coremark] })]),
      [node],
    );
    const failure = cell!.candidate.failure;
    assert.equal(failure?.kind, 'output');
    assert.match(
      failure!.message,
      /program metric 'iterations': pattern \/Iterations\/Sec \+: \(\?<value>\[0-9\.\]\+\)\/ did not match/,
    );
    assert.match(failure!.message, /\| running the workload\n {2}\| score: 5\.0/);
    assert.match(failure!.stdoutHead, /score: 5\.0/);
    assert.equal(cell!.candidate.samples.length, 0, 'a run without its figure is not a sample');
  });
});
