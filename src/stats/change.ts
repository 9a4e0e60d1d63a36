// The one replaceable statistic: two arms of one cell in, a relative change with an interval out.
// The verdict logic (compare/) only ever sees this shape, so a different estimator (bootstrap,
// Bayesian, …) is a drop-in argument.

export interface ChangeInput {
  /** baseline values; when `paired`, baseline[i] and candidate[i] come from the same round */
  baseline: readonly number[];
  candidate: readonly number[];
  paired: boolean;
  /** two-sided confidence of `interval`, e.g. 0.95 */
  confidence: number;
}

export interface ChangeEstimate {
  /** candidate / baseline; NaN when it cannot be estimated */
  ratio: number;
  /** confidence interval for `ratio` */
  interval: [number, number];
  /** two-sided p-value for "no change" */
  pValue: number;
  /** smallest relative change this data could tell from zero: the interval's half-width, relative */
  minDetectable: number;
  /** how it was computed, for reports (e.g. `wilcoxon-exact`) */
  method?: string;
  /** coverage actually achieved when small n cannot reach the requested one */
  achievedConfidence?: number;
}

export type ChangeEstimator = (input: ChangeInput) => ChangeEstimate;

/** The estimate of something that could not be estimated (too few values, undefined ratio). */
export function undefinedChange(method: string): ChangeEstimate {
  return { ratio: NaN, interval: [NaN, NaN], pValue: NaN, minDetectable: Infinity, method };
}

/** A shift (and its interval) on whatever scale the differences are; ratio-scale.ts turns it into a ChangeEstimate. */
export interface ShiftEstimate {
  /** point estimate of the shift */
  estimate: number;
  interval: [number, number];
  pValue: number;
  achievedConfidence: number;
  method: string;
}
