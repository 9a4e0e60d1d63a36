// Side metrics (instructions, AOT compile time and size) come from runs of their own, not from the timed
// runs. Their k-th value is attached to the arm's timed sample of round k, so compare pairs the two arms'
// k-th values like any other metric and the baseline stores them as samples. Pure.
import type { ArmResult, Sample } from '../model/measurement.js';

/** metric id → values in run order (the k-th value goes to round k) */
export type SideValues = Record<string, readonly number[]>;

/** A copy of the arm with the side values written into its samples, ordered by round. */
export function withSideValues(arm: ArmResult, side: SideValues): ArmResult {
  const rounds = [...new Set(arm.samples.map((s) => s.round))].sort((a, b) => a - b);
  const samples = arm.samples.map((s): Sample => {
    const k = rounds.indexOf(s.round);
    const first = arm.samples.find((x) => x.round === s.round) === s; // one value per round, on its first run
    const extra: Record<string, number> = {};
    for (const [metric, values] of Object.entries(side)) {
      const v = values[k];
      if (first && v !== undefined) extra[metric] = v;
    }
    return Object.keys(extra).length ? { ...s, values: { ...s.values, ...extra } } : s;
  });
  return { ...arm, samples };
}
