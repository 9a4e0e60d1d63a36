// A disturbed refresh (pure): a session whose runs scattered far more than the regime's usually do — load
// on the runner, not the code. Interference only widens a session's interval, while a change to the code
// moves the median and keeps the relative width (docs/adrs/0014-history-and-change-points.md, "The fast path").
import { median } from 'simple-statistics';
import { medianLogVariance } from './stored-verdict.js';
import type { HistoryPoint } from '../model/history.js';

/**
 * A refresh whose own interval is wider than this many times the usual (median) interval of the refreshes it
 * is compared with is disturbed. On the recorded loaded wall time, the sessions 34–56% slow had intervals
 * 17–66% wide against 2–7% for the others (ADR 0014).
 */
export const DISTURBED_WIDTH = 3;

/** Width of a point's interval on the log scale; undefined when it has no usable one. */
export function logWidth(p: HistoryPoint): number | undefined {
  return medianLogVariance(p) === undefined ? undefined : Math.log(p.interval[1] / p.interval[0]);
}

/** The median log width of `points`' intervals; undefined when one has none (then nothing is called disturbed). */
export function usualWidth(points: readonly HistoryPoint[]): number | undefined {
  const widths = points.map(logWidth);
  return widths.length > 0 && widths.every((w) => w !== undefined) ? median(widths as number[]) : undefined;
}

/** Whether `p` is disturbed against a usual width (from usualWidth). */
export function isDisturbed(p: HistoryPoint, usual: number | undefined): boolean {
  const width = logWidth(p);
  return usual !== undefined && width !== undefined && width > DISTURBED_WIDTH * usual;
}
