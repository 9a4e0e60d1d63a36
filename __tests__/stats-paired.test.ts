import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pairedChange, signTestInterval } from '../src/stats/paired.js';
import { createNormalPrng, createPrng } from '../src/stats/prng.js';
import { pairedArms } from './helpers/stats-synthetic.js';

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('paired change (Hodges–Lehmann + exact signed-rank interval)', () => {
  test('identical arms: ratio 1, a zero-width interval, no evidence of change', () => {
    const { baseline } = pairedArms({ rounds: 15, ratio: 1, sigma: 0.03, seed: 1 });
    const r = pairedChange(baseline, baseline, 0.95);
    assert.equal(r.ratio, 1);
    assert.deepEqual(r.interval, [1, 1]);
    assert.equal(r.pValue, 1);
    assert.equal(r.minDetectable, 0);
  });

  test('a clean 10% slowdown is found, with an interval that excludes 1', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1.1, sigma: 0.01, roundSigma: 0.05, seed: 2 });
    const r = pairedChange(baseline, candidate, 0.95);
    assert.ok(r.interval[0] > 1 && r.interval[0] <= 1.1 && r.interval[1] >= 1.1, `${r.interval}`);
    assert.ok(Math.abs(r.ratio - 1.1) < 0.01);
    assert.ok(r.pValue < 1e-4);
    // Round drift (5%) is five times the run noise yet cancels in the pairs: the interval stays tight.
    assert.ok(r.minDetectable < 0.01);
  });

  test('scaling the candidate scales ratio and interval; swapping arms inverts them', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 6, max: 40 }),
        fc.integer(),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (rounds, seed, k) => {
          const { baseline, candidate } = pairedArms({ rounds, ratio: 1, sigma: 0.05, seed });
          const r = pairedChange(baseline, candidate, 0.95);
          const scaled = pairedChange(
            baseline,
            candidate.map((x) => x * k),
            0.95,
          );
          assert.ok(close(scaled.ratio, r.ratio * k, 1e-9) && close(scaled.interval[0], r.interval[0] * k, 1e-9));
          const swapped = pairedChange(candidate, baseline, 0.95);
          assert.ok(close(swapped.ratio, 1 / r.ratio) && close(swapped.interval[0], 1 / r.interval[1]));
        },
      ),
      { seed: 12, numRuns: 100 },
    );
  });

  test('too few pairs for 95%: the widest interval, with the confidence it really has', () => {
    const { baseline, candidate } = pairedArms({ rounds: 4, ratio: 1.05, sigma: 0.02, seed: 3 });
    const r = pairedChange(baseline, candidate, 0.95);
    const logRatios = candidate.map((c, i) => Math.log(c / baseline[i]!));
    assert.ok(
      close(r.interval[0], Math.exp(Math.min(...logRatios))) && close(r.interval[1], Math.exp(Math.max(...logRatios))),
    );
    assert.ok(r.achievedConfidence! < 0.95 && r.achievedConfidence! > 0.8); // 1 − 2/16
    assert.ok(Number.isNaN(pairedChange([1], [2], 0.95).ratio));
  });

  test('zero values fall back to raw differences relative to the baseline median', () => {
    const r = pairedChange([0, 0, 0, 0, 0, 0], [0, 0, 0, 0, 0, 0], 0.95);
    assert.equal(r.ratio, 1);
    const shifted = pairedChange([0, 10, 10, 10, 10, 10], [1, 11, 11, 11, 11, 11], 0.95);
    assert.ok(close(shifted.ratio, 1.1)); // +1 on a median of 10
  });
});

interface Case {
  rounds: number;
  ratio: number;
  sigma: number;
  roundSigma: number;
  spikes: number;
  seed: number;
}

const cases = fc.record({
  rounds: fc.integer({ min: 6, max: 40 }),
  ratio: fc.double({ min: 0.8, max: 1.25, noNaN: true }),
  sigma: fc.double({ min: 0.002, max: 0.1, noNaN: true }),
  roundSigma: fc.double({ min: 0, max: 0.1, noNaN: true }),
  spikes: fc.double({ min: 0, max: 0.1, noNaN: true }),
  seed: fc.integer(),
});

/** Paired lognormal runs, with a share of runs stalled 1.5–3× (either arm, as on a shared runner). */
function noisyPairs(c: Case): { baseline: number[]; candidate: number[] } {
  const arms = pairedArms(c);
  const u = createPrng(c.seed ^ 0x5bd1e995);
  const stall = (x: number): number => (u() < c.spikes ? x * (1.5 + 1.5 * u()) : x);
  return { baseline: arms.baseline.map(stall), candidate: arms.candidate.map(stall) };
}

describe('paired interval coverage (property)', () => {
  test('95% intervals cover the true ratio at about their nominal rate', () => {
    const sample = fc.sample(cases, { seed: 13, numRuns: 400 });
    let covered = 0;
    for (const c of sample) {
      const { baseline, candidate } = noisyPairs(c);
      const r = pairedChange(baseline, candidate, 0.95);
      if (r.interval[0] <= c.ratio && c.ratio <= r.interval[1]) covered++;
    }
    const rate = covered / sample.length;
    assert.ok(rate >= 0.9, `coverage ${rate}`);
    assert.ok(rate <= 0.995, `coverage ${rate}: intervals are needlessly wide`);
  });

  test('the cheap sign-test interval (adaptive stopping) also covers at its nominal rate', () => {
    const sample = fc.sample(cases, { seed: 14, numRuns: 400 });
    let covered = 0;
    for (const c of sample) {
      const { baseline, candidate } = noisyPairs(c);
      const d = candidate.map((x, i) => Math.log(x / baseline[i]!));
      const s = signTestInterval(d, 0.9);
      if (Math.exp(s.interval[0]) <= c.ratio && c.ratio <= Math.exp(s.interval[1])) covered++;
    }
    assert.ok(covered / sample.length >= 0.85, `coverage ${covered / sample.length}`);
  });

  test('under no change, p < 0.05 happens about 5% of the time (a calibrated test)', () => {
    let rejections = 0;
    const runs = 400;
    for (let i = 0; i < runs; i++) {
      const { baseline, candidate } = pairedArms({
        rounds: 12 + (i % 20),
        ratio: 1,
        sigma: 0.03,
        roundSigma: 0.03,
        seed: 1000 + i,
      });
      if (pairedChange(baseline, candidate, 0.95).pValue < 0.05) rejections++;
    }
    assert.ok(rejections / runs <= 0.08, `false-positive rate ${rejections / runs}`);
    assert.ok(rejections > 0, 'a test that never rejects is not calibrated either');
  });
});

describe('seeded normal generator', () => {
  test('is reproducible and roughly standard normal', () => {
    const a = createNormalPrng(42);
    const b = createNormalPrng(42);
    const xs = Array.from({ length: 5000 }, () => a());
    assert.deepEqual(
      xs.slice(0, 5),
      Array.from({ length: 5 }, () => b()),
    );
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const variance = xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length;
    assert.ok(Math.abs(mean) < 0.05 && Math.abs(variance - 1) < 0.06);
  });
});
