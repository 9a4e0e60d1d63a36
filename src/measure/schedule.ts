// Pure rules of the measurement loop: the order of arms in a round and when to stop.
import type { MeasureOptions } from '../model/plan.js';
import type { CellMeasurement } from '../model/measurement.js';

/**
 * Arm indices in the order round `round` runs them: with two arms A,B on even rounds and B,A on odd ones
 * (ABBA…), so a slow drift of the machine (thermal, frequency, noisy neighbour) hits both arms alike.
 */
export function roundOrder(round: number, armCount: number): number[] {
  const order = Array.from({ length: armCount }, (_, i) => i);
  return round % 2 === 0 ? order : order.reverse();
}

/** Why a cell stopped measuring. */
export type StopReason = NonNullable<CellMeasurement['stopReason']>;

export interface LoopState {
  /** timed samples of the arm with the fewest (every active arm gets one per round) */
  runs: number;
  /** since the cell started, warm-ups included: the budget */
  elapsedMs: number;
  /** since the first timed round started: what minTimeMs asks for */
  measuringMs: number;
}

export type StopLimits = Pick<MeasureOptions, 'minRuns' | 'maxRuns' | 'minTimeMs' | 'maxTimeMs'> &
  Partial<Pick<MeasureOptions, 'hardMaxTimeMs' | 'significanceRuns'>>;

/**
 * Checked after every round. maxRuns and hardMaxTimeMs are hard caps; below minRuns the loop always goes
 * on (the per-run timeout bounds it); the time budget (maxTimeMs) ends a cell only once the verdict could
 * reach significance (significanceRuns); then minTimeMs; then the caller's adaptive rule decides
 * (without one, meeting the minimums is enough). The adaptive rule may stop earlier: it only calls a
 * change once significance is reachable (compare/stopping.ts).
 */
export function stopReason(state: LoopState, limits: StopLimits, converged?: () => boolean): StopReason | undefined {
  if (state.runs >= limits.maxRuns) return 'max-runs';
  if (state.runs < limits.minRuns) return undefined;
  if (limits.hardMaxTimeMs !== undefined && state.elapsedMs >= limits.hardMaxTimeMs) return 'hard-max-time';
  const reachable = state.runs >= (limits.significanceRuns ?? 0);
  if (state.elapsedMs >= limits.maxTimeMs) {
    if (reachable) return 'max-time';
    return converged?.() ? 'converged' : undefined;
  }
  if (state.measuringMs < limits.minTimeMs) return undefined;
  if (!converged) return reachable ? 'minimum' : undefined;
  return converged() ? 'converged' : undefined;
}
