// What a refresh does with history: carry it forward, append this run's points, find new change points (pure).
import { measuredCellKey } from '../baseline/build.js';
import type { BaselineDoc } from '../baseline/types.js';
import type { BenchmarkSpec } from '../model/plan.js';
import type { CellMeasurement } from '../model/measurement.js';
import { appendHistory, historyKey } from '../baseline/append-history.js';
import { detectNewChangePoints, type ChangePoint, type DetectOptions } from './change-points.js';
import { mergeHistories } from './merge.js';
import type { CellHistory } from '../model/history.js';

export function refreshHistory(
  doc: BaselineDoc,
  previous: BaselineDoc | undefined,
  measurements: readonly CellMeasurement[],
  benchmarks: readonly BenchmarkSpec[],
  options: DetectOptions = {},
  /** the history kept on the `history: branch:NAME` branch: joined with the previous baseline's */
  branch?: readonly CellHistory[],
): { doc: BaselineDoc; changePoints: ChangePoint[]; dropped: string[] } {
  const fresh = new Set(
    measurements.filter((m) => !m.candidate.failure && m.candidate.samples.length > 0).map((m) => measuredCellKey(m)),
  );
  const gated = new Map(benchmarks.map((b) => [b.id, b.metrics]));
  // An evicted cache entry loses no history when the branch still has it.
  const carried = branch ? { history: mergeHistories(previous?.history ?? [], branch) } : previous;
  const history = appendHistory({ doc, previous: carried, fresh, metricsOf: (id) => gated.get(id) });
  const detected = detectNewChangePoints(history, options);
  // A cell no longer in the baseline (its benchmark, runtime or metric removed) leaves the history with its points.
  const kept = new Set(history.map((h) => historyKey(h.benchmark, h.runtime, h.metric)));
  const dropped = (carried?.history ?? [])
    .filter((h) => !kept.has(historyKey(h.benchmark, h.runtime, h.metric)))
    .map((h) => `${h.benchmark} on ${h.runtime} (${h.metric})`);
  return { doc: { ...doc, history: detected.history }, changePoints: detected.changePoints, dropped };
}
