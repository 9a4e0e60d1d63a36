// Descriptive summary of one arm's values, as shown in reports and stored in baselines.
import { mad, max, mean, min, quantile, median, sampleStandardDeviation } from 'simple-statistics';

export interface Summary {
  n: number;
  median: number;
  mean: number;
  /** sample standard deviation (n − 1); 0 for a single value */
  stddev: number;
  min: number;
  max: number;
  /** 25th / 75th percentile, linear interpolation (numpy default, type 7) */
  q1: number;
  q3: number;
  /** raw median absolute deviation (not scaled by 1.4826) */
  mad: number;
}

/** Summary of `xs`; every statistic is NaN for an empty array (nothing was measured). */
export function summarize(xs: readonly number[]): Summary {
  if (xs.length === 0) {
    return { n: 0, median: NaN, mean: NaN, stddev: NaN, min: NaN, max: NaN, q1: NaN, q3: NaN, mad: NaN };
  }
  const [q1, q3] = quantile(xs, [0.25, 0.75]) as [number, number];
  return {
    n: xs.length,
    median: median(xs),
    mean: mean(xs),
    stddev: xs.length > 1 ? sampleStandardDeviation(xs) : 0,
    min: min(xs),
    max: max(xs),
    q1,
    q3,
    mad: mad(xs),
  };
}
