// Getting one metric's numbers out of an arm's samples, and lining up the two arms by round.
import type { Sample } from '../model/measurement.js';

/** The metric's finite values, in run order. */
export function metricValues(samples: readonly Sample[], metric: string): number[] {
  return samples.map((s) => s.values[metric]).filter((v): v is number => v !== undefined && Number.isFinite(v));
}

export interface RoundPairs {
  /** baseline[i] and candidate[i] were measured in the same round */
  baseline: number[];
  candidate: number[];
}

/** Pairs of the two arms' values from the same round (several runs of one round pair in run order). */
export function pairByRound(baseline: readonly Sample[], candidate: readonly Sample[], metric: string): RoundPairs {
  const byRound = (samples: readonly Sample[]): Map<number, number[]> => {
    const rounds = new Map<number, number[]>();
    for (const s of samples) {
      const v = s.values[metric];
      if (v === undefined || !Number.isFinite(v)) continue;
      rounds.set(s.round, [...(rounds.get(s.round) ?? []), v]);
    }
    return rounds;
  };
  const b = byRound(baseline);
  const c = byRound(candidate);
  const pairs: RoundPairs = { baseline: [], candidate: [] };
  for (const round of [...c.keys()].sort((x, y) => x - y)) {
    const bs = b.get(round) ?? [];
    const cs = c.get(round) ?? [];
    for (let i = 0; i < Math.min(bs.length, cs.length); i++) {
      pairs.baseline.push(bs[i] as number);
      pairs.candidate.push(cs[i] as number);
    }
  }
  return pairs;
}

/** Rounds pair up when most runs found a partner (a few lost to failures or caps are fine). */
export function pairsAreUsable(pairs: RoundPairs, baselineRuns: number, candidateRuns: number): boolean {
  const n = pairs.candidate.length;
  return n >= 2 && n >= 0.5 * Math.min(baselineRuns, candidateRuns);
}
