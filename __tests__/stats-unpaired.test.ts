import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { median } from 'simple-statistics';
import { medianDifferenceInterval, unpairedChange } from '../src/stats/unpaired.js';
import { lognormal } from './helpers/stats-synthetic.js';

const close = (a: number, b: number, tol = 1e-9): boolean => Math.abs(a - b) <= tol * Math.max(1, Math.abs(b));

describe('unpaired change (two-sample Hodges–Lehmann + Moses interval)', () => {
  test('the same values on both sides: ratio 1, p = 1', () => {
    const xs = lognormal(15, 100, 0.03, 1);
    const r = unpairedChange(xs, [...xs].reverse(), 0.95);
    assert.equal(r.ratio, 1);
    assert.ok(r.interval[0] < 1 && r.interval[1] > 1);
    assert.equal(r.pValue, 1);
  });

  test('a clean 10% slowdown: interval around 1.1, excluding 1, close to the ratio of medians', () => {
    const b = lognormal(25, 100, 0.01, 2);
    const c = lognormal(30, 110, 0.01, 3);
    const r = unpairedChange(b, c, 0.95);
    assert.ok(r.interval[0] > 1.09 && r.interval[1] < 1.11, `${r.interval}`);
    assert.ok(Math.abs(r.ratio - median(c) / median(b)) < 0.005);
    assert.ok(r.pValue < 1e-6);
  });

  test('multiplying the candidate by k multiplies ratio and interval by k', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 3, max: 30 }),
        fc.integer({ min: 3, max: 30 }),
        fc.integer(),
        fc.double({ min: 0.5, max: 2, noNaN: true }),
        (m, n, seed, k) => {
          const b = lognormal(m, 100, 0.05, seed);
          const c = lognormal(n, 100, 0.05, seed + 1);
          const r = unpairedChange(b, c, 0.95);
          const s = unpairedChange(
            b,
            c.map((x) => x * k),
            0.95,
          );
          assert.ok(
            close(s.ratio, r.ratio * k) &&
              close(s.interval[0], r.interval[0] * k) &&
              close(s.interval[1], r.interval[1] * k),
          );
        },
      ),
      { seed: 15, numRuns: 100 },
    );
  });

  test('fewer than two values per arm cannot be estimated', () => {
    assert.ok(Number.isNaN(unpairedChange([100], [101, 102], 0.95).ratio));
  });
});

describe('unpaired interval coverage (property)', () => {
  const cases = fc.record({
    m: fc.integer({ min: 5, max: 40 }),
    n: fc.integer({ min: 5, max: 40 }),
    ratio: fc.double({ min: 0.8, max: 1.25, noNaN: true }),
    sigma: fc.double({ min: 0.002, max: 0.1, noNaN: true }),
    seed: fc.integer({ min: 0, max: 1e9 }),
  });

  test('95% intervals cover the true ratio at about their nominal rate', () => {
    const sample = fc.sample(cases, { seed: 16, numRuns: 400 });
    let covered = 0;
    for (const c of sample) {
      const r = unpairedChange(
        lognormal(c.m, 100, c.sigma, c.seed),
        lognormal(c.n, 100 * c.ratio, c.sigma, c.seed + 1),
        0.95,
      );
      if (r.interval[0] <= c.ratio && c.ratio <= r.interval[1]) covered++;
    }
    const rate = covered / sample.length;
    assert.ok(rate >= 0.9 && rate <= 0.995, `coverage ${rate}`);
  });

  test('the O(n) median interval used for stopping covers reasonably at n ≥ 20', () => {
    const sample = fc.sample(cases, { seed: 17, numRuns: 300 });
    let covered = 0;
    for (const c of sample) {
      const b = lognormal(c.m + 15, 100, c.sigma, c.seed).map(Math.log);
      const y = lognormal(c.n + 15, 100 * c.ratio, c.sigma, c.seed + 1).map(Math.log);
      const s = medianDifferenceInterval(b, y, 0.95);
      if (s.interval[0] <= Math.log(c.ratio) && Math.log(c.ratio) <= s.interval[1]) covered++;
    }
    assert.ok(covered / sample.length >= 0.88, `coverage ${covered / sample.length}`);
  });
});
