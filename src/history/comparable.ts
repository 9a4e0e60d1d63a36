// Which refreshes of a cell can be compared with each other (pure).
import type { HistoryPoint } from '../model/history.js';

/** Points measured on the latest point's machine: a move to another runner type is not a code change. */
export function comparablePoints(points: readonly HistoryPoint[]): HistoryPoint[] {
  const last = points.at(-1);
  return last ? points.filter((p) => p.machine === last.machine && p.median > 0) : [];
}
