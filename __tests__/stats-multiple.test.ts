import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { benjaminiHochberg, holm } from '../src/stats/multiple.js';

/** Holm's procedure as written in the paper: step down through sorted p, reject while p_(j) ≤ α/(m − j + 1). */
function holmRejects(ps: number[], alpha: number): Set<number> {
  const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]!);
  const rejected = new Set<number>();
  for (let j = 0; j < order.length; j++) {
    if (ps[order[j]!]! > alpha / (ps.length - j)) break;
    rejected.add(order[j]!);
  }
  return rejected;
}

/** BH as written: find the largest k with p_(k) ≤ kα/m and reject the k smallest. */
function bhRejects(ps: number[], alpha: number): Set<number> {
  const order = ps.map((_, i) => i).sort((a, b) => ps[a]! - ps[b]!);
  let k = 0;
  order.forEach((idx, j) => {
    if (ps[idx]! <= ((j + 1) * alpha) / ps.length) k = j + 1;
  });
  return new Set(order.slice(0, k));
}

const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
const alphas = fc.constantFrom(0.01, 0.05, 0.1);

describe('multiple-comparison adjustment', () => {
  test('adjusted Holm p < α rejects exactly what Holm’s step-down procedure rejects', () => {
    fc.assert(
      fc.property(pValues, alphas, (ps, alpha) => {
        const adjusted = holm(ps);
        const viaAdjusted = new Set(adjusted.flatMap((p, i) => (p <= alpha ? [i] : [])));
        assert.deepEqual([...viaAdjusted].sort(), [...holmRejects(ps, alpha)].sort());
      }),
      { seed: 3, numRuns: 300 },
    );
  });

  test('adjusted BH q ≤ α rejects exactly what the step-up procedure rejects', () => {
    fc.assert(
      fc.property(pValues, alphas, (ps, alpha) => {
        const adjusted = benjaminiHochberg(ps);
        const viaAdjusted = new Set(adjusted.flatMap((p, i) => (p <= alpha ? [i] : [])));
        assert.deepEqual([...viaAdjusted].sort(), [...bhRejects(ps, alpha)].sort());
      }),
      { seed: 4, numRuns: 300 },
    );
  });

  test('adjustments never lower a p-value, stay ≤ 1, and Holm is at least as strict as BH', () => {
    fc.assert(
      fc.property(pValues, (ps) => {
        const h = holm(ps);
        const b = benjaminiHochberg(ps);
        ps.forEach((p, i) => {
          assert.ok(h[i]! >= p && b[i]! >= p && h[i]! <= 1 && b[i]! <= 1);
          assert.ok(h[i]! >= b[i]! - 1e-15);
        });
      }),
      { seed: 5, numRuns: 200 },
    );
  });

  test('a single p-value is left alone', () => {
    assert.deepEqual(holm([0.03]), [0.03]);
    assert.deepEqual(benjaminiHochberg([0.03]), [0.03]);
  });
});
