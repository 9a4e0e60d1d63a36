// The typed plan every later stage reads. Produced by config/plan.ts from inputs + config file.

export type Mode = 'compare' | 'baseline';
export type Direction = 'lower' | 'higher';
export type EngineName = 'builtin' | 'hyperfine';
/** `auto`: pinned where it can be, else interleaved (docs/adrs/0012-disturbed-rounds.md). */
export type Schedule = 'auto' | 'interleaved' | 'duet' | 'pinned';
export type CacheMode = 'cold' | 'warm' | 'both';

/** A runtime as the user asked for it: `name[:variant][@version|@path]`, or an entry of the config's runtimes list. */
export interface RuntimeRef {
  /** registry name (`node`, `wasmtime`, …) or `custom` */
  name: string;
  variant?: string;
  /** pinned version; undefined = the registry default; 'path' = use what is on PATH */
  version?: string;
  /** an executable installed by an earlier step */
  path?: string;
  /** extra flags placed before the module path */
  flags: string[];
  /** for `custom`: argv template with {wasm} {args} placeholders */
  command?: string[];
  /** display id, unique in a run: `name[:variant]` (+ `@version` once resolved) */
  id: string;
  /** sha256 of the release download pinned in the config (lower-case hex), by platform (`*`: any) */
  sha256?: Readonly<Record<string, string>>;
  /**
   * The baseline side of a runtime comparison (`baseline-path` / `baseline-version`): the cell's baseline arm
   * runs on this build of the same runtime, the candidate arm on the one above (docs/runtime-changes.md).
   */
  baseline?: RuntimeBaseline;
  /**
   * `under-test: true`: the repository builds this runtime (`path`). Main's trusted refreshes store the build
   * with the baseline; a PR measures its build against that stored one (docs/runtime-changes.md, SECURITY.md).
   */
  underTest?: boolean;
}

/** Another build of one runtime: an executable given by path, or a released version. */
export type RuntimeBaseline = { path: string } | { version: string };

/** A number the program prints itself, pulled from stdout. */
export interface ProgramMetricSpec {
  name: string;
  /** regular expression with a named group `value` */
  pattern?: string;
  /** key of a JSON object printed on one stdout line */
  json?: string;
  unit: string;
  direction: Direction;
  threshold?: number;
}

/** Expected output: a file (absolute path) compared line by line, or a regular expression found in it. */
export type ExpectedOutputSpec = { file: string } | { regex: string } | { text: string; source: string };

export interface BenchmarkSpec {
  /** stable key in the baseline: config name, or the artifact path relative to the workspace without `.wasm` */
  id: string;
  /** absolute path of the candidate .wasm */
  artifact: string;
  /** workspace-relative path, as shown in reports */
  artifactRel: string;
  args: string[];
  env: Record<string, string>;
  stdin?: string;
  /** host directory preopened for the guest (same path inside) */
  dir?: string;
  runtimes: RuntimeRef[];
  /** relative change that counts, e.g. 0.05 for 5% */
  threshold: number;
  /** metric ids gated for this benchmark (`wall` by default) */
  metrics: string[];
  programMetrics: ProgramMetricSpec[];
  /** per-metric threshold overrides */
  thresholds: Record<string, number>;
  /** a threshold in bytes for the benchmark's byte metrics (size, size-gzip, …); `threshold` stays for the rest */
  thresholdBytes?: number;
  /** per-metric thresholds in bytes */
  thresholdsBytes?: Record<string, number>;
  /** set by shardPlan: another shard measures this benchmark's size cell */
  sizeElsewhere?: true;
  /** measure the runtimes' ahead-of-time compiled output (where a runtime has an AOT compiler) */
  aot?: boolean;
  /** `expect-stdout` / `expect-stderr`; absent: `<stem>.stdout.expected` etc. beside the module, if any */
  expectStdout?: ExpectedOutputSpec;
  expectStderr?: ExpectedOutputSpec;
  /**
   * The module imports bench.start/bench.end (sightglass): `region` is measured (and gated unless metrics
   * say otherwise), and unless `dir` is given it runs in its own directory, preopened as `.`
   */
  region?: boolean;
  /** `export:`: the run calls this exported function `iterations` times (in one instance) instead of `_start` */
  kernel?: KernelSpec;
}

/** An exported-function kernel (`export`, `args`, `iterations`, `expect-result` in the config). */
export interface KernelSpec {
  export: string;
  /** the export's parameter and result types (i32, i64, f32, f64), read from the module */
  params: string[];
  results: string[];
  /** calls per run, in one instance, timed together as `region` */
  iterations: number;
}

