// What a measurement produces. Metric values are keyed by metric id (see model/metrics.ts).
import type { CacheMode } from './plan.js';

/** An executable invocation: argv array (never a shell string), scrubbed env, cwd. */
export interface Command {
  argv: string[];
  env: Record<string, string>;
  cwd?: string;
  /** a regular file fed as standard input (opened anew for every run) */
  stdinFile?: string;
}

export interface Sample {
  /** metric id → value in the metric's unit; always has `wall` (ms) */
  values: Record<string, number>;
  exitCode: number;
  /** signal that ended the process, if any */
  signal?: string;
  /** index of the round (pairs A/B runs of the same round) */
  round: number;
  /** what the kernel says about how the run went: preemptions, the core it ended on (see disturbance.ts) */
  context?: { involuntaryContextSwitches?: number; core?: number };
}

/**
 * exit: the program exited non-zero; trap: the guest trapped; load: the module could not be compiled,
 * instantiated or started; runtime: the runtime itself failed (not the guest); timeout; spawn: the runtime
 * could not be started; output: too much output, or its metrics could not be read; wrong-output: it printed
 * something other than its expected output (expected-output.ts); cancelled: the action was.
 */
export type FailureKind =
  'exit' | 'trap' | 'load' | 'runtime' | 'timeout' | 'spawn' | 'output' | 'wrong-output' | 'cancelled';

/** A stderr line that tells what kind of failure a run was (per runtime, in its descriptor). */
export interface StderrPattern {
  kind: 'trap' | 'load' | 'runtime';
  pattern: RegExp;
}

export interface RunFailure {
  kind: FailureKind;
  exitCode?: number;
  signal?: string;
  message: string;
  stdoutHead: string;
  /** the end of a long stdout */
  stdoutTail?: string;
  stderrTail: string;
}

/** One side of a comparison measured on this runner (the candidate, or the baseline's own artifact). */
export interface ArmResult {
  arm: 'candidate' | 'baseline';
  samples: Sample[];
  warmups: number;
  failure?: RunFailure;
  /** runs of rounds left out as disturbed (either arm clearly disturbed), kept for the record only */
  excluded?: Sample[];
}

/** Everything measured for one benchmark × runtime. */
export interface CellMeasurement {
  benchmark: string;
  /** display id with the resolved version (`node@20.20.2`) */
  runtime: string;
  /** `os-arch`, set by a report job that merged shards of several platforms */
  platform?: string;
  runtimeVersion: string;
  /** the cell's runtime key: the runtime's id in the config (`node`, `wasmtime:winch [cold]`, `node@22.0.0` beside `node@20.0.0`) */
  runtimeKey?: string;
  candidate: ArmResult;
  /** present when the baseline artifact was re-measured side by side */
  baseline?: ArmResult;
  /**
   * A runtime change (`baseline-path` / `baseline-version`): the baseline arm ran on another build of the
   * runtime; each side's build as measured (docs/runtime-changes.md)
   */
  builds?: { candidate: RuntimeBuild; baseline: RuntimeBuild };
  /** an `under-test` runtime with no usable stored build of main's: why this cell has no baseline */
  noBaseline?: string;
  /**
   * A noticed upgrade whose PR changed this benchmark's .wasm too: the effect this cell measures apart
   * (measure/split-effects.ts); absent on every other cell
   */
  effect?: CellEffect;
  /** whether the runs were interleaved / run as a duet / pinned to one core / one arm after the other (hyperfine) */
  schedule: 'single' | 'interleaved' | 'duet' | 'pinned' | 'sequential';
  elapsedMs: number;
  /** why measuring stopped: minRuns/minTime met with no adaptive rule, the adaptive rule said so, a cap, or a failed candidate */
  stopReason?: 'minimum' | 'converged' | 'max-runs' | 'max-time' | 'hard-max-time' | 'failure';
  /** things the reader should know about how this cell was measured (e.g. duet fell back to interleaved) */
  notes?: string[];
  /** how the compiled-code cache was set (measure.cache); with `both` the runtime id ends in ` [cold]` / ` [warm]` before `@version` */
  cache?: CacheSetting;
  /** the timed runs ran the runtime's ahead-of-time compiled output; compile figures per arm */
  aot?: AotFigures & { baseline?: AotFigures };
  /** the `instructions` metric: counts per arm from runs outside the timed loop, and what counted them */
  instructions?: { source: InstructionSource; candidate: number[]; baseline?: number[] };
  /** rounds in which an arm was clearly disturbed: left out and played again, or kept once the bound was reached */
  disturbance?: { excluded: number; kept: number };
  /** under a `time-budget`: the cell ran out of its first-pass share undecided and was given more time */
  budget?: { firstPassMs: number; resumed: true };
  /** the metric ids the benchmark gates (`metrics`); samples also carry the cheap figures recorded on every run */
  gated?: string[];
  /** where peak-rss/user/sys came from: the WASI launcher's getrusage, or GNU time's wait4 around the runtime */
  usage?: 'launcher' | 'gnu-time' | 'bsd-time';
  /** the size cell (runtime `static`): sections and what grew, main against the PR (see size.ts) */
  size?: SizeReport;
}

