import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createBootstrapEstimator } from '../src/stats/bootstrap.js';
import { createPrng, seedFromData } from '../src/stats/prng.js';
import { lognormal, pairedArms } from './helpers/stats-synthetic.js';

describe('seeded bootstrap estimator (the replaceable alternative)', () => {
  test('is reproducible: same data, same answer; another seed, another resampling', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1.03, sigma: 0.03, seed: 1 });
    const input = { baseline, candidate, paired: true, confidence: 0.95 };
    const a = createBootstrapEstimator({ resamples: 400 })(input);
    const b = createBootstrapEstimator({ resamples: 400 })(input);
    assert.deepEqual(a, b);
    const other = createBootstrapEstimator({ resamples: 400, seed: 12345 })(input);
    assert.notDeepEqual(a.interval, other.interval);
  });

  test('the PRNG and the data seed are deterministic and spread', () => {
    const r1 = createPrng(7);
    const r2 = createPrng(7);
    const xs = Array.from({ length: 1000 }, () => r1());
    assert.deepEqual(xs.slice(0, 3), [r2(), r2(), r2()]);
    assert.ok(xs.every((x) => x >= 0 && x < 1));
    assert.ok(Math.abs(xs.reduce((s, x) => s + x, 0) / xs.length - 0.5) < 0.05);
    assert.equal(seedFromData([1, 2], [3]), seedFromData([1, 2], [3]));
    assert.notEqual(seedFromData([1, 2], [3]), seedFromData([1], [2, 3]));
  });

  test('finds a clean 10% slowdown, paired and unpaired', () => {
    const boot = createBootstrapEstimator({ resamples: 500 });
    const { baseline, candidate } = pairedArms({ rounds: 25, ratio: 1.1, sigma: 0.01, seed: 2 });
    for (const paired of [true, false]) {
      const r = boot({ baseline, candidate, paired, confidence: 0.95 });
      assert.ok(r.interval[0] > 1 && r.interval[0] < 1.1 && r.interval[1] > 1.1, `${paired}: ${r.interval}`);
      assert.ok(r.pValue < 0.01);
    }
  });

  test('percentile intervals cover near nominal at moderate n (they under-cover at small n, hence not the default)', () => {
    const boot = createBootstrapEstimator({ resamples: 400 });
    const sample = fc.sample(
      fc.record({
        n: fc.integer({ min: 25, max: 50 }),
        ratio: fc.double({ min: 0.8, max: 1.25, noNaN: true }),
        sigma: fc.double({ min: 0.005, max: 0.1, noNaN: true }),
        seed: fc.integer({ min: 0, max: 1e9 }),
      }),
      { seed: 18, numRuns: 150 },
    );
    let paired = 0;
    let unpaired = 0;
    for (const c of sample) {
      const arms = pairedArms({ rounds: c.n, ratio: c.ratio, sigma: c.sigma, seed: c.seed });
      const p = boot({ ...arms, paired: true, confidence: 0.95 });
      if (p.interval[0] <= c.ratio && c.ratio <= p.interval[1]) paired++;
      const u = boot({
        baseline: lognormal(c.n, 100, c.sigma, c.seed),
        candidate: lognormal(c.n, 100 * c.ratio, c.sigma, c.seed + 1),
        paired: false,
        confidence: 0.95,
      });
      if (u.interval[0] <= c.ratio && c.ratio <= u.interval[1]) unpaired++;
    }
    assert.ok(paired / sample.length >= 0.85, `paired coverage ${paired / sample.length}`);
    assert.ok(unpaired / sample.length >= 0.88, `unpaired coverage ${unpaired / sample.length}`);
  });
});
