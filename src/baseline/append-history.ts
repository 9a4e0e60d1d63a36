// Carry the previous baseline's history forward and append this refresh's points (pure).
// Only cells measured successfully in this refresh get a point; cells no longer in the baseline are dropped with it,
// and only gated metrics are kept (diagnostic ones would multiply the document's size for nothing gated).
import { cellKey } from './build.js';
import type { BaselineDoc, BaselineEntry } from './types.js';
import { signTestInterval } from '../stats/paired.js';
import { machineId } from './fingerprint.js';
import { onePerRefresh } from './one-per-refresh.js';
import { HISTORY_MAX_POINTS, type CellHistory, type HistoryPoint } from '../model/history.js';

export interface AppendInput {
  /** the new baseline, before its history is set */
  doc: BaselineDoc;
  /** the previous baseline, or just the history carried forward (the baseline's joined with the branch's) */
  previous?: Pick<BaselineDoc, 'history'>;
  /** cellKey()s of the cells this refresh measured successfully */
  fresh: ReadonlySet<string>;
  /** metrics kept per benchmark (the gated ones); default every metric of the entry */
  metricsOf?: (benchmark: string) => readonly string[] | undefined;
  maxPoints?: number;
}

/** Key of one history cell: benchmark × runtime × metric. */
export function historyKey(benchmark: string, runtime: string, metric: string): string {
  return `${cellKey(benchmark, runtime)}\u0000${metric}`;
}

export function appendHistory(input: AppendInput): CellHistory[] {
  const max = input.maxPoints ?? HISTORY_MAX_POINTS;
  const before = new Map((input.previous?.history ?? []).map((h) => [historyKey(h.benchmark, h.runtime, h.metric), h]));
  const out: CellHistory[] = [];
  for (const entry of input.doc.entries) {
    const measured = input.fresh.has(cellKey(entry.benchmark, entry.runtime));
    const wanted = input.metricsOf?.(entry.benchmark);
    for (const metric of Object.keys(entry.metrics).sort()) {
      if (wanted && !wanted.includes(metric)) continue;
      const old = before.get(historyKey(entry.benchmark, entry.runtime, metric));
      // carried forward and appended alike once per refresh: a duplicated point would count twice in change points
      const points = onePerRefresh([...(old?.points ?? []), ...(measured ? [pointOf(input.doc, entry, metric)] : [])]);
      if (points.length === 0) continue;
      const cell: CellHistory = {
        benchmark: entry.benchmark,
        runtime: entry.runtime,
        metric,
        points: points.slice(-max),
      };
      const kept = keptChangePoints(old?.changePoints, cell.points);
      if (kept.length > 0) cell.changePoints = kept;
      const present = new Set(cell.points.map((p) => p.date));
      const pending = old?.pending?.filter((p) => present.has(p.date)) ?? [];
      if (pending.length > 0) cell.pending = pending;
      const reported = old?.reported?.filter((r) => present.has(r.date)) ?? [];
      if (reported.length > 0) cell.reported = reported;
      out.push(cell);
    }
  }
  return out;
}

/** The point one baseline entry contributes for `metric`. */
export function pointOf(doc: BaselineDoc, entry: BaselineEntry, metric: string): HistoryPoint {
  const m = entry.metrics[metric]!;
  const ci = signTestInterval(m.samples, 0.95).interval;
  const point: HistoryPoint = {
    date: doc.createdAt,
    runtimeVersion: entry.runtimeVersion,
    machine: machineId(doc.machine),
    median: m.median,
    interval: [ci[0], ci[1]],
    n: m.n,
  };
  if (doc.commit) point.commit = doc.commit;
  return point;
}

/** Reported change points whose first point is still in the window. */
function keptChangePoints(dates: readonly string[] | undefined, points: readonly HistoryPoint[]): string[] {
  if (!dates) return [];
  const present = new Set(points.map((p) => p.date));
  return dates.filter((d) => present.has(d));
}
