import type { Direction } from '../model/plan.js';
import type { CellHistory } from '../model/history.js';
import type { Summary } from '../stats/summary.js';

export const BASELINE_SCHEMA = 'wasm-perf-gate/baseline';
export const BASELINE_VERSION = 2;

export interface MachineFingerprint {
  cpuModel: string;
  cores: number;
  os: string;
  arch: string;
  /** total memory in bytes */
  memory: number;
  /** RUNNER_NAME, when running on a runner (informational: hosted runners get a new name every job) */
  runner?: string;
  /** runner image family, `ImageOS` (e.g. `ubuntu24`), when set */
  image?: string;
  /** runner image build, `ImageVersion` (e.g. `20250105.1.0`), informational */
  imageVersion?: string;
}

/** One metric of a stored cell: the summary figures the reports show, and every sample for later comparisons. */
export interface MetricSummary extends Pick<Summary, 'n' | 'median' | 'mean' | 'stddev' | 'min' | 'max'> {
  unit: string;
  direction: Direction;
  samples: number[];
}

export interface BaselineEntry {
  benchmark: string;
  /** the runtime key: its id in the config, without the version (`node`, `wasmer:singlepass`; see cellKey) */
  runtime: string;
  runtimeVersion: string;
  artifactRel: string;
  artifactSha256: string;
  args: string[];
  metrics: Record<string, MetricSummary>;
}

export interface BaselineDoc {
  schema: typeof BASELINE_SCHEMA;
  version: typeof BASELINE_VERSION;
  createdAt: string;
  commit?: string;
  ref?: string;
  runId?: string;
  machine: MachineFingerprint;
  /** the baseline's own .wasm files, by sha256, base64 — so a PR job can re-measure them side by side */
  artifacts: Record<string, { path: string; base64: string }>;
  entries: BaselineEntry[];
  /** one compact point per refresh and cell, carried forward from refresh to refresh (version 2) */
  history?: CellHistory[];
  /**
   * `under-test` runtimes: the build main's refresh measured, by runtime key, so a PR can measure its own build
   * against it. Executed only after its bytes hash to `sha256` (baseline/stored-build.ts; SECURITY.md).
   */
  runtimes?: Record<string, StoredRuntime>;
}

/** A runtime build stored with the baseline (`under-test`). */
export interface StoredRuntime {
  name: string;
  version: string;
  sha256: string;
  size: number;
  base64: string;
}

/** The largest runtime build stored with a baseline (`under-test`): the document is one JSON file in the cache. */
export const STORED_RUNTIME_MAX_BYTES = 128 * 1024 * 1024;

/** Where a baseline came from, for the report. */
export interface BaselineSource {
  kind: 'file' | 'actions-cache';
  /** file path, or the cache key (the matched one after a restore, the prefix on a miss) */
  location: string;
}

/**
 * What a store's load/restore found. Never thrown: a missing baseline is a `note`
 * (normal on a first run), a corrupt/unreadable/unknown-version one a `warning`; both mean "no doc".
 */
export interface BaselineLoad {
  doc?: BaselineDoc;
  warning?: string;
  note?: string;
  source: BaselineSource;
}
