// Exact null distributions of the two rank statistics, and the order-statistic index that turns
// them into distribution-free confidence intervals (Hodges–Lehmann / Moses, see Hollander &
// Wolfe, Nonparametric Statistical Methods, §3.2 and §4.3).
import { normalQuantile } from './normal.js';

/**
 * P(T = t) for T = Σ s_i·[sign_i = +], each sign a fair coin: the signed-rank null distribution
 * for integer scores s (ranks, or doubled midranks when there are ties). Index = value of T.
 */
export function signedRankDistribution(scores: readonly number[]): Float64Array {
  const total = scores.reduce((a, b) => a + b, 0);
  let probs = new Float64Array(total + 1);
  probs[0] = 1;
  let reach = 0;
  for (const s of scores) {
    const next = new Float64Array(total + 1);
    for (let t = 0; t <= reach; t++) {
      const p = (probs[t] as number) * 0.5;
      if (p === 0) continue;
      next[t] = (next[t] as number) + p;
      next[t + s] = (next[t + s] as number) + p;
    }
    reach += s;
    probs = next;
  }
  return probs;
}

const signedRankCache = new Map<number, Float64Array>();

/** The signed-rank null distribution for n untied ranks 1 … n (memoised: the engine asks per cell). */
export function untiedSignedRankDistribution(n: number): Float64Array {
  let probs = signedRankCache.get(n);
  if (!probs) {
    probs = signedRankDistribution(Array.from({ length: n }, (_, i) => i + 1));
    signedRankCache.set(n, probs);
  }
  return probs;
}

/**
 * P(U = u), u = 0 … m·n, for the Mann–Whitney statistic without ties: the coefficients of the
 * Gaussian binomial [m+n choose m]_q = Π_{i=1..m} (1 − q^{n+i}) / (1 − q^i), normalised.
 * Cost O(m · m·n); counts stay below C(m+n, m), far inside double range for m·n ≤ 10⁴.
 */
export function mannWhitneyDistribution(m: number, n: number): Float64Array {
  const key = `${Math.min(m, n)},${Math.max(m, n)}`;
  let probs = mannWhitneyCache.get(key);
  if (!probs) {
    probs = gaussianBinomialDistribution(Math.min(m, n), Math.max(m, n));
    mannWhitneyCache.set(key, probs);
  }
  return probs;
}

const mannWhitneyCache = new Map<string, Float64Array>();

function gaussianBinomialDistribution(m: number, n: number): Float64Array {
  const size = m * n + 1;
  const coeffs = new Float64Array(size);
  coeffs[0] = 1;
  for (let i = 1; i <= m; i++) {
    const up = n + i;
    for (let u = size - 1; u >= up; u--) coeffs[u] = (coeffs[u] as number) - (coeffs[u - up] as number);
    for (let u = i; u < size; u++) coeffs[u] = (coeffs[u] as number) + (coeffs[u - i] as number);
  }
  let total = 0;
  for (let u = 0; u < size; u++) total += Math.max(0, coeffs[u] as number);
  return coeffs.map((c) => Math.max(0, c) / total);
}

/** Two-sided exact p-value of observed statistic t under a null distribution. */
export function twoSidedExactP(probs: Float64Array, t: number): number {
  let lower = 0;
  let upper = 0;
  for (let v = 0; v < probs.length; v++) {
    const p = probs[v] as number;
    if (v <= t + 1e-9) lower += p;
    if (v >= t - 1e-9) upper += p;
  }
  return Math.min(1, 2 * Math.min(lower, upper));
}

export interface CriticalIndex {
  /** 1-based order statistic k: the interval is [W_(k), W_(M+1−k)] of the M elementary estimates */
  k: number;
  /** coverage actually achieved, 1 − 2·P(T ≤ k − 1) (≥ requested unless n is too small) */
  achieved: number;
}

/** Largest k with P(T ≤ k−1) ≤ (1−confidence)/2 under an exact null distribution of T on 0 … M. */
export function exactCriticalIndex(probs: Float64Array, confidence: number): CriticalIndex {
  const tail = (1 - confidence) / 2;
  let k = 1;
  let below = probs[0] as number; // P(T ≤ k − 1) for the k chosen so far
  let cdf = 0;
  for (let t = 0; t < probs.length; t++) {
    cdf += probs[t] as number;
    if (cdf > tail + 1e-12) break;
    k = t + 1;
    below = cdf;
  }
  // k = 1 with P(T = 0) > tail: n is too small for this confidence; the full range is the best on offer.
  return { k, achieved: Math.max(0, 1 - 2 * below) };
}

/** Normal approximation of the same index for large samples (continuity corrected). */
export function normalCriticalIndex(mean: number, variance: number, confidence: number): CriticalIndex {
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const k = Math.max(1, Math.floor(mean + 0.5 - z * Math.sqrt(variance)));
  return { k, achieved: confidence };
}

/**
 * Rank tests have a floor: with n pairs the smallest two-sided signed-rank p-value is 2^(1−n)
 * (all signs alike). Fewest pairs whose floor is below `p` — e.g. alpha / cells under Holm.
 */
export function minPairsForSignificance(p: number): number {
  return Math.max(1, Math.floor(1 - Math.log2(p)) + 1);
}

/** Smallest two-sided Mann–Whitney p-value for samples of m and n: 2 / C(m+n, m). */
export function smallestRankSumP(m: number, n: number): number {
  let logChoose = 0;
  for (let i = 1; i <= Math.min(m, n); i++) logChoose += Math.log((Math.max(m, n) + i) / i);
  return Math.min(1, 2 * Math.exp(-logChoose));
}
