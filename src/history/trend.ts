// The trend a report draws for a cell: main's recent refresh medians, then this run's value (pure).
// Only points of the latest refresh's machine, as the stored verdict and change points use them.
import { runtimeKey } from '../baseline/build.js';
import { historyKey } from '../baseline/append-history.js';
import { comparablePoints } from './change-points.js';
import type { CellHistory } from '../model/history.js';
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
    out.push({
      benchmark: v.benchmark,
      runtime: v.runtime,
      metric: v.metric,
      unit: v.unit,
      kind: v.kind,
      points,
      current,
    });
  }
  return out;
}
