// One arm of a cell, made ready before the timed loop: the runtime's command (with the module, the cache
// directory, the launcher's timings file, GNU time around it where needed) and the readers that turn each
// finished run into metric values. Building happens here; the engine only spawns, waits and calls back.
import { mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import type { BenchmarkSpec } from '../model/plan.js';
import type { Invocation, ResolvedRuntime } from '../runtimes/types.js';
import { cacheInvocation } from './code-cache.js';
import { outputCheck, type ExpectedOutput } from './expected-output.js';
import type { ArmInput, ReadExtra } from './engine.js';
import { launcherTimingsReader } from './launcher-timings.js';
import { metricSources } from '../model/metrics.js';
import { programMetricsReader } from './program-metrics.js';
import { regionChannel } from './region-report.js';
import {
  bsdTimeReader,
  detectBsdTime,
  detectGnuTime,
  gnuTimeOutcome,
  gnuTimeReader,
  wrapWithBsdTime,
  wrapWithGnuTime,
} from './rusage.js';
import type { ArmResult, CacheSetting, Command } from '../model/measurement.js';

export type ArmName = ArmResult['arm'];

/** One arm ready to measure: what the engine runs, and the bare command for counted runs. */
export interface PreparedArm {
  name: ArmName;
  input: ArmInput;
  /** the runtime command without timing wrappers or timings file */
  plain: Command;
}

/** Where peak-rss/user/sys/cpu come from in a cell. */
export interface Usage {
  source?: 'launcher' | 'gnu-time' | 'bsd-time';
  /** GNU time's executable, when it wraps the runs */
  gnuTime?: string;
  /** BSD time's executable (macOS), when it wraps the runs */
  bsdTime?: string;
  /** the launcher writes its phases and getrusage to a timings file on every run */
  timings?: boolean;
}

/**
 * Where peak-rss/user/sys/cpu and the phases come from for this cell. The built-in engine records them on
 * every run, gated or not (they cost a file write or one fork, the same in both arms); hyperfine cannot read
 * them, so there only gated ones are asked for (and refused earlier). Unavailable gated metrics get a note.
 */
export function usageOf(bench: BenchmarkSpec, runtime: ResolvedRuntime, notes: string[], engine = 'builtin'): Usage {
  const sources = metricSources(bench.metrics, bench.programMetrics);
  const always = engine === 'builtin';
  // region is read from the rewritten module's report on the other runtimes (region-module.ts), not a phase
  const phases = metricSources(
    bench.metrics.filter((m) => m !== 'region'),
    bench.programMetrics,
  );
  if (phases.has('launcher') && !runtime.reportsPhases) {
    notes.push(
      `compile/instantiate/execute are not available on ${runtime.id} because ${runtime.phasesUnavailable ?? 'only the node/bun/deno launcher reports phases'}`,
    );
  }
  if (!always && !sources.has('rusage') && !sources.has('launcher')) return {};
  if (runtime.reportsPhases) return { source: 'launcher', timings: true };
  if (!always && !sources.has('rusage')) return {};
  const bsd = detectBsdTime();
  if (bsd.available) return { source: 'bsd-time', bsdTime: bsd.exe };
  const gnu = detectGnuTime();
  if (!gnu.available) {
    if (sources.has('rusage')) notes.push(`peak-rss/user/sys/cpu are not available on ${runtime.id}: ${gnu.reason}`);
    return {};
  }
  if (sources.has('rusage'))
    notes.push(
      'peak RSS and CPU times read by GNU time around the runtime (wait4 rusage; CPU times at 10 ms resolution)',
    );
  return { source: 'gnu-time', gnuTime: gnu.exe };
}

export interface ArmSetup {
  bench: BenchmarkSpec;
  runtime: ResolvedRuntime;
  cache?: CacheSetting;
  workspace: string;
  hostEnv: Record<string, string>;
  /** prefix for this arm's files (cache directory, timings, rusage) */
  scratch: string;
  usage: Usage;
  /** the output every run must print, checked on the first run and a sample after (expected-output.ts) */
  expected?: ExpectedOutput;
  /**
   * The arm runs a module rewritten to report its region (region-module.ts): the report line's nonce. A
   * kernel is then a command of its own (its `_start` calls the export), so no `invoke` and no argv.
   */
  regionNonce?: string;
}

/** Why a custom command's run can lack the rewritten module's region report, and what to change. */
const CUSTOM_HINT =
  'a custom command gets the rewritten module as {wasm}: it must run it as a WASI command (the rewrite calls clock_time_get and fd_write) and pass its stderr through';

/** `module`: the .wasm, or what `aot.prepare` says to run instead. */
export function prepareArm(
  setup: ArmSetup,
  name: ArmName,
  module: Pick<Invocation, 'wasm' | 'precompiled' | 'codeCache'>,
): PreparedArm {
  const { bench, runtime, usage } = setup;
  const files = (what: string) => `${setup.scratch}-${name}-${what}`;
  const cacheDir = files('cache');
  const cache = setup.cache ? cacheInvocation(setup.cache, cacheDir) : {};
  if (typeof cache.codeCache === 'object') mkdirSync(cacheDir, { recursive: true });
  // A sightglass-style benchmark reads its inputs by relative path from its own directory (both arms: the
  // inputs are the candidate's), preopened as `.`, unless the config gives a `dir`.
  const own = bench.region && bench.dir === undefined;
  const rewritten = setup.regionNonce !== undefined;
  const inv: Invocation = {
    args: rewritten && bench.kernel ? [] : bench.args,
    env: bench.env,
    dir: own ? '.' : bench.dir,
    ...(bench.stdin === undefined ? {} : { stdinFile: bench.stdin }),
    cwd: own ? dirname(bench.artifact) : setup.workspace,
    ...(bench.kernel && !rewritten
      ? { invoke: { name: bench.kernel.export, params: bench.kernel.params, iterations: bench.kernel.iterations } }
      : {}),
    ...cache,
    ...module,
  };

  const timingsFile = usage.timings ? files('timings.json') : undefined;
  const withEnv = (cmd: Command): Command => ({ ...cmd, env: { ...setup.hostEnv, ...cmd.env } });
  const plain = withEnv(runtime.command(inv));
  const launched = timingsFile ? withEnv(runtime.command({ ...inv, timingsFile })) : plain;
  const usageFile = files('rusage.txt');
  const input: ArmInput = {
    arm: name,
    command: usage.gnuTime
      ? wrapWithGnuTime(launched, usage.gnuTime, usageFile)
      : usage.bsdTime
        ? wrapWithBsdTime(launched, usage.bsdTime)
        : launched,
  };

  const custom = runtime.installedFrom === 'custom';
  const channel = rewritten
    ? regionChannel(setup.regionNonce!, bench.kernel, custom ? CUSTOM_HINT : undefined)
    : undefined;
  const readExtra = combineReaders([
    ...(channel ? [channel.readExtra] : []),
    ...(timingsFile ? [launcherTimingsReader(timingsFile)] : []),
    ...(usage.gnuTime ? [gnuTimeReader(usageFile)] : []),
    ...(usage.bsdTime ? [bsdTimeReader()] : []),
    ...(bench.programMetrics.length ? [programMetricsReader(bench.programMetrics)] : []),
  ]);
  if (readExtra) input.readExtra = readExtra;
  const revisers = [
    ...(usage.gnuTime ? [gnuTimeOutcome(usageFile)] : []),
    // after GNU time's: BSD time's figures may follow the report on stderr, so it is searched for, not cut off the end
    ...(channel ? [channel.reviseOutcome] : []),
  ];
  if (revisers.length) input.reviseOutcome = (o) => revisers.reduce((acc, revise) => revise(acc), o);
  const check = setup.expected && outputCheck(setup.expected);
  if (check) input.checkOutput = check;
  // Cold: an empty cache directory before every run, outside the timed window.
  if (setup.cache?.how === 'fresh-dir') input.beforeRun = () => freshDir(cacheDir);
  return { name, input, plain };
}

function freshDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Every reader runs (each cleans up its own file), then the first error is raised. */
function combineReaders(readers: readonly ReadExtra[]): ReadExtra | undefined {
  if (readers.length === 0) return undefined;
  return async (outcome) => {
    const values: Record<string, number> = {};
    const errors: unknown[] = [];
    for (const read of readers) {
      try {
        Object.assign(values, await read(outcome));
      } catch (e) {
        errors.push(e);
      }
    }
    if (errors.length > 0) throw errors[0];
    return values;
  };
}
