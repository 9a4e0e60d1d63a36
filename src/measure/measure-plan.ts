// Measures every benchmark × runtime cell of the plan, one cell at a time (cells never overlap:
// they would disturb each other). Commands are built before the loop; the engine only spawns and waits.
// Around the timed loop, each cell may have steps of its own, never inside the timed window:
// AOT compiles before it (aot.ts), counted runs for `instructions` after it (instructions.ts).
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InputError } from '../config/input-error.js';
import type { BenchmarkSpec, MeasureOptions, Plan } from '../config/types.js';
import type { Invocation, ResolvedRuntime } from '../runtimes/types.js';
import { aotSideValues, compileArms, compileRuns, wantsAot, type AotArmResult } from './aot.js';
import { cacheInvocation, cacheRuntime, cacheSetting, needsPriming, temperatures, type CacheSetting } from './code-cache.js';
import type { ArmInput, ArmSamples, ProgressEvent, ReadExtra } from './engine.js';
import { countArms, detectInstructionCounter, INSTRUCTION_RUNS, SOURCE_LABEL } from './instructions.js';
import { launcherTimingsReader } from './launcher-timings.js';
import { metricDef, metricSources, type MetricDef } from './metrics.js';
import { programMetricsReader } from './program-metrics.js';
import { runCell } from './run-cell.js';
import { detectGnuTime, gnuTimeOutcome, gnuTimeReader, wrapWithGnuTime } from './rusage.js';
import { scrubEnv } from './scrub-env.js';
import { withSideValues, type SideValues } from './side-values.js';
import type { ArmResult, CellMeasurement, Command, RunFailure } from './types.js';

export interface CellJob {
  bench: BenchmarkSpec;
  /** with `cache: both`, a copy whose id carries ` [cold]` / ` [warm]` (see code-cache.ts) */
  runtime: ResolvedRuntime;
  /** the baseline's artifact to re-measure side by side, when there is one */
  baseArtifact?: string;
  /** the compiled-code cache setting; absent for AOT cells (precompiled code needs no cache) */
  cache?: CacheSetting;
  /** the timed runs run the runtime's ahead-of-time compiled output */
  aot: boolean;
}

export interface MeasureHooks {
  /** adaptive stopping for one cell; undefined = stop at min-runs / min-time */
  stopRule?: (job: CellJob) => ((state: ArmSamples) => boolean) | undefined;
  onCellStart?: (job: CellJob, index: number, total: number) => void;
  onProgress?: (job: CellJob, event: ProgressEvent) => void;
  onCellDone?: (job: CellJob, cell: CellMeasurement) => void;
}

type ArmName = ArmResult['arm'];

/** The cells of a plan, in plan order; `cache: both` makes two cells of a runtime that has a compiled-code cache. */
export function cellJobs(plan: Plan, runtimes: ReadonlyMap<string, ResolvedRuntime>, baseArtifacts: ReadonlyMap<string, string>): CellJob[] {
  return plan.benchmarks.flatMap((bench) => {
    checkEngine(plan.measure, bench);
    return bench.runtimes.flatMap((ref): CellJob[] => {
      const runtime = runtimes.get(ref.id);
      if (!runtime) throw new Error(`runtime ${ref.id} was not resolved`);
      const baseArtifact = baseArtifacts.get(bench.id);
      if (wantsAot(bench, runtime)) return [{ bench, runtime, baseArtifact, aot: true }];
      const requested = plan.measure.cache;
      return temperatures(requested, runtime.codeCache).map((t) => {
        const cache = cacheSetting(requested, t, runtime.codeCache);
        checkCacheEngine(plan.measure, cache, runtime);
        const split = requested === 'both' && t !== 'none';
        return { bench, runtime: split ? cacheRuntime(runtime, t) : runtime, baseArtifact, cache, aot: false };
      });
    });
  });
}

/** Per-run metrics from sources hyperfine cannot give: it discards each run's output and resource usage. */
const PER_RUN_READ: readonly MetricDef['source'][] = ['launcher', 'rusage', 'program'];

function checkEngine(options: MeasureOptions, bench: BenchmarkSpec): void {
  if (options.engine !== 'hyperfine') return;
  const unreadable = bench.metrics.filter((m) => PER_RUN_READ.includes(metricDef(m, bench.programMetrics)?.source ?? 'process'));
  if (unreadable.length === 0) return;
  throw new InputError(
    'engine',
    `hyperfine discards each run's output and resource usage, so ${unreadable.join(', ')} of benchmark ${bench.id} cannot be read`,
    'Use `engine: builtin` (the default) for these metrics, or gate only wall, instructions and AOT metrics with hyperfine.',
  );
}

function checkCacheEngine(options: MeasureOptions, cache: CacheSetting, runtime: ResolvedRuntime): void {
  if (options.engine === 'hyperfine' && cache.how === 'fresh-dir') {
    throw new InputError(
      'engine',
      `cold runs of ${runtime.id} need an empty cache directory before every run, which the hyperfine engine cannot provide`,
      'Use `engine: builtin` with `measure.cache: cold` or `both`, or keep `cache: warm` with hyperfine.',
    );
  }
}

