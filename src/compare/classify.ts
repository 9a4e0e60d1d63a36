// The verdict rule for one measured cell. Conservative on purpose ("never cry wolf"):
//  - regressed/improved need all three: the whole interval past HALF the threshold on one side (for
//    threshold 0: off 1), the point estimate beyond the threshold, and the multiplicity-adjusted
//    p-value below alpha. Asking the interval's near end to clear t/2 rather than 1 costs little power
//    (a 2·t change: 100% → 100% caught at noise σ = 2t, 58% → 56% at σ = 4t) and cuts A/A false alarms
//    where the interval is about as wide as the threshold (σ = 4t: 1.8% → 0.2%; bench/stopping-sim.ts);
//  - unchanged needs the whole interval inside ±threshold (a small change we are sure of is fine);
//  - everything else is inconclusive: the data cannot tell a threshold-sized change from none.
// A run whose interval is wider than the threshold (minDetectable > threshold) may only call a
// change when even the interval's near end lies beyond the threshold — then it is no guess.
import type { Direction } from '../config/types.js';
import type { VerdictKind } from './types.js';

export interface ClassifyInput {
  ratio: number;
  interval: [number, number];
  minDetectable: number;
  /** multiplicity-adjusted p-value */
  adjustedP: number;
  threshold: number;
  direction: Direction;
  alpha: number;
}

type Side = 'worse' | 'better';

/** Ratio bounds in "how much worse" terms: for higher-is-better metrics a lower ratio is worse. */
function sideOf(ratio: number, direction: Direction): Side | undefined {
  if (ratio === 1) return undefined;
  const higher = ratio > 1;
  return higher === (direction === 'lower') ? 'worse' : 'better';
}

/** The interval lies wholly past half the threshold on `side` and the point estimate is beyond the threshold there. */
function beyond(input: ClassifyInput, side: Side): { clear: boolean; wholeIntervalPastThreshold: boolean } {
  const [lo, hi] = input.interval;
  const t = input.threshold;
  const up = (side === 'worse') === (input.direction === 'lower'); // the side is above 1
  const clear = up ? lo > 1 + t / 2 && input.ratio > 1 + t : hi < 1 - t / 2 && input.ratio < 1 - t;
  const wholeIntervalPastThreshold = up ? lo > 1 + t : hi < 1 - t;
  return { clear, wholeIntervalPastThreshold };
}

export function classifyChange(input: ClassifyInput): VerdictKind {
  const [lo, hi] = input.interval;
  if (!Number.isFinite(input.ratio) || Number.isNaN(lo) || Number.isNaN(hi)) return 'inconclusive';
  const side = sideOf(input.ratio, input.direction);
  if (side && input.adjustedP < input.alpha) {
    const { clear, wholeIntervalPastThreshold } = beyond(input, side);
    const preciseEnough = input.minDetectable <= input.threshold || wholeIntervalPastThreshold;
    if (clear && preciseEnough) return side === 'worse' ? 'regressed' : 'improved';
  }
  if (lo >= 1 - input.threshold && hi <= 1 + input.threshold) return 'unchanged';
  return 'inconclusive';
}
