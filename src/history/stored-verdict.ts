// Stored-mode change from the history's spread: with no side-by-side arm, this session's median is
// judged against the medians of past refreshes (each a session of its own), not against their pooled runs —
// so the session-to-session variation a history records is in the interval, and a drifting runner is not a regression.
//
// Model: log refresh medians of the current regime (since the cell's last change point, latest machine,
// at most the last 30) are i.i.d. normal; the new session's log median is one more draw. The change is
// exp(l* − mean) with the Student-t prediction interval mean ± t(k−1) · s · √(1 + 1/k).
import { mean, median, sampleStandardDeviation } from 'simple-statistics';
import type { BaselineDoc } from '../baseline/types.js';
import type { ChangeEstimate } from '../stats/change.js';
import { studentTQuantile, studentTTwoSidedP } from '../stats/student-t.js';
import { comparablePoints } from './change-points.js';
import type { CellHistory, HistoryPoint } from './types.js';

/** Fewest past refreshes whose spread can be trusted: with k = 5 the 95% t factor is already 2.78. */
export const MIN_HISTORY_POINTS = 5;
/** Most recent refreshes used: older ones describe a runner fleet that may have moved on. */
export const MAX_HISTORY_POINTS = 30;

export const HISTORY_METHOD = 'history: session median vs past refresh medians (t prediction)';

export type StoredChange = { estimate: ChangeEstimate; points: number } | { inconclusive: string };

/** The cell's history in `doc`, or undefined when the document predates history (then the pooled rule applies). */
export function cellHistory(
  doc: BaselineDoc,
  benchmark: string,
  runtime: string,
  metric: string,
): CellHistory | undefined | null {
  if (!doc.history) return undefined;
  return doc.history.find((h) => h.benchmark === benchmark && h.runtime === runtime && h.metric === metric) ?? null;
}

/** Refresh medians since the last reported change point, on the latest machine, most recent last. */
export function currentRegime(history: CellHistory): HistoryPoint[] {
  const points = comparablePoints(history.points);
  const lastChange = history.changePoints?.at(-1);
  const from = lastChange
    ? Math.max(
        0,
        points.findIndex((p) => p.date === lastChange),
      )
    : 0;
  return points.slice(from).slice(-MAX_HISTORY_POINTS);
}

export function storedHistoryChange(
  history: CellHistory | null,
  candidate: readonly number[],
  confidence: number,
): StoredChange {
  const points = history ? currentRegime(history) : [];
  if (points.length < MIN_HISTORY_POINTS) {
    const since = history?.changePoints?.length ? ' since its last change point' : '';
    return {
      inconclusive: `stored baseline without a side-by-side arm: only ${points.length} refresh${points.length === 1 ? '' : 'es'} of history${since}, ${MIN_HISTORY_POINTS} are needed to know how much a session varies — re-measure side by side, or let main refresh the baseline more often`,
    };
  }
  if (candidate.length === 0) return { inconclusive: 'no candidate values' };
  const logs = points.map((p) => Math.log(p.median));
  const k = logs.length;
  const center = mean(logs);
  const spread = Math.max(sampleStandardDeviation(logs), 1e-9) * Math.sqrt(1 + 1 / k);
  const shift = Math.log(median([...candidate])) - center;
  const t = studentTQuantile(1 - (1 - confidence) / 2, k - 1);
  return {
    points: k,
    estimate: {
      ratio: Math.exp(shift),
      interval: [Math.exp(shift - t * spread), Math.exp(shift + t * spread)],
      pValue: studentTTwoSidedP(shift / spread, k - 1),
      minDetectable: Math.exp(t * spread) - 1,
      method: HISTORY_METHOD,
    },
  };
}
