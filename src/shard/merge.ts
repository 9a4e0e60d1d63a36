// The shards' partial reports → one measured run for the judging half (pure). Checks the set is complete
// and consistent; a missing shard's cells become failed measurements, so the verdict can never silently pass.
import { cellKey, type ArtifactBytes } from '../baseline/build.js';
import type { BaselineDoc, BaselineLoad } from '../baseline/types.js';
import { BASELINE_SCHEMA, BASELINE_VERSION } from '../baseline/types.js';
import type { CellHistory } from '../model/history.js';
import type { BenchmarkSpec, Mode } from '../model/plan.js';
import type { CellMeasurement } from '../model/measurement.js';
import type { MeasuredRun } from '../pipeline/run-gate.js';
import type { PlannedCell } from '../pipeline/partition.js';
import type { PartialReport } from './partial-schema.js';
import { mergeStoredRuntimes } from './stored-runtimes.js';

export interface MergedShards {
  mode: Mode;
  benchmarks: BenchmarkSpec[];
  run: MeasuredRun;
  /** shards 1..n that sent no usable report */
  missingShards: number[];
}

export class MergeError extends Error {}

export function mergePartials(
  partials: readonly PartialReport[],
  missingReasons: ReadonlyMap<number, string> = new Map(),
): MergedShards {
  if (partials.length === 0)
    throw new MergeError('no shard sent a partial report: every shard job failed or none uploaded');
  const first = partials[0]!;
  const count = first.shard.count;
  const partition = JSON.stringify(first.partition);
  for (const p of partials) {
    const who = `shard ${p.shard.index}/${p.shard.count}`;
    if (p.shard.count !== count)
      throw new MergeError(
        `${who} belongs to a run of ${p.shard.count} shards, shard ${first.shard.index} to one of ${count}: give every job the same n in shard: k/n`,
      );
    if (p.mode !== first.mode)
      throw new MergeError(
        `${who} ran in ${p.mode} mode, shard ${first.shard.index} in ${first.mode}: all shards of a run must do the same`,
      );
    if (JSON.stringify(p.partition) !== partition)
      throw new MergeError(
        `${who} split the cells differently from shard ${first.shard.index} (other config or baseline?): run every shard on the same commit and baseline`,
      );
    if (p.baseline?.createdAt !== first.baseline?.createdAt)
      throw new MergeError(
        `${who} compared with another baseline than shard ${first.shard.index}: a refresh landed mid-run; re-run the workflow`,
      );
  }
  const byIndex = new Map<number, PartialReport>();
  for (const p of partials) {
    if (byIndex.has(p.shard.index))
      throw new MergeError(`two partial reports claim to be shard ${p.shard.index}/${count}: refused`);
    byIndex.set(p.shard.index, p);
  }
  const missingShards = range(count).filter((k) => !byIndex.has(k));
  const present = [...byIndex.values()].sort((a, b) => a.shard.index - b.shard.index);
  const benchmarks = mergeBenchmarks(present);
  const artifacts = new Map<string, ArtifactBytes>();
  for (const p of present) {
    for (const a of p.artifacts) {
      artifacts.set(a.path, {
        sha256: a.sha256,
        rel: a.rel,
        bytes: a.base64 ? Buffer.from(a.base64, 'base64') : new Uint8Array(),
      });
    }
  }
  const measurements: CellMeasurement[] = present.flatMap((p) => p.measurements);
  for (const k of missingShards) {
    const why = missingReasons.get(k) ?? 'sent no partial report (its job failed, was cancelled or did not upload)';
    for (const cell of first.partition[k - 1] ?? []) {
      measurements.push(missingMeasurement(cell, `shard ${k}/${count} ${why}`));
      addPlaceholder(benchmarks, artifacts, cell);
    }
  }
  const warnings = present.flatMap((p) => p.warnings.map((w) => `shard ${p.shard.index}/${count}: ${w}`));
  // a refresh stores the shards' `under-test` builds with the baseline, as an unsharded refresh does
  const stored = mergeStoredRuntimes(present);
  warnings.push(...stored.warnings);
  return {
    mode: first.mode,
    benchmarks,
    missingShards,
    run: {
      startedAt: Math.min(...present.map((p) => p.startedAt)),
      warnings,
      runtimes: dedupe(
        present.flatMap((p) => p.runtimes),
        (r) => r.id,
      ),
      artifacts,
      loaded: mergedBaseline(present),
      base: {
        sha256: Object.assign({}, ...present.map((p) => p.base.sha256)),
        from: present.find((p) => p.base.from !== 'none')?.base.from ?? 'none',
      },
      measurements,
      ...(stored.runtimes ? { storedRuntimes: stored.runtimes } : {}),
      machine: first.machine,
    },
  };
}

