// Unpaired estimate (arms not measured in the same rounds): two-sample Hodges–Lehmann shift of log values
// with the Moses interval, exact at every n (docs/adrs/0004-unpaired-estimator.md).
import { median } from 'simple-statistics';
import type { ChangeEstimate } from './change.js';
import { undefinedChange } from './change.js';
import { midranks, tieCorrection } from './ranks.js';
import { ratioScale, shiftToChange } from './ratio-scale.js';
import {
  exactCriticalIndex,
  mannWhitneyDistribution,
  normalCriticalIndex,
  twoSidedExactP,
  type CriticalIndex,
} from './rank-distributions.js';
import { normalQuantile, normalTwoSidedP } from './normal.js';
import { hodgesLehmann, withAgreeingT, type ShiftEstimate } from './paired.js';
import { separatedSamplesT } from './agreeing-t.js';

/** Exact Mann–Whitney distribution up to this m·n (its cost is O(m·m·n)). */
const EXACT_MAX_MN = 10_000;
/** Beyond this many pairwise differences a robust normal interval on medians is used instead. */
const DIFFERENCES_MAX = 4_000_000;

/** Sorted pairwise differences y_j − x_i. */
export function pairwiseDifferences(x: readonly number[], y: readonly number[]): Float64Array {
  const out = new Float64Array(x.length * y.length);
  let w = 0;
  for (const yj of y) for (const xi of x) out[w++] = yj - xi;
  return out.sort();
}

/** Mann–Whitney U of y over x (pairs with y > x, ties counting ½) and its two-sided p-value. */
export function mannWhitneyTest(
  x: readonly number[],
  y: readonly number[],
  exactMaxMN: number = EXACT_MAX_MN,
): { statistic: number; pValue: number; method: string } {
  const m = x.length;
  const n = y.length;
  const { ranks, tieSizes } = midranks([...x, ...y]);
  const rankSumY = ranks.slice(m).reduce((a, b) => a + b, 0);
  const u = rankSumY - (n * (n + 1)) / 2;
  if (tieSizes.length === 0 && m * n <= exactMaxMN) {
    const dist = mannWhitneyDistribution(m, n);
    return { statistic: u, pValue: twoSidedExactP(dist, u), method: 'mann-whitney-exact' };
  }
  const total = m + n;
  const variance = ((m * n) / 12) * (total + 1 - tieCorrection(tieSizes) / (total * (total - 1)));
  const excess = Math.max(0, Math.abs(u - (m * n) / 2) - 0.5); // continuity correction
  const pValue = variance > 0 ? normalTwoSidedP(excess / Math.sqrt(variance)) : 1;
  return { statistic: u, pValue, method: 'mann-whitney-normal' };
}

function mannWhitneyCriticalIndex(m: number, n: number, confidence: number): CriticalIndex {
  if (m * n <= EXACT_MAX_MN) return exactCriticalIndex(mannWhitneyDistribution(m, n), confidence);
  return normalCriticalIndex((m * n) / 2, (m * n * (m + n + 1)) / 12, confidence);
}

/**
 * Difference of medians with a normal interval from the medians' asymptotic standard errors
 * (σ̂ = 1.4826·MAD, se = 1.2533·σ̂/√n). O(n): used for huge samples and for adaptive stopping.
 */
export function medianDifferenceInterval(
  x: readonly number[],
  y: readonly number[],
  confidence: number,
): ShiftEstimate {
  const se = (v: readonly number[]): number => {
    const center = median(v);
    const mad = median(v.map((a) => Math.abs(a - center)));
    return (1.2533 * 1.4826 * mad) / Math.sqrt(v.length);
  };
  const estimate = median(y) - median(x);
  const spread = Math.hypot(se(x), se(y));
  const z = normalQuantile(1 - (1 - confidence) / 2);
  return {
    estimate,
    interval: [estimate - z * spread, estimate + z * spread],
    pValue: spread > 0 ? normalTwoSidedP(estimate / spread) : estimate === 0 ? 1 : 0,
    achievedConfidence: confidence,
    method: 'median-normal',
  };
}

/** Two-sample Hodges–Lehmann shift of y over x with the Moses (Mann–Whitney) interval. */
export function unpairedShift(x: readonly number[], y: readonly number[], confidence: number): ShiftEstimate {
  const m = x.length;
  const n = y.length;
  if (m * n > DIFFERENCES_MAX) return medianDifferenceInterval(x, y, confidence);
  const { k, achieved } = mannWhitneyCriticalIndex(m, n, confidence);
  return hodgesLehmann(pairwiseDifferences(x, y), k, achieved, mannWhitneyTest(x, y));
}

/** Unpaired change candidate/baseline. */
export function unpairedChange(
  baseline: readonly number[],
  candidate: readonly number[],
  confidence: number,
): ChangeEstimate {
  if (baseline.length < 2 || candidate.length < 2) return undefinedChange('unpaired: fewer than 2 values per arm');
  const scale = ratioScale(baseline, candidate);
  const x = baseline.map(scale.transform);
  const y = candidate.map(scale.transform);
  const shift = withAgreeingT(unpairedShift(x, y, confidence), separatedSamplesT(x, y));
  return shiftToChange(scale, shift, 'unpaired');
}
