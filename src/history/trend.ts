// The trend a report draws for a cell: main's recent refresh medians, then this run's value (pure).
// Only points of the latest refresh's machine, as the stored verdict and change points use them.
import { runtimeKey } from '../baseline/build.js';
import { historyKey } from '../baseline/append-history.js';
import { comparablePoints } from './comparable.js';
import type { CellHistory, ChangePointPath } from '../model/history.js';
import type { Verdict, VerdictKind } from '../model/verdict.js';
import type { TrendScope } from '../model/plan.js';

/** Points drawn per chart, this run's value included: about a month of daily refreshes. */
export const TREND_WINDOW = 30;

export interface CellTrend {
  benchmark: string;
  runtime: string;
  metric: string;
  unit: string;
  kind: VerdictKind;
  /** main's refresh medians, oldest first (at most TREND_WINDOW − 1) */
  points: { median: number; date: string; commit?: string }[];
  /** this run's median of the metric: the chart's last point */
  current: number;
  /** change points reported in main's history whose first refresh is in `points`; absent when none */
  changePoints?: TrendChangePoint[];
}

/** A reported change point on a trend: where, which path found it, how sure. */
export interface TrendChangePoint {
  /** index into the trend's `points` of the first refresh after the change */
  index: number;
  commit?: string;
  /** unknown for change points reported by versions that did not record it */
  path?: ChangePointPath;
  pValue?: number;
  ratio?: number;
}

const CHANGED: ReadonlySet<VerdictKind> = new Set(['regressed', 'likely-regressed', 'improved', 'likely-improved']);

export function cellTrends(
  history: readonly CellHistory[] | undefined,
  verdicts: readonly Verdict[],
  scope: TrendScope,
  /** the cell's runtime key (the config's runtime id) for a verdict; default: its runtime without the version */
  keyOf: (v: Verdict) => string = (v) => runtimeKey(v.runtime),
  window = TREND_WINDOW,
): CellTrend[] {
  if (scope === 'none' || !history || history.length === 0) return [];
  const byKey = new Map(history.map((h) => [historyKey(h.benchmark, h.runtime, h.metric), h]));
  const out: CellTrend[] = [];
  for (const v of verdicts) {
    if (scope === 'changed' && !CHANGED.has(v.kind)) continue;
    const current = v.candidateMedian;
    const cell = byKey.get(historyKey(v.benchmark, keyOf(v), v.metric));
    if (!cell || current === undefined || !Number.isFinite(current)) continue;
    const points = comparablePoints(cell.points)
      .slice(-(window - 1))
      .map((p) => ({ median: p.median, date: p.date, ...(p.commit ? { commit: p.commit } : {}) }));
    if (points.length === 0) continue;
    const trend: CellTrend = {
      benchmark: v.benchmark,
      runtime: v.runtime,
      metric: v.metric,
      unit: v.unit,
      kind: v.kind,
      points,
      current,
    };
    const marks = changePointsOn(cell, points);
    if (marks.length > 0) trend.changePoints = marks;
    out.push(trend);
  }
  return out;
}

/** The cell's reported change points whose first point is drawn, with what the report said of them. */
function changePointsOn(cell: CellHistory, points: readonly { date: string }[]): TrendChangePoint[] {
  const out: TrendChangePoint[] = [];
  for (const date of cell.changePoints ?? []) {
    const index = points.findIndex((p) => p.date === date);
    if (index < 0) continue;
    const r = cell.reported?.find((x) => x.date === date);
    const mark: TrendChangePoint = { index };
    if (r) {
      mark.path = r.path;
      mark.pValue = r.pValue;
      mark.ratio = r.ratio;
      if (r.commit) mark.commit = r.commit;
    }
    out.push(mark);
  }
  return out.sort((a, b) => a.index - b.index);
}
