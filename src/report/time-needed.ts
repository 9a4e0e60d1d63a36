// What an inconclusive cell would need: its interval narrows as 1/√rounds until it clears the threshold
// band, and never fewer rounds than the p-value floor allows (roundsNeeded). Rough, for sizing time-budget.
import type { Verdict } from '../model/verdict.js';

export interface TimeNeeded {
  rounds: number;
  ms: number;
}

/** Pure: rounds and time an inconclusive verdict would need; undefined when it cannot be estimated. */
export function timeNeeded(v: Verdict, tookMs: number): TimeNeeded | undefined {
  if (v.kind !== 'inconclusive' || !v.interval || v.ratio === undefined || v.ratio <= 0) return undefined;
  // The runner's session spread (a saturated history interval) does not narrow with rounds.
  if (v.spreadBound) return undefined;
  const n = Math.min(v.runs.baseline || v.runs.candidate, v.runs.candidate);
  const [lo, hi] = v.interval;
  if (n < 2 || lo <= 0 || hi <= lo || tookMs <= 0) return undefined;
  const half = (Math.log(hi) - Math.log(lo)) / 2;
  const gap = Math.abs(Math.abs(Math.log(v.ratio)) - Math.log(1 + v.threshold));
  // A point estimate on the threshold itself can never be told apart: no finite number of rounds.
  if (gap < 1e-9) return undefined;
  const floor = Number.isFinite(v.roundsNeeded) ? (v.roundsNeeded ?? 0) : 0;
  const rounds = Math.max(Math.ceil(n * (half / gap) ** 2), floor);
  if (rounds <= n) return undefined;
  return { rounds, ms: (tookMs / n) * rounds };
}
