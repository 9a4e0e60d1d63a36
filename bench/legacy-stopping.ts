// FROZEN COPY of src/compare/stopping.ts before the sensitivity work (sign-test 99% inside ±t/2), kept only so
// bench/sensitivity.ts can replay the old rule beside the new one on the same samples.
// Adaptive stopping for the measurement engine, asked after every round: stop once the change is
// clearly past the threshold on either side, or clearly small (inside ±threshold/2). Stable
// benchmarks stop early; noisy ones use their budget. It must be cheap, so it uses analytic
// intervals (sign-test order statistics for pairs, a median normal interval otherwise), never a
// bootstrap. It peeks after every round, so it asks for more than the verdict does (99% intervals
// and a whole interval past the threshold): stopping early must not manufacture a verdict.
// Rank tests have a p-value floor (2^(1−n) for n pairs), so a change is only "decided" once the
// final test can reach alpha / cells — otherwise Holm across the run would leave it inconclusive.
import type { Sample } from '../src/measure/types.js';
import { signTestInterval, type ShiftEstimate } from '../src/stats/paired.js';
import { minPairsForSignificance, smallestRankSumP } from '../src/stats/rank-distributions.js';
import { ratioScale } from '../src/stats/ratio-scale.js';
import { medianDifferenceInterval } from '../src/stats/unpaired.js';
import { metricValues, pairByRound, pairsAreUsable } from '../src/compare/cell-values.js';

export interface StoppingState {
  candidate: readonly Sample[];
  /** the baseline artifact's runs on this runner, when it is re-measured side by side */
  baseline?: readonly Sample[];
  /** stored baseline values of the metric, used when no baseline arm runs here */
  stored?: readonly number[];
}

export interface StoppingOptions {
  /** confidence of the stopping interval; default 0.99 */
  confidence?: number;
  /** fewest values per arm before an unpaired rule may stop; default 8 */
  minUnpaired?: number;
  /** cells in the run (the multiplicity family) and the verdict's alpha; defaults 1 and 0.05 */
  cells?: number;
  alpha?: number;
}

interface StoppingInterval {
  interval: [number, number];
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
  const confidence = options.confidence ?? 0.99;
  const perCellAlpha = (options.alpha ?? 0.05) / Math.max(1, options.cells ?? 1);
  const found = stoppingInterval(state, metric, confidence, options.minUnpaired ?? 8, perCellAlpha);
  if (!found) return false;
  const [lo, hi] = found.interval;
  const clearlyPast = lo > 1 + threshold || hi < 1 - threshold;
  const clearlySmall = lo >= 1 - threshold / 2 && hi <= 1 + threshold / 2;
  return (clearlyPast && found.canBeSignificant) || clearlySmall;
}

/** Ratio interval from whatever the state holds, or undefined while there is too little data. */
function stoppingInterval(
  state: StoppingState,
  metric: string,
  confidence: number,
  minUnpaired: number,
  perCellAlpha: number,
): StoppingInterval | undefined {
  const candidate = metricValues(state.candidate, metric);
  const armValues = state.baseline ? metricValues(state.baseline, metric) : [];
  if (state.baseline && armValues.length > 0) {
    const pairs = pairByRound(state.baseline, state.candidate, metric);
    if (pairsAreUsable(pairs, armValues.length, candidate.length)) {
      const scale = ratioScale(pairs.baseline, pairs.candidate);
      const d = pairs.candidate.map((c, i) => scale.transform(c) - scale.transform(pairs.baseline[i] as number));
      const shift = signTestInterval(d, confidence);
      // Too few pairs for the requested confidence: the interval would be over-confident.
      if (shift.achievedConfidence < confidence - 1e-9) return undefined;
      return {
        interval: toRatios(shift, scale.toRatio),
        canBeSignificant: d.length >= minPairsForSignificance(perCellAlpha),
      };
    }
  }
  // No partner runs: against the arm or the stored figures, or — with nothing to compare — against
  // the candidate itself, i.e. "is the candidate's own median precise enough for a baseline as noisy".
  const reference = armValues.length > 0 ? armValues : state.stored?.length ? [...state.stored] : candidate;
  if (candidate.length < minUnpaired || reference.length < minUnpaired) return undefined;
  const scale = ratioScale(reference, candidate);
  const shift = medianDifferenceInterval(reference.map(scale.transform), candidate.map(scale.transform), confidence);
  return {
    interval: toRatios(shift, scale.toRatio),
    canBeSignificant: smallestRankSumP(reference.length, candidate.length) < perCellAlpha,
  };
}

function toRatios(shift: ShiftEstimate, toRatio: (s: number) => number): [number, number] {
  return [toRatio(shift.interval[0]), toRatio(shift.interval[1])];
}
