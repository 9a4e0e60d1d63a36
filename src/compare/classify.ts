// The verdict rule for one measured cell, conservative on purpose: a change needs interval, point estimate
// and adjusted p-value all past the threshold (docs/adrs/0002-verdict-rule.md). A whole interval beyond the
// threshold without the p-value is `likely-…`, never inconclusive (docs/adrs/0011-significance-within-reach.md).
import type { Direction } from '../model/plan.js';
import type { VerdictKind } from '../model/verdict.js';

export interface ClassifyInput {
  ratio: number;
  interval: [number, number];
  minDetectable: number;
  /** multiplicity-adjusted p-value */
  adjustedP: number;
  threshold: number;
  direction: Direction;
  alpha: number;
  /** the interval reaches the requested confidence (small n cannot); default true */
  intervalConfident?: boolean;
  /** the interval is as narrow as the runner allows (a history verdict's session spread): no run count narrows it */
  spreadBound?: boolean;
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
    // "Too imprecise, measure more" cannot apply where more runs would not narrow the interval.
    const preciseEnough = input.spreadBound || input.minDetectable <= input.threshold || wholeIntervalPastThreshold;
    if (clear && preciseEnough) return side === 'worse' ? 'regressed' : 'improved';
  }
  if (side && input.intervalConfident !== false && beyond(input, side).wholeIntervalPastThreshold)
    return side === 'worse' ? 'likely-regressed' : 'likely-improved';
  if (lo >= 1 - input.threshold && hi <= 1 + input.threshold) return 'unchanged';
  return 'inconclusive';
}
