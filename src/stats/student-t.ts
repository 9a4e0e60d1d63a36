// Student's t distribution, from @stdlib: the two-sided p of a t statistic and the quantile.
import tCdf from '@stdlib/stats-base-dists-t-cdf';
import tQuantile from '@stdlib/stats-base-dists-t-quantile';

/** Two-sided p of Student's t with `df` degrees of freedom. */
export function studentTTwoSidedP(t: number, df: number): number {
  if (!Number.isFinite(t)) return t === t ? 0 : 1;
  return Math.min(1, 2 * tCdf(-Math.abs(t), df));
}

/** t such that P(T ≤ t) = p. */
export function studentTQuantile(p: number, df: number): number {
  return tQuantile(p, df);
}
