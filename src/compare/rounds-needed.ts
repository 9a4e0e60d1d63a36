// How many rounds a cell needs before its final verdict can reach the run's corrected alpha. Rank
// tests have a p-value floor (signed-rank 2^(1−n), rank-sum 2/C(m+n, n)); below it Holm leaves even a
// 5× slowdown unproven, so the engine measures at least this many rounds (see docs/adrs/0011-significance-within-reach.md).
import { minPairsForSignificance, smallestRankSumP } from '../stats/rank-distributions.js';

export interface RoundsNeededInput {
  /** cells in the run's multiplicity family (every benchmark × runtime × gated metric) */
  cells: number;
  /** the verdict's alpha before correction; default 0.05 */
  alpha?: number;
  /** `paired`: interleaved rounds (signed-rank); `unpaired`: two independent samples (rank-sum) */
  method: 'paired' | 'unpaired';
  /** unpaired against stored figures: how many there are; omitted = both arms measured alike (hyperfine) */
  referenceRuns?: number;
}

/** Beyond this many runs per arm a floor is treated as out of reach (e.g. 1 stored sample and 1000 cells). */
const MAX_ROUNDS = 100_000;

/**
 * Fewest rounds (values per arm) whose smallest attainable p-value, times the number of cells (Holm's
 * first step), is below alpha. Infinity when no number of candidate runs can reach it. Pure.
 */
export function roundsNeeded(input: RoundsNeededInput): number {
  const perCell = (input.alpha ?? 0.05) / Math.max(1, input.cells);
  if (input.method === 'paired') return minPairsForSignificance(perCell);
  const reaches = (n: number) => smallestRankSumP(input.referenceRuns ?? n, n) < perCell;
  if (!reaches(MAX_ROUNDS)) return Infinity;
  // The floor falls as n grows: binary search for the first n that reaches.
  let lo = 0;
  let hi = MAX_ROUNDS;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (reaches(mid)) hi = mid;
    else lo = mid;
  }
  return hi;
}
