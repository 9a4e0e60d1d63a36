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
 * could not be started; output: too much output, or its metrics could not be read; cancelled: the action was.
 */
export type FailureKind = 'exit' | 'trap' | 'load' | 'runtime' | 'timeout' | 'spawn' | 'output' | 'cancelled';

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
