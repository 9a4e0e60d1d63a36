// Outlier flags as hyperfine computes them (src/outlier_detection.rs, after Iglewicz & Hoaglin):
// modified z-score (x − median) / MAD with the raw MAD, flagged when |score| > 1.4826 × 10,
// i.e. more than 10 robust standard deviations from the median. Outliers are only flagged for
// display; the rank-based estimators are robust to them, so nothing is ever dropped.
import { median } from 'simple-statistics';

/** hyperfine's OUTLIER_THRESHOLD: 1.4826 (MAD → σ) × 10 standard deviations. */
export const OUTLIER_THRESHOLD = 1.4826 * 10;

/** (x − median) / MAD per value; a zero MAD is replaced by machine epsilon, as hyperfine does. */
export function modifiedZScores(xs: readonly number[]): number[] {
  if (xs.length === 0) return [];
  const center = median(xs);
  const spread = median(xs.map((x) => Math.abs(x - center)));
  const scale = spread > 0 ? spread : Number.EPSILON;
  return xs.map((x) => (x - center) / scale);
}

/** Indices of the values whose |modified z-score| exceeds `threshold`. */
export function outlierIndices(xs: readonly number[], threshold: number = OUTLIER_THRESHOLD): number[] {
  const indices: number[] = [];
  modifiedZScores(xs).forEach((score, i) => {
    if (Math.abs(score) > threshold) indices.push(i);
  });
  return indices;
}
