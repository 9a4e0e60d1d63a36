// The default good..bad of `mode: bisect`: the commit range of the newest change point reported in the
// history of main (pure) — the range the report gave, whichever path found it. A change point is remembered by
// the date of its first point (model/history.ts); documents of older versions have no `reported`, and then the
// point before it and its first point name the range.
import type { CellHistory } from '../model/history.js';

export interface CommitRange {
  good: string;
  bad: string;
  /** what the range is, for the log */
  from: string;
}

/** The newest reported change point whose range names a commit on both ends. */
export function newestChangePointRange(history: readonly CellHistory[] | undefined): CommitRange | undefined {
  let best: (CommitRange & { date: string }) | undefined;
  for (const cell of history ?? []) {
    for (const date of cell.changePoints ?? []) {
      if (best && best.date >= date) continue;
      const reported = cell.reported?.find((r) => r.date === date);
      const i = cell.points.findIndex((p) => p.date === date);
      const good = reported ? reported.fromCommit : i >= 1 ? cell.points[i - 1]?.commit : undefined;
      const bad = reported ? reported.commit : cell.points[i]?.commit;
      if (!good || !bad) continue;
      const by = reported ? `, found by the ${reported.path === 'fast' ? 'fast path' : 'permutation test'}` : '';
      const from = `the change point of ${cell.benchmark} on ${cell.runtime} (${cell.metric}) first measured ${date}${by}`;
      best = { good, bad, from, date };
    }
  }
  return best && { good: best.good, bad: best.bad, from: best.from };
}
