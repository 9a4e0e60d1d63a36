import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareAll } from '../src/compare/compare.js';
import { decisive } from '../src/compare/stopping.js';
import {
  MACHINE,
  baselineDoc,
  bench,
  cell,
  entry,
  lognormal,
  lowerIsBetter,
  pairedArms,
  refreshHistory,
  samplesOf,
} from './helpers/stats-synthetic.js';

/** Rounds the engine would run before `decisive` lets it stop (capped at maxRounds). */
function roundsUntilDecisive(baseline: number[], candidate: number[], threshold: number, maxRounds: number): number {
  for (let n = 2; n <= maxRounds; n++) {
    if (
      decisive(
        { baseline: samplesOf(baseline.slice(0, n)), candidate: samplesOf(candidate.slice(0, n)) },
        threshold,
        'wall',
      )
    )
      return n;
  }
  return maxRounds;
}

describe('adaptive stopping rule', () => {
  test('a stable benchmark with no change stops early; a noisy one keeps measuring', () => {
    const stable = pairedArms({ rounds: 60, ratio: 1, sigma: 0.002, seed: 1 });
    const noisy = pairedArms({ rounds: 60, ratio: 1, sigma: 0.15, seed: 2 });
    const early = roundsUntilDecisive(stable.baseline, stable.candidate, 0.05, 60);
    assert.ok(early <= 6, `stable stopped after ${early}`);
    assert.equal(roundsUntilDecisive(noisy.baseline, noisy.candidate, 0.05, 60), 60);
  });

  test('a change far past the threshold is decisive; one sitting on the threshold is not', () => {
    const big = pairedArms({ rounds: 30, ratio: 1.3, sigma: 0.02, seed: 3 });
    assert.ok(roundsUntilDecisive(big.baseline, big.candidate, 0.05, 30) < 30);
    const edge = pairedArms({ rounds: 30, ratio: 1.05, sigma: 0.02, seed: 4 });
    assert.equal(roundsUntilDecisive(edge.baseline, edge.candidate, 0.05, 30), 30);
  });

  test('a clear change is not "decided" before the final test can be significant across the run', () => {
    const { baseline, candidate } = pairedArms({ rounds: 40, ratio: 1.3, sigma: 0.01, seed: 10 });
    const at = (n: number, cells: number) =>
      decisive(
        { baseline: samplesOf(baseline.slice(0, n)), candidate: samplesOf(candidate.slice(0, n)) },
        0.05,
        'wall',
        { cells },
      );
    assert.equal(at(11, 1), true);
    assert.equal(at(12, 200), false); // 2^-11 > 0.05 / 200
    assert.equal(at(14, 200), true);
  });

  test('never stops on too few runs, however clean', () => {
    const { baseline, candidate } = pairedArms({ rounds: 10, ratio: 1, sigma: 0.0001, seed: 5 });
    const at = (n: number, options = {}) =>
      decisive(
        { baseline: samplesOf(baseline.slice(0, n)), candidate: samplesOf(candidate.slice(0, n)) },
        0.05,
        'wall',
        options,
      );
    assert.equal(at(5), false);
    assert.equal(at(6), true);
    assert.equal(at(9, { minRuns: 10 }), false);
    assert.equal(at(10, { minRuns: 10 }), true);
    assert.equal(decisive({ candidate: samplesOf(candidate.slice(0, 5)) }, 0.05), false);
  });

  test('a "past the threshold" stop needs a whole 99.9% interval past it (peeking guard), "within" only 99%', () => {
    const { baseline, candidate } = pairedArms({ rounds: 12, ratio: 1.3, sigma: 0.001, seed: 11 });
    const at = (n: number, options = {}) =>
      decisive(
        { baseline: samplesOf(baseline.slice(0, n)), candidate: samplesOf(candidate.slice(0, n)) },
        0.05,
        'wall',
        options,
      );
    assert.deepEqual(
      [6, 8, 10, 11].map((n) => at(n)),
      [false, false, false, true],
    ); // 2^-10 > 0.0005 ≥ 2^-11
    assert.equal(at(8, { pastConfidence: 0.99 }), true); // 2^-8 ≤ 0.005
  });

  test('a 2% shift with a 1% threshold keeps going until it is decided, then is caught', () => {
    const stops: number[] = [];
    for (const seed of [20, 21, 22, 23, 24, 25, 26, 27]) {
      const { baseline, candidate } = pairedArms({ rounds: 60, ratio: 1.02, sigma: 0.012, roundSigma: 0.02, seed });
      const n = roundsUntilDecisive(baseline, candidate, 0.01, 60);
      stops.push(n);
      assert.ok(n > 10, `seed ${seed}: stopped after ${n}`);
      const [v] = compareAll({
        machine: MACHINE,
        metricInfo: lowerIsBetter,
        measurements: [cell('b', candidate.slice(0, n), baseline.slice(0, n))],
        benchmarks: [bench('b', { threshold: 0.01 })],
      });
      assert.equal(v!.kind, 'regressed', `seed ${seed} after ${n} rounds`);
    }
    assert.ok(stops.filter((n) => n < 60).length >= 6, `stopped after ${stops.join(', ')} rounds`);
  });

  test('a 2% shift with a 5% threshold stops as unchanged, early', () => {
    const { baseline, candidate } = pairedArms({ rounds: 60, ratio: 1.02, sigma: 0.01, seed: 30 });
    const n = roundsUntilDecisive(baseline, candidate, 0.05, 60);
    assert.ok(n <= 10, `stopped after ${n}`);
    const [v] = compareAll({
      machine: MACHINE,
      metricInfo: lowerIsBetter,
      measurements: [cell('b', candidate.slice(0, n), baseline.slice(0, n))],
      benchmarks: [bench('b')],
    });
    assert.equal(v!.kind, 'unchanged');
  });

  test('wherever the rule stops, the verdict is decided (never inconclusive), paired and stored', () => {
    for (let seed = 40; seed < 100; seed++) {
      const ratio = [1, 1.01, 1.02, 1.05, 0.97][seed % 5]!;
      const { baseline, candidate } = pairedArms({
        rounds: 40,
        ratio,
        sigma: 0.005 + (seed % 7) * 0.004,
        roundSigma: 0.01,
        seed,
      });
      for (let n = 6; n <= 40; n++) {
        const b = baseline.slice(0, n);
        const c = candidate.slice(0, n);
        if (decisive({ baseline: samplesOf(b), candidate: samplesOf(c) }, 0.02)) {
          const [v] = compareAll({
            machine: MACHINE,
            metricInfo: lowerIsBetter,
            measurements: [cell('b', c, b)],
            benchmarks: [bench('b', { threshold: 0.02 })],
          });
          assert.notEqual(v!.kind, 'inconclusive', `paired seed ${seed}, n ${n}`);
          break;
        }
      }
      const stored = baseline.slice(0, 10);
      for (let n = 6; n <= 40; n++) {
        const c = candidate.slice(0, n);
        if (decisive({ candidate: samplesOf(c), stored }, 0.02)) {
          const [v] = compareAll({
            machine: MACHINE,
            metricInfo: lowerIsBetter,
            measurements: [cell('b', c)],
            benchmarks: [bench('b', { threshold: 0.02 })],
            baseline: baselineDoc([entry('b', stored)]),
          });
          assert.ok(
            v!.kind === 'unchanged' || v!.kind === 'regressed' || v!.kind === 'improved',
            `stored seed ${seed}, n ${n}: ${v!.kind}`,
          );
          break;
        }
      }
    }
  });

  test('without partner runs: against stored values, or on the candidate’s own precision', () => {
    const candidate = samplesOf(lognormal(20, 100, 0.003, 6));
    assert.equal(decisive({ candidate, stored: lognormal(20, 100, 0.003, 7) }, 0.05), true);
    assert.equal(decisive({ candidate, stored: lognormal(20, 100, 0.3, 8) }, 0.05), false);
    assert.equal(decisive({ candidate }, 0.05), true);
    assert.equal(decisive({ candidate: samplesOf(lognormal(20, 100, 0.3, 9)) }, 0.05), false);
  });

  test('peeking after every round does not manufacture regressions (optional stopping, 150 null cells)', () => {
    const measurements = [];
    const benchmarks = [];
    let stoppedEarly = 0;
    for (let i = 0; i < 150; i++) {
      const { baseline, candidate } = pairedArms({
        rounds: 40,
        ratio: 1,
        sigma: 0.01 + (i % 10) * 0.005,
        roundSigma: 0.02,
        seed: 100 + i,
      });
      const n = roundsUntilDecisive(baseline, candidate, 0.05, 40);
      if (n < 40) stoppedEarly++;
      measurements.push(cell(`b${i}`, candidate.slice(0, n), baseline.slice(0, n)));
      benchmarks.push(bench(`b${i}`));
    }
    const verdicts = compareAll({ machine: MACHINE, metricInfo: lowerIsBetter, measurements, benchmarks });
    assert.ok(stoppedEarly > 50, `only ${stoppedEarly} stopped early`);
    assert.equal(verdicts.filter((v) => v.kind === 'regressed' || v.kind === 'improved').length, 0);
    // Stopping as "clearly small" must lead to an unchanged verdict, not an inconclusive one.
    const early = verdicts.filter((v) => v.runs.candidate < 40);
    assert.ok(
      early.every((v) => v.kind === 'unchanged'),
      early.map((v) => v.kind).join(),
    );
  });

  test('a regressed verdict needs the interval past half the threshold, so a stop "past" always yields one', async () => {
    const { classifyChange } = await import('../src/compare/classify.js');
    const base = {
      ratio: 1.03,
      minDetectable: 0.009,
      adjustedP: 0.001,
      threshold: 0.02,
      direction: 'lower' as const,
      alpha: 0.05,
    };
    assert.equal(classifyChange({ ...base, interval: [1.011, 1.049] }), 'regressed');
    assert.equal(classifyChange({ ...base, interval: [1.009, 1.049] }), 'inconclusive'); // near end short of 1 + t/2
    assert.equal(classifyChange({ ...base, ratio: 0.97, interval: [0.951, 0.989] }), 'improved');
    assert.equal(classifyChange({ ...base, ratio: 0.97, interval: [0.951, 0.991] }), 'inconclusive');
  });
});