/** One function or data segment whose size differs between the two builds (absent side: new or removed). */
export interface SizeChange {
  kind: 'function' | 'data';
  /** from the name section, else `function[INDEX]` / `data[INDEX]` */
  name: string;
  baseline?: number;
  candidate?: number;
}

/** The report side of a size cell: bytes per section, and the largest changes per function and data segment. */
export interface SizeReport {
  sections: { name: string; baseline?: number; candidate?: number }[];
  /** largest growths first (new items included), at most SIZE_LIST_MAX */
  grew: SizeChange[];
  /** largest shrinkages first (removed items included), at most SIZE_LIST_MAX */
  shrank: SizeChange[];
  /** how many items grew (or are new), shrank (or are gone), over the whole module */
  counts: { grew: number; shrank: number; added: number; removed: number };
  /** `names`: both builds have a name section; `stripped`: one lacks it, so items are matched by index */
  names: 'names' | 'stripped';
  /** there was no baseline build to diff against (stored figures only, or none) */
  noBaseline?: true;
}

/**
 * `program`: this PR's .wasm against main's, both on the PR's runtime version; `runtime`: main's .wasm on the PR's
 * version against main's .wasm on main's version (docs/adrs/0019-program-and-runtime-effects.md).
 */
export type CellEffect = 'program' | 'runtime';

/** One side's runtime build in a runtime comparison: what the report names, and the digest that identifies it. */
export interface RuntimeBuild {
  /** how the report names the side: `this PR's build`, `main's build`, `wasmi 0.32.3` */
  label: string;
  /** the version the build reports itself */
  version: string;
  /** sha256 of the executable */
  sha256: string;
  /** how it was given: a path (a build made in the job) or a released version */
  from: 'path' | 'version' | 'default';
  /**
   * The baseline side was not asked for: the stored baseline was measured on this version and the PR resolves
   * another (an edited `@version`, a new pinned default), so main's version was installed (docs/runtime-changes.md).
   */
  noticed?: boolean;
}

/** One arm's ahead-of-time compile: wall time of each compile run, and the size of what it wrote. */
export interface AotFigures {
  compileMs: number[];
  sizeBytes: number;
}

export type CacheTemperature = 'cold' | 'warm';

/** How a cell's runs were set up with respect to the compiled-code cache (CellMeasurement.cache). */
export interface CacheSetting {
  /** the `measure.cache` option of the run */
  requested: CacheMode;
  /** what the runs were: 'none' = the runtime keeps no compiled code between runs */
  mode: CacheTemperature | 'none';
  /** fresh-dir: a new empty directory per run; off: cache disabled; primed-dir: one directory primed by a warm-up; default: the runtime's own cache */
  how: 'fresh-dir' | 'off' | 'primed-dir' | 'default' | 'none';
}

/** What counted the `instructions` metric. */
export type InstructionSource = 'perf' | 'cachegrind';
