// Paired estimate from rounds that measured both arms back to back: Hodges–Lehmann with the exact Wilcoxon
// interval on per-round log ratios, exact at every n (docs/adrs/0003-paired-estimator.md).
import { median } from 'simple-statistics';
import type { ChangeEstimate, ShiftEstimate } from './change.js';
import { undefinedChange } from './change.js';
import { midranks, tieCorrection } from './ranks.js';
import { ratioScale, shiftToChange } from './ratio-scale.js';
import {
  exactCriticalIndex,
  normalCriticalIndex,
  signedRankDistribution,
  twoSidedExactP,
  untiedSignedRankDistribution,
  type CriticalIndex,
} from './rank-distributions.js';
import { normalTwoSidedP, normalQuantile } from './normal.js';
import { agreeingPairsT } from './agreeing-t.js';

export type { ShiftEstimate } from './change.js';

/** Up to this many differences the p-value and interval use exact distributions (cost grows as n³). */
const EXACT_MAX_N = 100;
/** Beyond this many Walsh averages (n ≈ 2800) the sign-test interval is used instead. */
const WALSH_MAX = 4_000_000;

/**
 * A Hodges–Lehmann estimate with its distribution-free interval: the median of the sorted elementary
 * estimates (Walsh averages, or pairwise differences), bounded by the k-th smallest and k-th largest.
 */
export function hodgesLehmann(
  sorted: Float64Array,
  k: number,
  achievedConfidence: number,
  test: { pValue: number; method: string },
): ShiftEstimate {
  return {
    estimate: median(Array.from(sorted)),
    interval: [sorted[k - 1] as number, sorted[sorted.length - k] as number],
    pValue: test.pValue,
    achievedConfidence,
    method: test.method,
  };
}

/** Sorted Walsh averages (d_i + d_j) / 2, i ≤ j. */
export function walshAverages(d: readonly number[]): Float64Array {
  const out = new Float64Array((d.length * (d.length + 1)) / 2);
  let w = 0;
  for (let i = 0; i < d.length; i++) {
    for (let j = i; j < d.length; j++) out[w++] = ((d[i] as number) + (d[j] as number)) / 2;
  }
  return out.sort();
}

/** Wilcoxon signed-rank test of "symmetric about 0"; zeros dropped (Wilcoxon's convention). */
export function signedRankTest(
  d: readonly number[],
  exactMaxN: number = EXACT_MAX_N,
): { statistic: number; pValue: number; method: string } {
  const nonZero = d.filter((x) => x !== 0);
  const n = nonZero.length;
  if (n === 0) return { statistic: 0, pValue: 1, method: 'wilcoxon' };
  const { ranks, tieSizes } = midranks(nonZero.map(Math.abs));
  const positive = ranks.reduce((sum, r, i) => ((nonZero[i] as number) > 0 ? sum + r : sum), 0);
  if (n <= exactMaxN && tieSizes.length === 0) {
    return {
      statistic: positive,
      pValue: twoSidedExactP(untiedSignedRankDistribution(n), positive),
      method: 'wilcoxon-exact',
    };
  }
  if (n <= exactMaxN) {
    // Doubled midranks are integers, so the exact conditional distribution also handles ties.
    const dist = signedRankDistribution(ranks.map((r) => Math.round(2 * r)));
    return { statistic: positive, pValue: twoSidedExactP(dist, Math.round(2 * positive)), method: 'wilcoxon-exact' };
  }
  const mean = (n * (n + 1)) / 4;
  const variance = (n * (n + 1) * (2 * n + 1)) / 24 - tieCorrection(tieSizes) / 48;
  const excess = Math.max(0, Math.abs(positive - mean) - 0.5); // continuity correction
  const pValue = variance > 0 ? normalTwoSidedP(excess / Math.sqrt(variance)) : 1;
  return { statistic: positive, pValue, method: 'wilcoxon-normal' };
}

function signedRankCriticalIndex(n: number, confidence: number): CriticalIndex {
  if (n <= EXACT_MAX_N) {
    return exactCriticalIndex(untiedSignedRankDistribution(n), confidence);
  }
  return normalCriticalIndex((n * (n + 1)) / 4, (n * (n + 1) * (2 * n + 1)) / 24, confidence);
}

/** Order statistic k of the sign-test interval [x_(k), x_(n−k+1)] for n values, and the confidence it achieves. */
export function signTestCriticalIndex(n: number, confidence: number): { k: number; achieved: number } {
  const tail = (1 - confidence) / 2;
  // Largest k with P(Bin(n, ½) ≤ k − 1) ≤ tail; normal approximation once 2^-n underflows.
  if (n > 1000) {
    const k = Math.max(1, Math.floor(n / 2 + 0.5 - normalQuantile(1 - tail) * Math.sqrt(n / 4)));
    return { k, achieved: 1 - 2 * tail };
  }
  let k = 1;
  let below = Math.pow(0.5, n);
  let term = Math.pow(0.5, n);
  let cdf = 0;
  for (let j = 0; j < n; j++) {
    cdf += term;
    if (cdf > tail + 1e-12) break;
    k = j + 1;
    below = cdf;
    term = (term * (n - j)) / (j + 1);
  }
  return { k, achieved: Math.max(0, 1 - 2 * below) };
}

/** Median with the distribution-free sign-test interval: cheap (one sort), for adaptive stopping. */
export function signTestInterval(d: readonly number[], confidence: number): ShiftEstimate {
  const sorted = Float64Array.from(d).sort();
  const n = sorted.length;
  const { k, achieved } = signTestCriticalIndex(n, confidence);
  const positives = d.filter((x) => x > 0).length;
  const negatives = d.filter((x) => x < 0).length;
  const m = positives + negatives;
  const z = m > 0 ? Math.max(0, Math.abs(positives - m / 2) - 0.5) / Math.sqrt(m / 4) : 0;
  return {
    estimate: median(Array.from(sorted)),
    interval: [sorted[k - 1] as number, sorted[n - k] as number],
    pValue: m > 0 ? normalTwoSidedP(z) : 1,
    achievedConfidence: achieved,
    method: 'sign-test',
  };
}

/** Hodges–Lehmann shift (median of Walsh averages) with its exact signed-rank interval. */
export function pairedShift(d: readonly number[], confidence: number): ShiftEstimate {
  const n = d.length;
  if ((n * (n + 1)) / 2 > WALSH_MAX) return signTestInterval(d, confidence);
  const { k, achieved } = signedRankCriticalIndex(n, confidence);
  return hodgesLehmann(walshAverages(d), k, achieved, signedRankTest(d));
}

/** Paired change candidate/baseline from per-round pairs (same length, same order). */
export function pairedChange(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
): ChangeEstimate {
  const n = Math.min(baseline.length, candidate.length);
  if (n < 2) return undefinedChange('paired: fewer than 2 pairs');
  const b = baseline.slice(0, n);
  const c = candidate.slice(0, n);
  const scale = ratioScale(b, c);
  const d = c.map((x, i) => scale.transform(x) - scale.transform(b[i] as number));
  const shift = withAgreeingT(pairedShift(d, confidence), agreeingPairsT(d));
  return shiftToChange(scale, shift, 'paired');
}

/** The smaller of the rank p-value and the agreeing-data t-test's (stats/agreeing-t.ts), named in the method. */
export function withAgreeingT(shift: ShiftEstimate, tP: number | undefined): ShiftEstimate {
  if (tP === undefined || !(tP < shift.pValue)) return shift;
  return { ...shift, pValue: tP, method: `${shift.method} + t` };
}
