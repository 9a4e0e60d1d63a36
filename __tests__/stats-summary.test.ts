import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { summarize } from '../src/stats/summary.js';
import { lognormal } from './helpers/stats-synthetic.js';

describe('summarize', () => {
  test('matches the definitions on 1…9 in any order', () => {
    const xs = [7, 3, 9, 1, 5, 2, 8, 4, 6];
    const s = summarize(xs);
    assert.equal(s.n, 9);
    assert.equal(s.median, 5);
    assert.equal(s.mean, 5);
    assert.equal(s.min, 1);
    assert.equal(s.max, 9);
    assert.equal(s.q1, 3); // (9 − 1)·0.25 = index 2 of the sorted values
    assert.equal(s.q3, 7);
    assert.equal(s.mad, 2); // |x − 5| = 0,1,1,2,2,3,3,4,4
    assert.ok(Math.abs(s.stddev - Math.sqrt(60 / 8)) < 1e-12); // Σ(x − 5)² = 60
  });

  test('empty input gives n = 0 and NaN statistics, a single value a zero spread', () => {
    const empty = summarize([]);
    assert.equal(empty.n, 0);
    assert.ok(Number.isNaN(empty.median) && Number.isNaN(empty.stddev));
    const one = summarize([4.2]);
    assert.deepEqual([one.median, one.stddev, one.q1, one.q3, one.mad], [4.2, 0, 4.2, 4.2, 0]);
  });

  test('order statistics are ordered and scale with the data', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer(),
        fc.double({ min: 0.1, max: 1000, noNaN: true }),
        (n, seed, k) => {
          const xs = lognormal(n, 50, 0.3, seed);
          const s = summarize(xs);
          assert.ok(s.min <= s.q1 && s.q1 <= s.median && s.median <= s.q3 && s.q3 <= s.max);
          const scaled = summarize(xs.map((x) => x * k));
          assert.ok(Math.abs(scaled.median - k * s.median) <= 1e-9 * k * s.median);
          assert.ok(Math.abs(scaled.mad - k * s.mad) <= 1e-9 * k * (s.mad + s.median));
        },
      ),
      { seed: 1, numRuns: 100 },
    );
  });
});
