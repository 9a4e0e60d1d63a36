// Confirmation of change points by fresh data (pure): a significant split waits until `fresh` refreshes
// measured after it was first seen all sit nearer its new level than its old one, still significant at ±1 (ADR 0014).
import type { HistoryPoint, PendingChangePoint } from '../model/history.js';

export interface Candidate {
  /** index (into `points`) of the split's first point */
  index: number;
  /** segment medians on each side (same unit as the points' medians) */
  before: number;
  after: number;
}

export interface Confirmed {
  /** indices of the splits confirmed at this look */
  report: number[];
  /** the splits still waiting, to be stored in the history */
  pending: PendingChangePoint[];
}

/** Splits found at this look (none reported yet) against the ones pending from earlier looks. */
export function confirmSplits(
  candidates: readonly Candidate[],
  points: readonly HistoryPoint[],
  pending: readonly PendingChangePoint[],
  fresh: number,
): Confirmed {
  const newest = points.at(-1)?.date ?? '';
  const position = new Map(points.map((p, i) => [p.date, i]));
  const out: Confirmed = { report: [], pending: [] };
  for (const c of candidates) {
    const earlier = pending.find((p) => Math.abs((position.get(p.date) ?? -Infinity) - c.index) <= 1);
    const since = earlier ? position.get(earlier.since) : undefined;
    // points measured after the split was first seen: judged out of sample, so a cluster of slow sessions that made it is not
    const later = since === undefined ? [] : points.slice(since + 1).map((p) => p.median);
    const agree = later.every((m) => Math.abs(Math.log(m / c.after)) < Math.abs(Math.log(m / c.before)));
    if (fresh === 0 || (since !== undefined && agree && later.length >= fresh)) out.report.push(c.index);
    else
      out.pending.push({ date: points[c.index]!.date, since: since !== undefined && agree ? earlier!.since : newest });
  }
  return out;
}
