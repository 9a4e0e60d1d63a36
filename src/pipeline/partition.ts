// Which cells (benchmark × runtime) a shard measures. Pure and deterministic: every shard of a run computes
// the same partition from the same plan and baseline, balanced by the stored median wall time of each cell.
import { isSizeMetric, STATIC_RUNTIME } from '../model/metrics.js';
import { cellKey } from '../baseline/build.js';
import type { BaselineDoc } from '../baseline/types.js';
import type { Plan } from '../model/plan.js';

/** A cell as the plan names it: benchmark id and runtime ref id (no version). */
export interface PlannedCell {
  benchmark: string;
  runtime: string;
}

export function plannedCells(plan: Pick<Plan, 'benchmarks'>): PlannedCell[] {
  return plan.benchmarks.flatMap((b) => [
    // a benchmark's size cell is one cell of its own, measured by one shard only (docs/size.md)
    ...(b.metrics.some(isSizeMetric) ? [{ benchmark: b.id, runtime: STATIC_RUNTIME }] : []),
    ...b.runtimes.map((r) => ({ benchmark: b.id, runtime: r.id })),
  ]);
}

/**
 * Cells per shard (index 0 = shard 1). Longest expected cell first onto the least loaded shard (LPT);
 * ties broken by the cell key, so the result never depends on input order. A cell without a stored
 * median costs the mean of the known ones (all cost 1 without a baseline: balance by count).
 */
export function partitionCells(cells: readonly PlannedCell[], count: number, doc?: BaselineDoc): PlannedCell[][] {
  const costs = cellCosts(cells, doc);
  const order = cells
    .map((cell, i) => ({ cell, key: cellKey(cell.benchmark, cell.runtime), cost: costs[i]! }))
    .sort((a, b) => b.cost - a.cost || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const shards: PlannedCell[][] = Array.from({ length: count }, () => []);
  const load = new Array<number>(count).fill(0);
  for (const { cell, cost } of order) {
    let best = 0;
    for (let s = 1; s < count; s++) if (load[s]! < load[best]!) best = s;
    shards[best]!.push(cell);
    load[best]! += cost;
  }
  return shards;
}

function cellCosts(cells: readonly PlannedCell[], doc?: BaselineDoc): number[] {
  const medians = new Map<string, number>();
  for (const e of doc?.entries ?? []) {
    const median = e.metrics['wall']?.median;
    // `cache: both` stores `rt [cold]` and `rt [warm]`: the planned cell runs both.
    const key = cellKey(e.benchmark, e.runtime.replace(/ \[(cold|warm)\]$/, ''));
    if (median !== undefined && Number.isFinite(median) && median > 0)
      medians.set(key, (medians.get(key) ?? 0) + median);
  }
  const known = cells.map((c) => medians.get(cellKey(c.benchmark, c.runtime)));
  const present = known.filter((v): v is number => v !== undefined);
  const fallback = present.length ? present.reduce((a, b) => a + b, 0) / present.length : 1;
  // a size cell reads a file: next to nothing
  return known.map((v, i) => (cells[i]!.runtime === STATIC_RUNTIME ? 0 : (v ?? fallback)));
}

/** The plan narrowed to one shard's cells: benchmarks keep only their runtimes in the shard. */
export function shardPlan<P extends Pick<Plan, 'benchmarks' | 'runtimes'>>(plan: P, mine: readonly PlannedCell[]): P {
  const wanted = new Set(mine.map((c) => cellKey(c.benchmark, c.runtime)));
  const benchmarks = plan.benchmarks
    .map((b) => {
      const size = wanted.has(cellKey(b.id, STATIC_RUNTIME));
      const runtimes = b.runtimes.filter((r) => wanted.has(cellKey(b.id, r.id)));
      return {
        bench: { ...b, runtimes, ...(size ? {} : { sizeElsewhere: true as const }) },
        keep: size || runtimes.length > 0,
      };
    })
    .filter((x) => x.keep)
    .map((x) => x.bench);
  const used = new Set(benchmarks.flatMap((b) => b.runtimes.map((r) => r.id)));
  return { ...plan, benchmarks, runtimes: plan.runtimes.filter((r) => used.has(r.id)) };
}