export interface MeasureOptions {
  engine: EngineName;
  schedule: Schedule;
  warmup: number;
  minRuns: number;
  maxRuns: number;
  minTimeMs: number;
  /** per benchmark × runtime budget for adaptive stopping */
  maxTimeMs: number;
  /** hard per benchmark × runtime limit: ends measuring even before `significanceRuns` (undefined: none) */
  hardMaxTimeMs?: number;
  /** per cell, set by the measure stage: rounds the verdict needs to be able to reach the corrected alpha */
  significanceRuns?: number;
  /** the whole run's measuring budget (`time-budget`), shared over the cells; maxTimeMs stays each cell's cap */
  timeBudgetMs?: number;
  /** per-run timeout */
  timeoutMs: number;
  cache: CacheMode;
  /** counted runs per arm for the `instructions` metric (default 3: valgrind makes them ~50× slower) */
  instructionRuns?: number;
}

export interface BaselineOptions {
  /** keep the baseline in this file instead of the Actions cache */
  path?: string;
  /** Actions cache key prefix; the full key adds a unique suffix per refresh */
  cacheKeyPrefix: string;
  /** .wasm files built from the merge-base in this job (baseline-artifacts input) */
  artifacts?: string[];
  /** the baseline-artifacts patterns as given (set even when they matched nothing) */
  artifactPatterns?: string[];
  /** re-measure the baseline's .wasm side by side (paired A/B); false: stored figures only */
  sideBySide: boolean;
  /** time limit of one Actions cache operation (restore or save) */
  cacheTimeoutMs?: number;
  /** `history: branch:NAME`: also keep main's history as a JSON file on this git branch */
  historyBranch?: string;
}

export type OnChangePoint = 'none' | 'warn' | 'fail' | 'issue';
/** Which cells get a trend in the report: the changed ones (default), every cell with history, or none. */
export type TrendScope = 'changed' | 'all' | 'none';

export interface ReportOptions {
  comment: boolean;
  /** create the `wasm-perf-gate` check run on the PR head commit */
  checkRun: boolean;
  /** what a new change point found by a refresh does (default warn) */
  onChangePoint?: OnChangePoint;
  /** which cells get a trend chart in the report (default changed) */
  trend?: TrendScope;
  failOnRegression: boolean;
  failOnInconclusive: boolean;
  /** `likely-regressed` cells fail the step (default true) */
  failOnLikelyRegression: boolean;
  /** familywise significance level of the verdicts (Holm over all cells × metrics); default 0.05 */
  alpha?: number;
  /** where the JSON report is written */
  jsonPath: string;
  /** time limit of one GitHub API request */
  apiTimeoutMs: number;
}

/**
 * What every mode (compare, baseline, shard, report, bisect) reaches beyond the measurements with: the inputs
 * typed once in config/run-settings.ts, so no later stage reads a raw input.
 */
export interface RunSettings {
  /** `github-token`, undefined when empty: the GitHub API and git only, never a measured process (measure/scrub-env.ts) */
  token?: string;
  /** `baseline-key`: the Actions cache key prefix, the sticky comment's marker, the history file's name */
  baselineKey: string;
  /** `baseline-path` as given (relative to the workspace); undefined when the Actions cache keeps the baseline */
  baselinePath?: string;
  /** `history: branch:NAME` */
  historyBranch?: string;
  /** `git-timeout` and `history-push-attempts`: set (and checked) when there is a history branch */
  historyGit?: { timeoutMs: number; attempts: number };
  /** `run-id`: the workflow run whose partial reports `mode: report` reads; undefined: this one */
  runId?: string;
  /** the inputs a local run takes that differ from their defaults, as `--name value` (the reproduce command) */
  localFlags: readonly { name: string; value: string }[];
}

export interface Plan {
  mode: Mode;
  /** the inputs that reach beyond the measurements (token, keys, history, the reproduce command) */
  settings: RunSettings;
  workspace: string;
  benchmarks: BenchmarkSpec[];
  /** every distinct runtime of the run */
  runtimes: RuntimeRef[];
  measure: MeasureOptions;
  baseline: BaselineOptions;
  report: ReportOptions;
  runtimeMirror?: string;
  /** time limit of one runtime download attempt */
  downloadTimeoutMs?: number;
  /** this job's share of the cells (`shard: k/n`); absent = all of them */
  shard?: { index: number; count: number };
  /** warnings given while planning (artifacts skipped), repeated in the report's warnings */
  warnings?: string[];
}
