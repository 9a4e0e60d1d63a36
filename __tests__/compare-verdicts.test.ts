import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareAll, type CompareInput } from '../src/compare/compare.js';
import type { ChangeInput } from '../src/stats/change.js';
import type { RunFailure } from '../src/model/measurement.js';
import {
  MACHINE,
  baselineDoc,
  bench,
  cell,
  entry,
  lognormal,
  lowerIsBetter,
  pairedArms,
} from './helpers/stats-synthetic.js';

function only(input: CompareInput) {
  const verdicts = compareAll(input);
  assert.equal(verdicts.length, 1, JSON.stringify(verdicts.map((v) => [v.benchmark, v.kind])));
  return verdicts[0]!;
}

const base = { machine: MACHINE, metricInfo: lowerIsBetter };

describe('compareAll: paired A/B on this runner', () => {
  test('identical measurements are unchanged', () => {
    const { baseline } = pairedArms({ rounds: 20, ratio: 1, sigma: 0.02, seed: 1 });
    const v = only({ ...base, measurements: [cell('fib', baseline, baseline)], benchmarks: [bench('fib')] });
    assert.equal(v.kind, 'unchanged');
    assert.equal(v.method, 'paired');
    assert.deepEqual(v.interval, [1, 1]);
  });

  test('a clean 10% slowdown with small noise regresses', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1.1, sigma: 0.01, roundSigma: 0.03, seed: 2 });
    const v = only({ ...base, measurements: [cell('fib', candidate, baseline)], benchmarks: [bench('fib')] });
    assert.equal(v.kind, 'regressed');
    assert.ok(v.ratio! > 1.05 && v.interval![0] > 1);
    assert.ok(v.adjustedP! < 0.05 && v.minDetectable! < v.threshold);
    assert.deepEqual(v.runs, { baseline: 20, candidate: 20 });
    assert.ok(Math.abs(v.candidateMedian! / v.baselineMedian! - 1.1) < 0.02);
  });

  test('10% faster improves', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 0.9, sigma: 0.01, seed: 3 });
    assert.equal(
      only({ ...base, measurements: [cell('fib', candidate, baseline)], benchmarks: [bench('fib')] }).kind,
      'improved',
    );
  });

  test('heavy noise with a small shift is inconclusive, and says how much it could have seen', () => {
    const { baseline, candidate } = pairedArms({ rounds: 10, ratio: 1.04, sigma: 0.25, seed: 4 });
    const v = only({ ...base, measurements: [cell('fib', candidate, baseline)], benchmarks: [bench('fib')] });
    assert.equal(v.kind, 'inconclusive');
    assert.ok(v.minDetectable! > v.threshold);
    assert.ok(v.notes.some((n) => n.includes('could only resolve')));
  });

  test('an inconclusive wall verdict on a busy runner (runs 1.6× their CPU time) says to gate cpu too', () => {
    const { baseline, candidate } = pairedArms({ rounds: 10, ratio: 1.04, sigma: 0.25, seed: 4 });
    const busy = cell('fib', candidate, baseline);
    for (const s of busy.candidate.samples) s.values['cpu'] = s.values['wall']! / 1.6;
    const v = only({ ...base, measurements: [busy], benchmarks: [bench('fib')] });
    assert.equal(v.kind, 'inconclusive');
    assert.ok(
      v.notes.some((n) => /37\.5% of their wall time off the CPU .*schedule: pinned.*metrics: wall, cpu/.test(n)),
      v.notes.join('\n'),
    );
    const quiet = cell('fib', candidate, baseline);
    for (const s of quiet.candidate.samples) s.values['cpu'] = s.values['wall']! / 1.05;
    const calm = only({ ...base, measurements: [quiet], benchmarks: [bench('fib')] });
    assert.ok(!calm.notes.some((n) => n.includes('off the CPU')), 'a runner that was not busy gets no such note');
    for (const s of busy.baseline!.samples) s.values['cpu'] = s.values['wall']! / 1.6;
    const both = compareAll({
      ...base,
      measurements: [busy],
      benchmarks: [bench('fib', { metrics: ['wall', 'cpu'] })],
    });
    const gated = both.find((x) => x.metric === 'wall')!;
    assert.equal(gated.kind, 'inconclusive');
    assert.ok(!gated.notes.some((n) => n.includes('off the CPU')), 'cpu already gated: nothing to suggest');
  });

  test('a significant change smaller than its metric threshold is unchanged', () => {
    const { baseline, candidate } = pairedArms({ rounds: 30, ratio: 1.1, sigma: 0.01, seed: 5 });
    const v = only({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      benchmarks: [bench('fib', { thresholds: { wall: 0.2 } })],
    });
    assert.equal(v.threshold, 0.2);
    assert.ok(v.pValue! < 0.001);
    assert.equal(v.kind, 'unchanged');
  });

  test('higher-is-better: a score 10% lower regresses, 10% higher improves', () => {
    const score = { name: 'score', json: 'score', unit: 'ops/s', direction: 'higher' as const };
    const spec = bench('game', { metrics: ['score'], programMetrics: [score] });
    const info = () => ({ unit: 'ops/s', direction: 'higher' as const });
    for (const [ratio, kind] of [
      [0.9, 'regressed'],
      [1.1, 'improved'],
    ] as const) {
      const { baseline, candidate } = pairedArms({ rounds: 20, ratio, sigma: 0.01, seed: 6 });
      const v = only({
        machine: MACHINE,
        metricInfo: info,
        measurements: [cell('game', candidate, baseline, 'score')],
        benchmarks: [spec],
      });
      assert.equal(v.direction, 'higher');
      assert.equal(v.kind, kind, `ratio ${ratio}`);
    }
  });

  test('the 2% promise: a 3% slowdown with a 2% threshold is caught on a quiet runner', () => {
    const { baseline, candidate } = pairedArms({ rounds: 30, ratio: 1.03, sigma: 0.005, roundSigma: 0.03, seed: 7 });
    const v = only({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      benchmarks: [bench('fib', { threshold: 0.02 })],
    });
    assert.equal(v.kind, 'regressed');
  });

  test('an outlier run is flagged and kept, and does not sway the verdict', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1, sigma: 0.01, seed: 8 });
    candidate[7] = candidate[7]! * 3; // a stalled run
    const v = only({ ...base, measurements: [cell('fib', candidate, baseline)], benchmarks: [bench('fib')] });
    assert.deepEqual(v.outliers?.candidate, [7]);
    assert.equal(v.runs.candidate, 20);
    assert.equal(v.kind, 'unchanged');
  });

  test('A/A (byte-identical artifacts) is marked as the noise floor', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1, sigma: 0.01, seed: 9 });
    const doc = baselineDoc([entry('fib', baseline)]);
    const v = only({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      baseline: doc,
      benchmarks: [bench('fib')],
      candidateSha256: { fib: 'sha-fib' },
    });
    assert.equal(v.noiseFloor, true);
    assert.ok(v.notes.some((n) => n.includes('noise floor')));
    const other = only({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      baseline: doc,
      benchmarks: [bench('fib')],
      candidateSha256: { fib: 'sha-other' },
    });
    assert.equal(other.noiseFloor, undefined);
  });

  test('arms whose rounds do not line up are compared unpaired, with a note', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1.1, sigma: 0.01, seed: 10 });
    const m = cell('fib', candidate, baseline);
    m.baseline!.samples.forEach((s) => (s.round += 100));
    const v = only({ ...base, measurements: [m], benchmarks: [bench('fib')] });
    assert.equal(v.method, 'unpaired');
    assert.equal(v.kind, 'regressed');
    assert.ok(v.notes.some((n) => n.includes('did not pair')));
  });

  test('arms run one after another (hyperfine) are judged as two independent samples, whatever their rounds say', () => {
    // Six runs each, 5× slower: paired, the signed-rank floor (0.031) could not pass Holm over 2 cells.
    const { baseline, candidate } = pairedArms({ rounds: 6, ratio: 5, sigma: 0.01, seed: 12 });
    const m = { ...cell('coremark', candidate, baseline), schedule: 'sequential' as const };
    const other = cell('other', pairedArms({ rounds: 6, ratio: 1, sigma: 0.01, seed: 13 }).candidate);
    const verdicts = compareAll({
      ...base,
      measurements: [m, { ...other, baseline: { ...m.baseline! } }],
      benchmarks: [bench('coremark'), bench('other')],
    });
    const v = verdicts.find((x) => x.benchmark === 'coremark')!;
    assert.equal(v.method, 'unpaired');
    assert.match(v.statistic!, /^unpaired mann-whitney/);
    assert.equal(v.kind, 'regressed', `${v.kind} ${v.ratio} adj=${v.adjustedP}`);
    assert.ok(v.notes.some((n) => n.includes('one after another')));
  });

  test('the estimator is one replaceable function, called with the paired arrays', () => {
    const { baseline, candidate } = pairedArms({ rounds: 12, ratio: 1, sigma: 0.01, seed: 11 });
    const calls: ChangeInput[] = [];
    const v = only({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      benchmarks: [bench('fib')],
      options: {
        estimator: (input) => {
          calls.push(input);
          return { ratio: 1.5, interval: [1.4, 1.6], pValue: 1e-6, minDetectable: 0.1, method: 'stub' };
        },
      },
    });
    assert.equal(calls.length, 1);
    assert.deepEqual([calls[0]!.paired, calls[0]!.confidence], [true, 0.95]);
    assert.deepEqual(calls[0]!.candidate, candidate);
    assert.equal(v.kind, 'regressed'); // 1.4 > 1 + 5% at its near end: not a guess despite minDetectable 10%
    assert.equal(v.statistic, 'stub');
  });
});

