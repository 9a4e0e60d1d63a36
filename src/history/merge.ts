// Union of two histories of main (pure): the baseline's and the branch's, or ours and a concurrent pusher's.
// Neither side is trusted to be complete, so nothing present on either side is lost but the oldest points past the bound.
import { historyKey } from '../baseline/append-history.js';
import { onePerRefresh } from '../baseline/one-per-refresh.js';
import { HISTORY_MAX_POINTS, type CellHistory, type HistoryPoint } from '../model/history.js';

/** Cells of `a` in order, then those only in `b`; per cell the points' union, oldest first, bounded. */
export function mergeHistories(
  a: readonly CellHistory[],
  b: readonly CellHistory[],
  maxPoints = HISTORY_MAX_POINTS,
): CellHistory[] {
  const out = new Map<string, CellHistory>();
  for (const cell of [...a, ...b]) {
    const key = historyKey(cell.benchmark, cell.runtime, cell.metric);
    const seen = out.get(key);
    out.set(key, seen ? mergeCell(seen, cell, maxPoints) : mergeCell(cell, undefined, maxPoints));
  }
  return [...out.values()];
}

function mergeCell(a: CellHistory, b: CellHistory | undefined, maxPoints: number): CellHistory {
  const points = unionPoints(a.points, b?.points ?? []).slice(-maxPoints);
  const cell: CellHistory = { benchmark: a.benchmark, runtime: a.runtime, metric: a.metric, points };
  // A change point is remembered while its first point is still in the window (as append.ts keeps them).
  const present = new Set(points.map((p) => p.date));
  const remembered = [...new Set([...(a.changePoints ?? []), ...(b?.changePoints ?? [])])].filter((d) =>
    present.has(d),
  );
  if (remembered.length > 0) cell.changePoints = remembered.sort(byDate);
  // Unconfirmed splits (history/confirm.ts) likewise, one per split date, `a`'s first.
  const pending = [...(a.pending ?? []), ...(b?.pending ?? [])].filter(
    (p, i, all) => present.has(p.date) && all.findIndex((q) => q.date === p.date) === i,
  );
  if (pending.length > 0) cell.pending = pending;
  // What was reported for them, one per change point date, `a`'s first.
  const reported = [...(a.reported ?? []), ...(b?.reported ?? [])].filter(
    (r, i, all) => present.has(r.date) && all.findIndex((q) => q.date === r.date) === i,
  );
  if (reported.length > 0) cell.reported = reported.sort((x, y) => byDate(x.date, y.date));
  return cell;
}

/** One point per refresh (date + commit), `a`'s copy first; sorted by time, ties kept in order. */
function unionPoints(a: readonly HistoryPoint[], b: readonly HistoryPoint[]): HistoryPoint[] {
  return onePerRefresh([...a, ...b]).sort((x, y) => byDate(x.date, y.date));
}

function byDate(x: string, y: string): number {
  return Date.parse(x) - Date.parse(y);
}
