// The default good..bad of `mode: bisect`: the commit range of the newest change point reported in the
// history of main (pure). A change point is remembered by the date of its first point (model/history.ts).
import type { CellHistory } from '../model/history.js';

export interface CommitRange {
  good: string;
  bad: string;
  /** what the range is, for the log */
  from: string;
}

/** The newest reported change point whose first point and the point before it both name a commit. */
export function newestChangePointRange(history: readonly CellHistory[] | undefined): CommitRange | undefined {
  let best: (CommitRange & { date: string }) | undefined;
  for (const cell of history ?? []) {
    for (const date of cell.changePoints ?? []) {
      const i = cell.points.findIndex((p) => p.date === date);
      const after = cell.points[i];
      const before = cell.points[i - 1];
      if (i < 1 || !after?.commit || !before?.commit || (best && best.date >= date)) continue;
      const from = `the change point of ${cell.benchmark} on ${cell.runtime} (${cell.metric}) first measured ${date}`;
      best = { good: before.commit, bad: after.commit, from, date };
    }
  }
  return best && { good: best.good, bad: best.bad, from: best.from };
}
