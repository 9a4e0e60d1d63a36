// Stored-mode change from the history's spread: with no side-by-side arm, this session's median is
// judged against the medians of past refreshes (each a session of its own), not against their pooled runs —
// so the session-to-session variation a history records is in the interval, and a drifting runner is not a regression.
//
// Model: log refresh medians of the current regime (since the cell's last change point, latest machine,
// at most the last 30) are μ + a session effect (variance τ²) + the median's own sampling error. The change
// is exp(l* − mean) with the Student-t prediction interval mean ± t(k−1) · √(τ² + v* + s²/k), where
// τ² = s² − (the refreshes' mean sampling variance) and v* is this session's, so a session measured with
// more runs than a refresh is judged by its own precision (docs/adrs/0014-history-and-change-points.md).
import { mean, median, sampleVariance } from 'simple-statistics';
import type { BaselineDoc } from '../baseline/types.js';
import type { ChangeEstimate } from '../stats/change.js';
import { normalQuantile } from '../stats/normal.js';
import { signTestCriticalIndex } from '../stats/paired.js';
import { studentTQuantile, studentTTwoSidedP } from '../stats/student-t.js';
import { comparablePoints } from './comparable.js';
import type { CellHistory, HistoryPoint } from '../model/history.js';
import { onePerRefresh } from '../baseline/one-per-refresh.js';

/** Fewest past refreshes whose spread can be trusted: with k = 5 the 95% t factor is already 2.78. */
export const MIN_HISTORY_POINTS = 5;
/** Most recent refreshes used: older ones describe a runner fleet that may have moved on. */
export const MAX_HISTORY_POINTS = 30;

export const HISTORY_METHOD = 'history: session median vs past refresh medians (t prediction)';

/** More runs could narrow the interval by less than this factor: its width is the runner's spread, not the session's. */
export const SATURATED = 1.1;

/**
 * A session judged against the history spans at least this many refreshes' worth of runs: a runner whose
 * state flips within seconds can hold a refresh-length session wholly in a slow phase (docs/adrs/0014).
 */
export const SESSION_SPAN = 2;

export type StoredChange =
  | {
      estimate: ChangeEstimate;
      points: number;
      /** the interval is within SATURATED of what infinitely many runs would give (session-to-session spread) */
      saturated: boolean;
      /** runs a refresh of the regime measured (median): a session judged on fewer is a burst, not a session */
      refreshRuns: number;
    }
  | { inconclusive: string };

/** The cell's history in `doc`, or undefined when the document predates history (then the pooled rule applies). */
export function cellHistory(
  doc: BaselineDoc,
  benchmark: string,
  runtime: string,
  metric: string,
): CellHistory | undefined | null {
  if (!doc.history) return undefined;
  const found = doc.history.find((h) => h.benchmark === benchmark && h.runtime === runtime && h.metric === metric);
  // a stored document may repeat a refresh (hand-edited, or written before dedupe): it counts once
  return found ? { ...found, points: onePerRefresh(found.points) } : null;
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
  const model = regimeSpread(points);
  const spread = Math.sqrt(Math.max(newSessionsVariance(model, [{ n: candidate.length }]), 1e-18));
  const limit = Math.sqrt(Math.max(newSessionsVariance(model, [{ n: Infinity }]), 1e-18));
  const shift = Math.log(median([...candidate])) - center;
  const t = studentTQuantile(1 - (1 - confidence) / 2, k - 1);
  return {
    points: k,
    saturated: spread <= SATURATED * limit,
    refreshRuns: median(points.map((p) => p.n)),
    estimate: {
      ratio: Math.exp(shift),
      interval: [Math.exp(shift - t * spread), Math.exp(shift + t * spread)],
      pValue: studentTTwoSidedP(shift / spread, k - 1),
      minDetectable: Math.exp(t * spread) - 1,
      method: HISTORY_METHOD,
    },
  };
}

/**
 * The regime's spread, split into its parts: s² (sample variance of the log refresh medians, k of them), and
 * when every point has a usable interval, the session effect τ² = max(0, s² − mean v_i) and the per-run
 * sampling scale (a median's variance goes as 1/n, pooled over the refreshes). Without usable intervals the
 * sampling part cannot be told apart and new sessions are i.i.d. draws of variance s².
 */
export interface RegimeSpread {
  k: number;
  s2: number;
  between?: number;
  perRun?: number;
}

export function regimeSpread(points: readonly HistoryPoint[]): RegimeSpread {
  const k = points.length;
  const s2 = k > 1 ? sampleVariance(points.map((p) => Math.log(p.median))) : 0;
  const sampling = points.map(medianLogVariance);
  if (sampling.some((v) => v === undefined)) return { k, s2 };
  return {
    k,
    s2,
    between: Math.max(0, s2 - mean(sampling as number[])),
    perRun: mean(sampling.map((v, i) => v! * points[i]!.n)),
  };
}

/**
 * Variance of the mean log median of `sessions` new sessions about the regime's mean: τ²/j + (Σ v*) / j² + s²/k
 * (a prediction interval for their mean). A session's v* is its own sampling variance when given (a refresh's
 * own interval), else the pooled per-run scale at its n runs. With no usable intervals (or n < 2) it is
 * s²·(1/j + 1/k), as for i.i.d. draws.
 */
export function newSessionsVariance(model: RegimeSpread, sessions: readonly { n: number; own?: number }[]): number {
  const j = sessions.length;
  const iid = model.s2 * (1 / j + 1 / model.k);
  if (model.between === undefined || model.perRun === undefined) return iid;
  if (sessions.some((s) => s.own === undefined && s.n < 2)) return iid;
  const sampling = sessions.reduce((sum, s) => sum + (s.own ?? model.perRun! / s.n), 0);
  return model.between / j + sampling / (j * j) + model.s2 / model.k;
}

/** Sampling variance of a point's log median, from its sign-test interval; undefined when it has none. */
export function medianLogVariance(p: HistoryPoint): number | undefined {
  const [lo, hi] = p.interval;
  if (!(lo > 0 && hi > lo) || p.n < 6) return undefined;
  const { achieved } = signTestCriticalIndex(p.n, 0.95);
  const se = Math.log(hi / lo) / (2 * normalQuantile((1 + achieved) / 2));
  return se * se;
}