describe('compareAll: stored baseline, new, missing, failed', () => {
  test('without a baseline arm, compares unpaired with stored samples and notes machine and version differences', () => {
    const stored = lognormal(30, 100, 0.01, 12);
    const doc = baselineDoc([{ ...entry('fib', stored), runtimeVersion: '29.0.0' }], {
      ...MACHINE,
      cpuModel: 'Intel Xeon 8370C',
      cores: 2,
    });
    const v = only({
      ...base,
      measurements: [cell('fib', lognormal(30, 110, 0.01, 13))],
      baseline: doc,
      benchmarks: [bench('fib')],
    });
    assert.equal(v.method, 'unpaired');
    assert.equal(v.kind, 'regressed');
    assert.equal(v.runs.baseline, 30);
    for (const word of ['another CPU', 'cores', '29.0.0'])
      assert.ok(
        v.notes.some((n) => n.includes(word)),
        word,
      );
  });

  test('no baseline entry and no baseline arm: new', () => {
    const v = only({
      ...base,
      measurements: [cell('fresh', lognormal(10, 5, 0.01, 14))],
      benchmarks: [bench('fresh')],
    });
    assert.equal(v.kind, 'new');
    assert.equal(v.method, 'none');
    assert.ok(v.candidateMedian! > 4 && v.candidateMedian! < 6);
  });

  test('a baseline entry with no measurement this run: missing', () => {
    const doc = baselineDoc([entry('fib', lognormal(10, 100, 0.01, 15)), entry('gone', lognormal(10, 50, 0.01, 16))]);
    const { baseline, candidate } = pairedArms({ rounds: 10, ratio: 1, sigma: 0.01, seed: 17 });
    const verdicts = compareAll({
      ...base,
      measurements: [cell('fib', candidate, baseline)],
      baseline: doc,
      benchmarks: [bench('fib')],
    });
    const gone = verdicts.find((v) => v.benchmark === 'gone');
    assert.equal(gone?.kind, 'missing');
    // Labelled as the measured cells are (key + the version it was measured with): one runtime in the scope line.
    assert.equal(gone?.runtime, 'wasmtime@30.0.0');
    assert.equal(verdicts.length, 2);
  });

  test('cells match by the runtime id in the config: a new version is compared, two versions in one config stay apart', () => {
    const older = { ...entry('fib', lognormal(20, 100, 0.01, 30)), runtime: 'node@20.0.0', runtimeVersion: '20.0.0' };
    const newer = { ...entry('fib', lognormal(20, 50, 0.01, 31)), runtime: 'node@22.0.0', runtimeVersion: '22.0.0' };
    const plain = { ...entry('add', lognormal(20, 10, 0.01, 32)), runtime: 'node', runtimeVersion: '20.0.0' };
    const measured = (benchmark: string, center: number, key: string, version: string, seed: number) => ({
      ...cell(benchmark, lognormal(20, center, 0.01, seed), undefined, 'wall', `${key.split('@')[0]}@${version}`),
      runtimeVersion: version,
      runtimeKey: key,
    });
    const verdicts = compareAll({
      ...base,
      measurements: [
        measured('fib', 100, 'node@20.0.0', '20.0.0', 33),
        measured('fib', 50, 'node@22.0.0', '22.0.0', 34),
        measured('add', 10, 'node', '22.1.0', 35),
      ],
      baseline: baselineDoc([older, newer, plain]),
      benchmarks: [bench('fib'), bench('add')],
    });
    const shown = verdicts.map((v) => `${v.benchmark} ${v.runtime} ${v.kind}`);
    assert.deepEqual(shown.sort(), [
      'add node@22.1.0 unchanged',
      'fib node@20.0.0 unchanged',
      'fib node@22.0.0 unchanged',
    ]);
    const add = verdicts.find((v) => v.benchmark === 'add')!;
    assert.equal(add.method, 'unpaired');
    assert.ok(
      add.notes.some((n) => n.includes('20.0.0') && n.includes('22.1.0')),
      add.notes.join('; '),
    );
  });

  test('a run failure is failed and carries the failure', () => {
    const failure: RunFailure = {
      kind: 'trap',
      exitCode: 134,
      message: 'wasm trap: unreachable',
      stdoutHead: '',
      stderrTail: 'unreachable',
    };
    const m = cell('fib', []);
    m.candidate.failure = failure;
    const doc = baselineDoc([entry('fib', lognormal(10, 100, 0.01, 18))]);
    const v = only({ ...base, measurements: [m], baseline: doc, benchmarks: [bench('fib')] });
    assert.equal(v.kind, 'failed');
    assert.deepEqual(v.failure, failure);
  });

  test('a baseline arm that failed here falls back to the stored samples, with a note', () => {
    const doc = baselineDoc([entry('fib', lognormal(20, 100, 0.01, 19))]);
    const m = cell('fib', lognormal(20, 100, 0.01, 20), []);
    m.baseline!.failure = { kind: 'exit', exitCode: 1, message: 'exit 1', stdoutHead: '', stderrTail: '' };
    const v = only({ ...base, measurements: [m], baseline: doc, benchmarks: [bench('fib')] });
    assert.equal(v.method, 'unpaired');
    assert.equal(v.kind, 'unchanged');
    assert.ok(v.notes.some((n) => n.includes('baseline artifact failed')));
  });

  test('one verdict per benchmark × runtime × gated metric', () => {
    const spec = bench('multi', { metrics: ['wall', 'peak-rss'] });
    const m = cell('multi', lognormal(10, 5, 0.01, 21));
    m.candidate.samples.forEach((s, i) => (s.values['peak-rss'] = 1000 + i));
    const other = { ...cell('multi', lognormal(10, 5, 0.01, 22)), runtime: 'node@22' };
    const verdicts = compareAll({ ...base, measurements: [m, other], benchmarks: [spec] });
    assert.deepEqual(
      verdicts.map((v) => `${v.runtime}/${v.metric}/${v.kind}`),
      ['wasmtime@30.0.0/wall/new', 'wasmtime@30.0.0/peak-rss/new', 'node@22/wall/new', 'node@22/peak-rss/new'],
    );
  });
});
