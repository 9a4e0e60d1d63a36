// The exact rank tests checked against brute-force enumeration of their null distributions.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { signedRankTest, walshAverages } from '../src/stats/paired.js';
import { mannWhitneyTest, pairwiseDifferences } from '../src/stats/unpaired.js';
import { midranks } from '../src/stats/ranks.js';
import { lognormal } from './helpers/stats-synthetic.js';

/** Two-sided p by listing every sign assignment of the |d| ranks. */
function bruteSignedRankP(d: number[]): number {
  const nz = d.filter((x) => x !== 0);
  const { ranks } = midranks(nz.map(Math.abs));
  const observed = ranks.reduce((s, r, i) => (nz[i]! > 0 ? s + r : s), 0);
  let lower = 0;
  let upper = 0;
  const total = 2 ** nz.length;
  for (let mask = 0; mask < total; mask++) {
    const t = ranks.reduce((s, r, i) => (mask & (1 << i) ? s + r : s), 0);
    if (t <= observed + 1e-9) lower++;
    if (t >= observed - 1e-9) upper++;
  }
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

/** Two-sided p by listing every way to split the pooled values into groups of m and n. */
function bruteMannWhitneyP(x: number[], y: number[]): number {
  const pooled = [...x, ...y];
  const u = (ys: number[], xs: number[]): number =>
    ys.reduce((s, b) => s + xs.reduce((t, a) => t + (b > a ? 1 : b === a ? 0.5 : 0), 0), 0);
  const observed = u(y, x);
  let lower = 0;
  let upper = 0;
  let total = 0;
  const choose = (start: number, picked: number[]): void => {
    if (picked.length === y.length) {
      const ys = picked.map((i) => pooled[i]!);
      const xs = pooled.filter((_, i) => !picked.includes(i));
      const v = u(ys, xs);
      total++;
      if (v <= observed + 1e-9) lower++;
      if (v >= observed - 1e-9) upper++;
      return;
    }
    for (let i = start; i < pooled.length; i++) choose(i + 1, [...picked, i]);
  };
  choose(0, []);
  return Math.min(1, (2 * Math.min(lower, upper)) / total);
}

// Small integers make ties and zeros common, which is where exactness is easy to get wrong.
const smallInts = (min: number, max: number) =>
  fc.array(fc.integer({ min: -6, max: 6 }), { minLength: min, maxLength: max });

describe('Wilcoxon signed-rank (exact, with ties via doubled midranks)', () => {
  test('p-value equals full enumeration of sign flips', () => {
    fc.assert(
      fc.property(smallInts(1, 12), (d) => {
        const got = signedRankTest(d).pValue;
        assert.ok(Math.abs(got - bruteSignedRankP(d)) < 1e-12, `${got} vs ${bruteSignedRankP(d)} for ${d}`);
      }),
      { seed: 6, numRuns: 150 },
    );
  });

  test('all-zero differences mean no evidence of change', () => {
    assert.equal(signedRankTest([0, 0, 0, 0]).pValue, 1);
  });

  test('the normal approximation (used past n = 100) agrees with the exact distribution', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 30, max: 100 }),
        fc.integer(),
        fc.double({ min: -0.3, max: 0.3, noNaN: true }),
        (n, seed, lean) => {
          const d = lognormal(n, 1, 1, seed).map((x) => Math.log(x) + lean);
          const exact = signedRankTest(d);
          const approx = signedRankTest(d, 0);
          assert.equal(exact.method, 'wilcoxon-exact');
          assert.equal(approx.method, 'wilcoxon-normal');
          assert.ok(Math.abs(exact.pValue - approx.pValue) < 0.01);
        },
      ),
      { seed: 10, numRuns: 30 },
    );
  });
});

describe('Mann–Whitney U', () => {
  test('exact p-value (no ties) equals full enumeration of group splits', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({ min: 0, max: 1000 }), { minLength: 2, maxLength: 14 }),
        fc.integer({ min: 1, max: 7 }),
        (values, split) => {
          const m = Math.min(Math.max(1, split), values.length - 1);
          const x = values.slice(0, m);
          const y = values.slice(m);
          const got = mannWhitneyTest(x, y);
          assert.equal(got.method, 'mann-whitney-exact');
          assert.ok(Math.abs(got.pValue - bruteMannWhitneyP(x, y)) < 1e-9);
        },
      ),
      { seed: 7, numRuns: 120 },
    );
  });

  test('the normal approximation (used past m·n = 10⁴) agrees with the exact distribution', () => {
    fc.assert(
      fc.property(fc.integer({ min: 20, max: 60 }), fc.integer({ min: 20, max: 60 }), fc.integer(), (m, n, seed) => {
        const x = lognormal(m, 100, 0.05, seed);
        const y = lognormal(n, 102, 0.05, seed + 1);
        const exact = mannWhitneyTest(x, y);
        const approx = mannWhitneyTest(x, y, 0);
        assert.equal(exact.method, 'mann-whitney-exact');
        assert.ok(Math.abs(exact.pValue - approx.pValue) < 0.01);
      }),
      { seed: 11, numRuns: 30 },
    );
  });

  test('with ties the normal approximation stays close to the exact permutation p-value', () => {
    fc.assert(
      fc.property(smallInts(6, 8), smallInts(6, 8), (x, y) => {
        const got = mannWhitneyTest(x, y);
        assert.ok(Math.abs(got.pValue - bruteMannWhitneyP(x, y)) < 0.1);
      }),
      { seed: 8, numRuns: 40 },
    );
  });
});

describe('elementary estimates', () => {
  test('Walsh averages and pairwise differences are complete and sorted', () => {
    fc.assert(
      fc.property(smallInts(1, 15), smallInts(1, 15), (a, b) => {
        const w = walshAverages(a);
        assert.equal(w.length, (a.length * (a.length + 1)) / 2);
        const diffs = pairwiseDifferences(a, b);
        assert.equal(diffs.length, a.length * b.length);
        for (const sorted of [w, diffs])
          for (let i = 1; i < sorted.length; i++) assert.ok(sorted[i - 1]! <= sorted[i]!);
        assert.equal(w[0], Math.min(...a));
        assert.equal(diffs[diffs.length - 1], Math.max(...b) - Math.min(...a));
      }),
      { seed: 9, numRuns: 100 },
    );
  });
});