/** One spec per benchmark; a benchmark split over shards by runtime gets the union of its runtimes. */
function mergeBenchmarks(partials: readonly PartialReport[]): BenchmarkSpec[] {
  const out = new Map<string, BenchmarkSpec>();
  for (const p of partials) {
    for (const b of p.benchmarks) {
      const seen = out.get(b.id);
      if (!seen) {
        out.set(b.id, { ...b, runtimes: [...b.runtimes] });
        continue;
      }
      if (seen.threshold !== b.threshold || JSON.stringify(seen.metrics) !== JSON.stringify(b.metrics)) {
        throw new MergeError(
          `shard ${p.shard.index} configures benchmark ${JSON.stringify(b.id.slice(0, 80))} differently from another shard: run every shard on the same config`,
        );
      }
      for (const r of b.runtimes) if (!seen.runtimes.some((s) => s.id === r.id)) seen.runtimes.push(r);
    }
  }
  return [...out.values()];
}

function mergedBaseline(partials: readonly PartialReport[]): BaselineLoad {
  const withDoc = partials.find((p) => p.baseline);
  const b = withDoc?.baseline;
  if (!b) return { source: { kind: 'actions-cache', location: 'none' }, note: 'no shard had a baseline' };
  const seen = new Set<string>();
  const entries = partials
    .flatMap((p) => p.baseline?.entries ?? [])
    .filter((e) => {
      const key = cellKey(e.benchmark, e.runtime);
      return seen.has(key) ? false : (seen.add(key), true);
    });
  const history = mergedHistory(partials);
  const doc: BaselineDoc = {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    createdAt: b.createdAt,
    ...(b.commit ? { commit: b.commit } : {}),
    machine: b.machine,
    artifacts: {},
    entries,
    ...(history.length ? { history } : {}),
  };
  return { doc, source: b.source };
}

/** Each cell × metric's history once (the shards carry disjoint cells; a duplicate keeps the first). */
function mergedHistory(partials: readonly PartialReport[]): CellHistory[] {
  const seen = new Set<string>();
  return partials
    .flatMap((p) => p.baseline?.history ?? [])
    .filter((h) => {
      const key = `${cellKey(h.benchmark, h.runtime)}\u0000${h.metric}`;
      return seen.has(key) ? false : (seen.add(key), true);
    });
}

function missingMeasurement(cell: PlannedCell, message: string): CellMeasurement {
  return {
    benchmark: cell.benchmark,
    runtime: cell.runtime,
    runtimeVersion: 'unknown',
    runtimeKey: cell.runtime,
    candidate: {
      arm: 'candidate',
      samples: [],
      warmups: 0,
      failure: { kind: 'exit', message, stdoutHead: '', stderrTail: '' },
    },
    schedule: 'single',
    elapsedMs: 0,
    stopReason: 'failure',
  };
}

/** compareAll needs a spec for every measured benchmark; a wholly missing one gets a bare one. */
function addPlaceholder(benchmarks: BenchmarkSpec[], artifacts: Map<string, ArtifactBytes>, cell: PlannedCell): void {
  let spec = benchmarks.find((b) => b.id === cell.benchmark);
  if (!spec) {
    spec = {
      id: cell.benchmark,
      artifact: `missing:${cell.benchmark}`,
      artifactRel: cell.benchmark,
      args: [],
      env: {},
      runtimes: [],
      threshold: 0.05,
      metrics: ['wall'],
      programMetrics: [],
      thresholds: {},
    };
    benchmarks.push(spec);
    artifacts.set(spec.artifact, { sha256: '', rel: cell.benchmark, bytes: new Uint8Array() });
  }
  if (!spec.runtimes.some((r) => r.id === cell.runtime))
    spec.runtimes.push({ name: cell.runtime, id: cell.runtime, flags: [] });
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i + 1);
}

function dedupe<T>(items: readonly T[], key: (t: T) => string): T[] {
  const seen = new Set<string>();
  return items.filter((t) => (seen.has(key(t)) ? false : (seen.add(key(t)), true)));
}
