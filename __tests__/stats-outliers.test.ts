import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { OUTLIER_THRESHOLD, modifiedZScores, outlierIndices } from '../src/stats/outliers.js';
import { lognormal } from './helpers/stats-synthetic.js';

describe('hyperfine-style outliers', () => {
  // The cases of hyperfine's own src/outlier_detection.rs tests.
  test('agrees with hyperfine on its test cases', () => {
    assert.deepEqual(outlierIndices([]), []);
    assert.deepEqual(outlierIndices([50]), []);
    assert.deepEqual(outlierIndices([1000, 0]), []);
    assert.deepEqual(outlierIndices([-0.2, 0, 0.2]), []);
    assert.deepEqual(outlierIndices([-0.2, 0, 0.2, 4]), [3]);
    assert.deepEqual(outlierIndices([0.5, 0.3, 0.29, 0.31, 0.3]), [0]);
    const normal = [
      2.33269488, 1.42195907, -0.57527698, -0.31293437, 2.2948158, 0.75813273, -1.0712388, -0.96394741, -1.15897446,
      1.10976285,
    ];
    assert.deepEqual(outlierIndices(normal), []);
    assert.deepEqual(outlierIndices([...normal, 20, -500]), [10, 11]);
    assert.deepEqual(outlierIndices([10, 10, 10, 10, 10, 10, 10, 100]), [7]); // MAD = 0
    assert.equal(outlierIndices([10, 10, 10, 10, 10, 10, 10, 100, 100]).length, 2);
  });

  test('the threshold is 10 robust standard deviations (1.4826 · MAD)', () => {
    assert.ok(Math.abs(OUTLIER_THRESHOLD - 14.826) < 1e-12);
    const base = [-1, -1, 0, 0, 0, 1, 1]; // with one more value: median 0, MAD 1
    assert.equal(modifiedZScores([...base, 14])[7], 14);
    assert.deepEqual(outlierIndices([...base, 14.8]), []);
    assert.deepEqual(outlierIndices([...base, -14.9]), [7]);
  });

  test('a spike far beyond the spread is always flagged, whatever the order', () => {
    fc.assert(
      fc.property(fc.integer({ min: 5, max: 50 }), fc.integer(), fc.nat(), (n, seed, at) => {
        const xs = lognormal(n, 100, 0.02, seed);
        const spike = 100 * Math.exp(0.02 * 40); // 40 σ above: a stalled run
        const position = at % (n + 1);
        const withSpike = [...xs.slice(0, position), spike, ...xs.slice(position)];
        assert.ok(outlierIndices(withSpike).includes(position));
        assert.equal(outlierIndices(xs).length, outlierIndices([...xs].reverse()).length);
      }),
      { seed: 2, numRuns: 100 },
    );
  });
});
