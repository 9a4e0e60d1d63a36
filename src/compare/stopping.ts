// Adaptive stopping, asked after every round: stop once the change is clearly past or clearly within the
// threshold, by the verdict's own estimator at stricter confidence (docs/adrs/0001-adaptive-stopping.md).
import { SESSION_SPAN, storedHistoryChange } from '../history/stored-verdict.js';
import type { CellHistory } from '../model/history.js';
import type { Sample } from '../model/measurement.js';
import { pairedShift, type ShiftEstimate } from '../stats/paired.js';
import { minPairsForSignificance, smallestRankSumP } from '../stats/rank-distributions.js';
import { ratioScale } from '../stats/ratio-scale.js';
import { medianDifferenceInterval, unpairedShift } from '../stats/unpaired.js';
import { metricValues, pairByRound, pairsAreUsable } from './cell-values.js';

export interface StoppingState {
  candidate: readonly Sample[];
  /** the baseline artifact's runs on this runner, when it is re-measured side by side */
  baseline?: readonly Sample[];
  /** stored baseline values of the metric, used when no baseline arm runs here */
  stored?: readonly number[];
  /** the stored baseline's history of this cell, when the verdict will judge against it (null: none recorded) */
  history?: CellHistory | null;
}

export interface StoppingOptions {
  /** confidence of the interval a "within ±threshold" stop needs; default 0.99 */
  confidence?: number;
  /** confidence of the interval a "past the threshold" stop needs; default 0.999 */
  pastConfidence?: number;
  /** fewest pairs (or values per arm, unpaired) before the rule may stop at all; default 6 */
  minRuns?: number;
  /** cells in the run (the multiplicity family) and the verdict's alpha; defaults 1 and 0.05 */
  cells?: number;
  alpha?: number;
}

export const STOPPING_DEFAULTS = { confidence: 0.99, pastConfidence: 0.999, minRuns: 6 } as const;

interface StoppingInterval {
  interval: [number, number];
  /** the interval reaches the requested confidence (else it is the best on offer: "within" stops only) */
  confident: boolean;
  /** the final rank test could reach alpha / cells with this many runs */
  canBeSignificant: boolean;
}

/** True when measuring more rounds would not change the verdict. */
export function decisive(
  state: StoppingState,
  threshold: number,
  metric = 'wall',
  options: StoppingOptions = {},
): boolean {
  // Never looser than the verdict's own (1 − alpha) interval: at alpha < 0.01 (a bisection's share, say) a
  // 99% "within" stop would end cells whose verdict interval then still crosses the threshold.
  const confidence = Math.max(options.confidence ?? STOPPING_DEFAULTS.confidence, 1 - (options.alpha ?? 0.05));
  const minRuns = Math.max(2, options.minRuns ?? STOPPING_DEFAULTS.minRuns);
  const pastConfidence = options.pastConfidence ?? STOPPING_DEFAULTS.pastConfidence;
  const byHistory =
    state.history === undefined
      ? undefined
      : historyDecisive(state, threshold, metric, { confidence, pastConfidence, minRuns });
  if (byHistory !== undefined) return byHistory;
  const perCellAlpha = (options.alpha ?? 0.05) / Math.max(1, options.cells ?? 1);
  const within = stoppingInterval(state, metric, confidence, minRuns, perCellAlpha);
  if (!within) return false;
  const [lo, hi] = within.interval;
  if (lo >= 1 - threshold && hi <= 1 + threshold) return true;
  const past = stoppingInterval(state, metric, pastConfidence, minRuns, perCellAlpha);
  if (!past?.confident || !past.canBeSignificant) return false;
  return past.interval[0] > 1 + threshold || past.interval[1] < 1 - threshold;
}

/**
 * The history verdict's own rule (stored-verdict.ts): stop once its interval is within or past the threshold,
 * or once more runs would hardly narrow it (the runner's session spread dominates). Undefined with too little
 * history: the verdict then falls back to the stored runs, and so does stopping.
 */
function historyDecisive(
  state: StoppingState,
  threshold: number,
  metric: string,
  rule: { confidence: number; pastConfidence: number; minRuns: number },
): boolean | undefined {
  const candidate = metricValues(state.candidate, metric);
  const at = (confidence: number) => storedHistoryChange(state.history ?? null, candidate, confidence);
  const within = at(rule.confidence);
  if ('inconclusive' in within) return undefined;
  // Twice the runs of the refreshes it is judged against: a session a refresh long can sit in one slow phase.
  if (candidate.length < Math.max(rule.minRuns, SESSION_SPAN * within.refreshRuns)) return false;
  const [lo, hi] = within.estimate.interval;
  if ((lo >= 1 - threshold && hi <= 1 + threshold) || within.saturated) return true;
  const past = at(rule.pastConfidence);
  return 'estimate' in past && (past.estimate.interval[0] > 1 + threshold || past.estimate.interval[1] < 1 - threshold);
}

/** Ratio interval from whatever the state holds, or undefined while there is too little data. */
function stoppingInterval(
  state: StoppingState,
  metric: string,
  confidence: number,
  minRuns: number,
  perCellAlpha: number,
): StoppingInterval | undefined {
  const candidate = metricValues(state.candidate, metric);
  const armValues = state.baseline ? metricValues(state.baseline, metric) : [];
  if (state.baseline && armValues.length > 0) {
    const pairs = pairByRound(state.baseline, state.candidate, metric);
    if (pairsAreUsable(pairs, armValues.length, candidate.length)) {
      if (pairs.candidate.length < minRuns) return undefined;
      const scale = ratioScale(pairs.baseline, pairs.candidate);
      const d = pairs.candidate.map((c, i) => scale.transform(c) - scale.transform(pairs.baseline[i] as number));
      const shift = pairedShift(d, confidence);
      return {
        interval: toRatios(shift, scale.toRatio),
        confident: shift.achievedConfidence >= confidence - 1e-9,
        canBeSignificant: d.length >= minPairsForSignificance(perCellAlpha),
      };
    }
  }
  // No partner runs: against the arm or the stored figures, or — with nothing to compare — against
  // the candidate itself, i.e. "is the candidate's own median precise enough for a baseline as noisy".
  const reference = armValues.length > 0 ? armValues : state.stored?.length ? [...state.stored] : undefined;
  if (candidate.length < minRuns || (reference?.length ?? candidate.length) < minRuns) return undefined;
  const scale = ratioScale(reference ?? candidate, candidate);
  const x = (reference ?? candidate).map(scale.transform);
  const y = candidate.map(scale.transform);
  const shift = reference ? unpairedShift(x, y, confidence) : medianDifferenceInterval(x, y, confidence);
  return {
    interval: toRatios(shift, scale.toRatio),
    confident: shift.achievedConfidence >= confidence - 1e-9,
    canBeSignificant: smallestRankSumP(x.length, y.length) < perCellAlpha,
  };
}

function toRatios(shift: ShiftEstimate, toRatio: (s: number) => number): [number, number] {
  return [toRatio(shift.interval[0]), toRatio(shift.interval[1])];
}
