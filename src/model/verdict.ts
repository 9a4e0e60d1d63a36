import type { Direction } from './plan.js';
import type { CellEffect, RunFailure } from './measurement.js';

/** The run's overall result, the report's first line. */
export type Headline = 'pass' | 'regressed' | 'no-baseline' | 'failed' | 'baseline-saved' | 'cancelled';

export type VerdictKind =
  | 'regressed'
  | 'likely-regressed'
  | 'improved'
  | 'likely-improved'
  | 'unchanged'
  | 'inconclusive'
  | 'new'
  | 'missing'
  | 'failed';

/** How the change was estimated (`history`: stored mode, against past refresh medians — history/stored-verdict.ts). */
export type Method = 'paired' | 'unpaired' | 'history' | 'none';

/** The verdict for one cell: benchmark × runtime × metric. */
export interface Verdict {
  benchmark: string;
  runtime: string;
  /** `os-arch`, when the report merged shards of several platforms */
  platform?: string;
  metric: string;
  unit: string;
  direction: Direction;
  kind: VerdictKind;
  baselineMedian?: number;
  candidateMedian?: number;
  /** candidate / baseline of the metric's value (medians, or the paired estimate) */
  ratio?: number;
  /** interval for `ratio` */
  interval?: [number, number];
  threshold: number;
  /** the threshold as given in bytes (`threshold` is then it relative to main's value) */
  thresholdBytes?: number;
  method: Method;
  pValue?: number;
  /** after multiple-comparison control across all cells of the run */
  adjustedP?: number;
  /** smallest relative change this run could have detected */
  minDetectable?: number;
  runs: { baseline: number; candidate: number };
  /** caveats: other machine, other runtime version, outliers, … */
  notes: string[];
  failure?: RunFailure;
  /** a noticed upgrade whose PR changed the .wasm too: which effect this verdict measures (CellMeasurement.effect) */
  effect?: CellEffect;
  /** a runtime change: the side whose build failed (`main's build`, `wasmi 0.32.3`); its message says so too */
  failedSide?: string;
  /** two-sided confidence of `interval` (e.g. 0.95) */
  confidence?: number;
  /** the estimator's own description, e.g. `paired wilcoxon-exact` */
  statistic?: string;
  /** indices (into each arm's values for this metric) flagged by hyperfine's modified z-score rule; kept, not dropped */
  outliers?: { baseline: number[]; candidate: number[] };
  /** for an undecided cell whose estimate lies beyond the threshold: why it was not called, in one line */
  whyNotCalled?: string;
  /** rounds the verdict needed to be able to reach the run's corrected alpha, when measuring ended before them */
  roundsNeeded?: number;
  /** A/A run: candidate and baseline artifacts are byte-identical, so the interval is the runner's noise floor */
  noiseFloor?: boolean;
  /** a history verdict whose interval is the runner's session-to-session spread: more runs would not narrow it */
  spreadBound?: boolean;
}
