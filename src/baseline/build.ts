// A finished refresh run → the baseline document (pure). Failed or unmeasured cells keep the
// previous baseline's entry: a flaky refresh must never erase a figure we had.
import type { BenchmarkSpec, Direction } from '../model/plan.js';
import type { CellMeasurement } from '../model/measurement.js';
import { summarize } from '../stats/summary.js';
import { isSizeMetric, STATIC_RUNTIME } from '../model/metrics.js';
import {
  BASELINE_SCHEMA,
  BASELINE_VERSION,
  type BaselineDoc,
  type BaselineEntry,
  type MachineFingerprint,
  type MetricSummary,
} from './types.js';

export interface ArtifactBytes {
  sha256: string;
  bytes: Uint8Array;
  /** workspace-relative path */
  rel: string;
}

export interface BuildBaselineInput {
  measurements: readonly CellMeasurement[];
  benchmarks: readonly BenchmarkSpec[];
  /** candidate artifacts by absolute path (BenchmarkSpec.artifact) */
  artifacts: ReadonlyMap<string, ArtifactBytes>;
  machine: MachineFingerprint;
  commit?: string;
  ref?: string;
  runId?: string;
  now: Date;
  /** unit and direction of a metric id (program metrics need the benchmark that declares them) */
  metricInfo: (metricId: string, benchmark: BenchmarkSpec) => { unit: string; direction: Direction };
  previous?: BaselineDoc;
}

/** A display id without its `@version` (`wasmtime:winch@48.0.0` → `wasmtime:winch`): the key of a measurement that lacks `runtimeKey`. */
export function runtimeKey(runtimeId: string): string {
  const at = runtimeId.indexOf('@');
  return at < 0 ? runtimeId : runtimeId.slice(0, at);
}

/** The runtime part of a measurement's cell key: the runtime's id in the config, never the version it resolved to. */
export function measuredRuntimeKey(m: Pick<CellMeasurement, 'runtime' | 'runtimeKey'>): string {
  return m.runtimeKey ?? runtimeKey(m.runtime);
}

/** Identifies a benchmark × runtime cell in a baseline: `runtime` is a runtime key (a config id, or a stored entry's runtime). */
export function cellKey(benchmark: string, runtime: string): string {
  return `${benchmark}\u0000${runtime}`;
}

/** The cell key of a measurement. */
export function measuredCellKey(m: Pick<CellMeasurement, 'benchmark' | 'runtime' | 'runtimeKey'>): string {
  return cellKey(m.benchmark, measuredRuntimeKey(m));
}

export function buildBaseline(input: BuildBaselineInput): BaselineDoc {
  const specs = new Map(input.benchmarks.map((b) => [b.id, b]));
  const artifacts: BaselineDoc['artifacts'] = {};

  const fresh: BaselineEntry[] = [];
  for (const m of input.measurements) {
    if (!succeeded(m)) continue;
    const spec = specs.get(m.benchmark);
    if (!spec) throw new Error(`measurement of unknown benchmark "${m.benchmark}" (not in the plan)`);
    const artifact = input.artifacts.get(spec.artifact);
    if (!artifact) throw new Error(`no bytes for artifact ${spec.artifact} of benchmark "${spec.id}"`);
    artifacts[artifact.sha256] ??= { path: artifact.rel, base64: Buffer.from(artifact.bytes).toString('base64') };
    fresh.push(entryFrom(m, spec, artifact, input.metricInfo));
  }

  const kept = keptEntries(input, new Set(fresh.map((e) => cellKey(e.benchmark, e.runtime))));
  for (const e of kept) {
    const a = input.previous?.artifacts[e.artifactSha256];
    if (a) artifacts[e.artifactSha256] ??= a;
  }

  const doc: BaselineDoc = {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    createdAt: input.now.toISOString(),
    machine: input.machine,
    artifacts,
    entries: [...fresh, ...kept].sort(byCell),
  };
  if (input.commit) doc.commit = input.commit;
  if (input.ref) doc.ref = input.ref;
  if (input.runId) doc.runId = input.runId;
  return doc;
}

/** A cell counts as a new figure only when its candidate ran cleanly and produced samples. */
function succeeded(m: CellMeasurement): boolean {
  return !m.candidate.failure && m.candidate.samples.length > 0;
}

/** Previous entries of cells this run planned but did not measure successfully (cells no longer planned are dropped). */
function keptEntries(input: BuildBaselineInput, measured: ReadonlySet<string>): BaselineEntry[] {
  if (!input.previous) return [];
  // Cells the run attempted count as planned too: with `cache: both` a runtime's cells are split
  // (`wazero [cold]`, `wazero [warm]`) and only the measurements know their keys.
  const planned = new Set([
    ...input.benchmarks.flatMap((b) => b.runtimes.map((r) => cellKey(b.id, r.id))),
    ...input.benchmarks.filter((b) => b.metrics.some(isSizeMetric)).map((b) => cellKey(b.id, STATIC_RUNTIME)),
    ...input.measurements.map(measuredCellKey),
  ]);
  return input.previous.entries.filter((e) => {
    const key = cellKey(e.benchmark, e.runtime);
    return planned.has(key) && !measured.has(key) && e.artifactSha256 in input.previous!.artifacts;
  });
}

function entryFrom(
  m: CellMeasurement,
  spec: BenchmarkSpec,
  artifact: ArtifactBytes,
  metricInfo: BuildBaselineInput['metricInfo'],
): BaselineEntry {
  const metrics: Record<string, MetricSummary> = {};
  for (const id of metricIds(m)) {
    const values = m.candidate.samples.map((s) => s.values[id]).filter((v): v is number => Number.isFinite(v));
    if (values.length === 0) continue;
    metrics[id] = { ...metricInfo(id, spec), ...stats(values), samples: values };
  }
  return {
    benchmark: m.benchmark,
    runtime: measuredRuntimeKey(m),
    runtimeVersion: m.runtimeVersion,
    artifactRel: artifact.rel,
    artifactSha256: artifact.sha256,
    args: [...spec.args],
    metrics,
  };
}

/** Every gated metric id present in any candidate sample, in first-seen order (the cheap figures every run records are not gated, so not stored). */
function metricIds(m: CellMeasurement): string[] {
  const recorded = [...new Set(m.candidate.samples.flatMap((s) => Object.keys(s.values)))];
  return m.gated ? recorded.filter((id) => m.gated!.includes(id)) : recorded;
}

function stats(values: number[]): Pick<MetricSummary, 'n' | 'median' | 'mean' | 'stddev' | 'min' | 'max'> {
  const { n, median, mean, stddev, min, max } = summarize(values);
  return { n, median, mean, stddev, min, max };
}

function byCell(a: BaselineEntry, b: BaselineEntry): number {
  return a.benchmark.localeCompare(b.benchmark) || a.runtime.localeCompare(b.runtime);
}