describe('stored cells with history: stopping follows the verdict judged against the refreshes', () => {
  const aa = (n: number) => samplesOf(lognormal(n, 100, 0.01, 21));
  const stored = lognormal(10, 100, 0.01, 22);

  test('sessions 3% apart: twice the runs of a refresh are as precise as the runner allows, so it stops there', () => {
    const history = refreshHistory(12, 0.03, 23); // refreshes of 10 runs each
    assert.equal(decisive({ candidate: aa(20), stored, history }, 0.05, 'wall'), true);
    // Saturated already at 6, but a session as short as a refresh can sit wholly in one slow phase of the runner.
    assert.equal(decisive({ candidate: aa(19), stored, history }, 0.05, 'wall'), false, 'not before 20 runs');
    assert.equal(decisive({ candidate: aa(10), stored, history }, 0.05, 'wall'), false, 'not at a refresh length');
  });

  test('refreshes whose spread is sampling error: it measures on until the interval is within the threshold', () => {
    const history = refreshHistory(12, 0.002, 24);
    history.points = history.points.map((p) => ({ ...p, interval: [p.median * 0.93, p.median * 1.07] }));
    assert.equal(decisive({ candidate: aa(6), stored, history }, 0.05, 'wall'), false, '6 runs');
    assert.equal(decisive({ candidate: aa(60), stored, history }, 0.05, 'wall'), true, '60 runs');
  });

  test('too little history: the verdict falls back to the stored runs, and so does stopping', () => {
    const history = refreshHistory(3, 0.03, 25);
    for (const n of [6, 12, 30]) {
      const state = { candidate: aa(n), stored };
      assert.equal(decisive({ ...state, history }, 0.05, 'wall'), decisive(state, 0.05, 'wall'), `${n} runs`);
    }
  });
});
