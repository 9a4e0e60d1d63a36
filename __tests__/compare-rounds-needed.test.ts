// roundsNeeded: the rounds a cell must measure before its verdict can reach the run's corrected alpha.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { roundsNeeded } from '../src/compare/rounds-needed.js';
import { smallestRankSumP } from '../src/stats/rank-distributions.js';

test('paired: the signed-rank floor 2^(1−n) times the cell count falls below alpha exactly there', () => {
  // The figures: 4 cells need 8 paired rounds (6 give p ≥ 0.031), 40 cells need 11.
  assert.equal(roundsNeeded({ cells: 1, method: 'paired' }), 6);
  assert.equal(roundsNeeded({ cells: 4, method: 'paired' }), 8);
  assert.equal(roundsNeeded({ cells: 40, method: 'paired' }), 11);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 5000 }), fc.constantFrom(0.01, 0.05, 0.1), (cells, alpha) => {
      const n = roundsNeeded({ cells, alpha, method: 'paired' });
      return 2 ** (1 - n) * cells < alpha && 2 ** (2 - n) * cells >= alpha;
    }),
  );
});

test('unpaired: the rank-sum floor 2/C(m+n, n), with both arms alike or against m stored values', () => {
  assert.equal(roundsNeeded({ cells: 2, method: 'unpaired' }), 5);
  assert.equal(roundsNeeded({ cells: 40, method: 'unpaired' }), 7);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 2, max: 40 }), (cells, m) => {
      const n = roundsNeeded({ cells, method: 'unpaired', referenceRuns: m });
      const per = 0.05 / cells;
      return smallestRankSumP(m, n) < per && (n === 1 || smallestRankSumP(m, n - 1) >= per);
    }),
  );
});

test('out of reach: one stored value and a huge run need more runs than anyone will measure', () => {
  assert.equal(roundsNeeded({ cells: 10_000_000, method: 'unpaired', referenceRuns: 1 }), Infinity);
});