export async function measureJobs(plan: Plan, jobs: readonly CellJob[], tempDir: string, hooks: MeasureHooks = {}): Promise<CellMeasurement[]> {
  const scratch = mkdtempSync(join(tempDir, 'run-'));
  const hostEnv = scrubEnv(process.env);
  const results: CellMeasurement[] = [];
  try {
    for (const [i, job] of jobs.entries()) {
      hooks.onCellStart?.(job, i, jobs.length);
      const cell = await measureJob(plan, job, hostEnv, join(scratch, String(i)), hooks);
      results.push(cell);
      hooks.onCellDone?.(job, cell);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/** One arm ready to measure: what the engine runs, and the bare command for counted runs. */
interface PreparedArm {
  name: ArmName;
  input: ArmInput;
  /** the runtime command without timing wrappers or timings file */
  plain: Command;
}

async function measureJob(plan: Plan, job: CellJob, hostEnv: Record<string, string>, scratch: string, hooks: MeasureHooks): Promise<CellMeasurement> {
  const { bench, runtime } = job;
  const cell = { benchmark: bench.id, runtime: runtime.id, runtimeVersion: runtime.version, ...(job.cache ? { cache: job.cache } : {}) };
  const notes: string[] = [];
  const wasms: { name: ArmName; wasm: string }[] = [{ name: 'candidate', wasm: bench.artifact }];
  if (job.baseArtifact) wasms.push({ name: 'baseline', wasm: job.baseArtifact });

  const compiled = job.aot ? await compile(plan, job, wasms, hostEnv, scratch) : [];
  const compiledArm = (name: ArmName) => compiled.find((c) => c.arm === name);
  const candidateFailure = compiledArm('candidate')?.failure;
  if (candidateFailure) return { ...cell, candidate: failedArm('candidate', candidateFailure), schedule: 'single', elapsedMs: 0, stopReason: 'failure' };
  const baselineFailure = compiledArm('baseline')?.failure;

  const usage = usageOf(bench, runtime, notes);
  const arms = wasms
    .filter((w) => !(w.name === 'baseline' && baselineFailure))
    .map((w) => prepareArm(plan, job, w.name, { wasm: w.wasm, ...compiledArm(w.name)?.run }, hostEnv, scratch, usage));
  const options = job.cache && needsPriming(job.cache) ? { ...plan.measure, warmup: Math.max(1, plan.measure.warmup) } : plan.measure;
  const run = await runCell({
    arms: arms.map((a) => a.input),
    options,
    trapExitCodes: runtime.trapExitCodes,
    shouldStop: hooks.stopRule?.(perRunJob(job)),
    onProgress: hooks.onProgress && ((e) => hooks.onProgress!(job, e)),
  });
  const healthy = arms.filter((a) => !(a.name === 'baseline' ? run.baseline?.failure : run.candidate.failure));
  const counted = await countInstructions(plan, job, healthy, run.candidate, scratch, notes);

  const side = (name: ArmName): SideValues => ({
    ...(compiledArm(name)?.figures ? aotSideValues(compiledArm(name)!.figures!) : {}),
    ...(counted?.[name] ? { instructions: counted[name]! } : {}),
  });
  const baseline = run.baseline ? withSideValues(run.baseline, side('baseline')) : baselineFailure ? failedArm('baseline', baselineFailure) : undefined;
  const aotFigures = compiledArm('candidate')?.figures;
  const baseFigures = compiledArm('baseline')?.figures;
  const allNotes = [...(run.notes ?? []), ...notes];
  return {
    ...cell,
    ...run,
    candidate: withSideValues(run.candidate, side('candidate')),
    ...(baseline ? { baseline } : {}),
    ...(allNotes.length ? { notes: allNotes } : {}),
    ...(aotFigures ? { aot: { ...aotFigures, ...(baseFigures ? { baseline: baseFigures } : {}) } } : {}),
    ...(counted ? { instructions: { source: counted.source, candidate: counted.candidate ?? [], ...(counted.baseline ? { baseline: counted.baseline } : {}) } } : {}),
    ...(usage.source ? { usage: usage.source } : {}),
  };
}

function failedArm(arm: ArmName, failure: RunFailure): ArmResult {
  return { arm, samples: [], warmups: 0, failure };
}

/** The job as the stop rule sees it: only metrics the timed runs produce (side metrics arrive after the loop). */
function perRunJob(job: CellJob): CellJob {
  const metrics = job.bench.metrics.filter((m) => {
    const source = metricDef(m, job.bench.programMetrics)?.source;
    return source !== 'counter' && source !== 'aot';
  });
  return { ...job, bench: { ...job.bench, metrics } };
}

async function compile(plan: Plan, job: CellJob, wasms: { name: ArmName; wasm: string }[], hostEnv: Record<string, string>, scratch: string): Promise<AotArmResult[]> {
  const arms = wasms.map((w) => ({ arm: w.name, wasm: w.wasm, outDir: `${scratch}-aot-${w.name}` }));
  return compileArms(job.runtime, arms, { runs: compileRuns(job.bench, plan.measure.minRuns), env: hostEnv, timeoutMs: plan.measure.timeoutMs });
}

interface Usage {
  source?: 'launcher' | 'gnu-time';
  gnuTime?: string;
}

/** Where peak-rss/user/sys/cpu come from for this cell, when the benchmark gates any of them. */
function usageOf(bench: BenchmarkSpec, runtime: ResolvedRuntime, notes: string[]): Usage {
  const sources = metricSources(bench.metrics, bench.programMetrics);
  if (sources.has('launcher') && !runtime.reportsPhases) {
    notes.push(`compile/instantiate/execute are not available on ${runtime.id}: only the node/bun/deno launcher reports phases`);
  }
  if (!sources.has('rusage')) return {};
  if (runtime.reportsPhases) return { source: 'launcher' };
  const gnu = detectGnuTime();
  if (!gnu.available) {
    notes.push(`peak-rss/user/sys/cpu are not available on ${runtime.id}: ${gnu.reason}`);
    return {};
  }
  notes.push('peak RSS and CPU times read by GNU time around the runtime (wait4 rusage; CPU times at 10 ms resolution)');
  return { source: 'gnu-time', gnuTime: gnu.exe };
}

function prepareArm(
  plan: Plan,
  job: CellJob,
  name: ArmName,
  module: Pick<Invocation, 'wasm' | 'precompiled' | 'codeCache'>,
  hostEnv: Record<string, string>,
  scratch: string,
  usage: Usage,
): PreparedArm {
  const { bench, runtime } = job;
  const stdin = bench.stdin === undefined ? undefined : readFileSync(bench.stdin, 'utf8');
  const cacheDir = `${scratch}-${name}-cache`;
  const cache = job.cache ? cacheInvocation(job.cache, cacheDir) : {};
  if (cache.codeCache !== undefined && cache.codeCache !== 'off') mkdirSync(cacheDir, { recursive: true });
  const inv: Invocation = { args: bench.args, env: bench.env, dir: bench.dir, stdin, cwd: plan.workspace, ...cache, ...module };
  const sources = metricSources(bench.metrics, bench.programMetrics);
  const timingsFile = runtime.reportsPhases && (sources.has('launcher') || sources.has('rusage')) ? `${scratch}-${name}-timings.json` : undefined;
  const withEnv = (cmd: Command): Command => ({ ...cmd, env: { ...hostEnv, ...cmd.env } });
  const plain = withEnv(runtime.command(inv));
  const launched = timingsFile ? withEnv(runtime.command({ ...inv, timingsFile })) : plain;
  const usageFile = `${scratch}-${name}-rusage.txt`;
  const command = usage.gnuTime ? wrapWithGnuTime(launched, usage.gnuTime, usageFile) : launched;
  const readers: ReadExtra[] = [
    ...(timingsFile ? [launcherTimingsReader(timingsFile)] : []),
    ...(usage.gnuTime ? [gnuTimeReader(usageFile)] : []),
    ...(bench.programMetrics.length ? [programMetricsReader(bench.programMetrics)] : []),
  ];
  const input: ArmInput = { arm: name, command };
  const readExtra = combineReaders(readers);
  if (readExtra) input.readExtra = readExtra;
  if (usage.gnuTime) input.reviseOutcome = gnuTimeOutcome(usageFile);
  // Cold: an empty cache directory before every run, outside the timed window.
  if (job.cache?.how === 'fresh-dir') input.beforeRun = () => freshDir(cacheDir);
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

type Counted = { source: NonNullable<CellMeasurement['instructions']>['source'] } & Partial<Record<ArmName, number[]>>;

/** The `instructions` metric: a few counted runs per arm after the timed loop, when the candidate ran cleanly. */
async function countInstructions(plan: Plan, job: CellJob, arms: readonly PreparedArm[], candidate: ArmResult, scratch: string, notes: string[]): Promise<Counted | undefined> {
  if (!job.bench.metrics.includes('instructions') || candidate.failure) return undefined;
  const counter = detectInstructionCounter();
  if (counter.source === 'none') {
    notes.push(`instructions are not available: ${counter.reason}`);
    return undefined;
  }
  // One count per timed round at most: side values ride on the timed samples (side-values.ts).
  const runs = Math.min(plan.measure.instructionRuns ?? INSTRUCTION_RUNS, candidate.samples.length);
  const counted = await countArms(
    counter,
    arms.map((a) => ({ arm: a.name, command: a.plain, ...(a.input.beforeRun ? { beforeRun: a.input.beforeRun } : {}) })),
    { runs, timeoutMs: plan.measure.timeoutMs, scratch },
  );
  notes.push(`instructions counted by ${SOURCE_LABEL[counter.source]} in ${runs} runs per arm outside the timed runs; they include the runtime's start-up and compilation`);
  for (const c of counted) if (c.problem) notes.push(`${c.arm} instructions: ${c.problem}`);
  return Object.assign({ source: counter.source }, ...counted.map((c) => ({ [c.arm]: c.counts })));
}
