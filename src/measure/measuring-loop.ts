// Measures every benchmark × runtime cell of the plan, one cell at a time (cells never overlap:
// they would disturb each other). Commands are built before the loop; the engine only spawns and waits.
// Around the timed loop, each cell may have steps of its own, never inside the timed window:
// AOT compiles before it (aot.ts), counted runs for `instructions` after it (instructions.ts).
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../model/input-error.js';
import type { BenchmarkSpec, MeasureOptions, Plan } from '../model/plan.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import { firstPassAllowance, notMeasuredWarning, RUN_FLOOR_MS, secondPassTotals, shortfallWarning } from './budget.js';
import { aotSideValues, compileArms, compileRuns, wantsAot, type AotArmResult } from './aot.js';
import { cancelledBy } from '../process/cancellation.js';
import { escapeesKilled, sweepEscapees } from '../process/escapees.js';
import { cacheRuntime, cacheSetting, needsPriming, temperatures } from './code-cache.js';
import type { ArmSamples, CellRun, ProgressEvent } from './engine.js';
import { armsCompiledUnderValgrind, needsCountedOutput } from './counted-aot.js';
import {
  CACHEGRIND_SLOWDOWN,
  countArms,
  detectInstructionCounter,
  INSTRUCTION_RUNS,
  SOURCE_LABEL,
} from './instructions.js';
import { cellMetrics, metricDef, STATIC_RUNTIME, type MetricDef } from '../model/metrics.js';
import { measureSizeCell, measureSizeCells, STATIC } from './size-cell.js';
import type { SizeMemo } from './size.js';
import { componentFailure, loadFailureBeforeRun } from './classify-outcome.js';
import { componentImportsBench, componentProblem, isComponent, startExportProblem } from '../wasm/start-export.js';
import { expectedOutput, type ExpectedOutput } from './expected-output.js';
import { prepareArm, usageOf, type ArmName, type ArmSetup, type PreparedArm, type Usage } from './prepare-arm.js';
import { needsRegionRewrite, regionModules } from './region-module.js';
import { runCell } from './run-cell.js';
import { scrubEnv } from './scrub-env.js';
import { withSideValues, type SideValues } from './side-values.js';
import type { ArmResult, CacheSetting, CellMeasurement, RunFailure } from '../model/measurement.js';

export interface CellJob {
  bench: BenchmarkSpec;
  /** with `cache: both`, a copy whose id carries ` [cold]` / ` [warm]` (see code-cache.ts) */
  runtime: ResolvedRuntime;
  /** the baseline's artifact to re-measure side by side, when there is one */
  baseArtifact?: string;
  /**
   * A runtime change: the baseline arm runs on this build (the candidate's artifact when there is no
   * baseArtifact), the candidate arm on `runtime`. `builds` names both sides in the report.
   */
  baseRuntime?: ResolvedRuntime;
  builds?: NonNullable<CellMeasurement['builds']>;
  /** an `under-test` runtime without a usable stored build: the cell is measured alone, and says why */
  noBaseline?: string;
  /** a noticed upgrade with a changed .wasm: the effect this cell measures apart (split-effects.ts) */
  effect?: CellMeasurement['effect'];
  /** the compiled-code cache setting; absent for AOT cells (precompiled code needs no cache) */
  cache?: CacheSetting;
  /** the timed runs run the runtime's ahead-of-time compiled output */
  aot: boolean;
  /** the benchmark's size cell: read from the files, nothing runs (size-cell.ts) */
  size?: true;
}

export interface MeasureHooks {
  /** adaptive stopping for one cell; undefined = stop at min-runs / min-time */
  stopRule?: (job: CellJob) => ((state: ArmSamples) => boolean) | undefined;
  /** rounds the cell's verdict needs to be able to reach significance (compare/rounds-needed.ts) */
  roundsNeeded?: (job: CellJob) => number;
  onCellStart?: (job: CellJob, index: number, total: number) => void;
  onProgress?: (job: CellJob, event: ProgressEvent) => void;
  onCellDone?: (job: CellJob, cell: CellMeasurement) => void;
  /** a warning for the run (e.g. cells the time budget left out, named) */
  warn?: (message: string) => void;
}

/** The cells of a plan, in plan order; `cache: both` makes two cells of a runtime that has a compiled-code cache. */
export function cellJobs(
  plan: Plan,
  runtimes: ReadonlyMap<string, ResolvedRuntime>,
  baseArtifacts: ReadonlyMap<string, string>,
  baseRuntimes: ReadonlyMap<string, BaseRuntime> = new Map(),
): CellJob[] {
  return plan.benchmarks.flatMap((whole) => {
    const sizeMetrics = cellMetrics(whole.metrics, STATIC_RUNTIME);
    const sizeJob: CellJob[] =
      sizeMetrics.length && !whole.sizeElsewhere
        ? [
            {
              bench: { ...whole, metrics: sizeMetrics },
              runtime: STATIC,
              baseArtifact: baseArtifacts.get(whole.id),
              aot: false,
              size: true,
            },
          ]
        : [];
    const bench = { ...whole, metrics: whole.metrics.filter((m) => !sizeMetrics.includes(m)) };
    if (bench.metrics.length === 0) return sizeJob;
    checkEngine(plan.measure, bench);
    return [
      ...sizeJob,
      ...bench.runtimes.flatMap((ref): CellJob[] => {
        const runtime = runtimes.get(ref.id);
        if (!runtime) throw new Error(`runtime ${ref.id} was not resolved`);
        const other = baseRuntimes.get(ref.id);
        const baseArtifact = other?.noBaseline ? undefined : baseArtifacts.get(bench.id);
        const side = other?.noBaseline
          ? { noBaseline: other.noBaseline }
          : other
            ? { baseRuntime: other.runtime!, builds: other.builds! }
            : {};
        if (wantsAot(bench, runtime)) return [{ bench, runtime, baseArtifact, ...side, aot: true }];
        const requested = plan.measure.cache;
        return temperatures(requested, runtime.codeCache).map((t) => {
          const cache = cacheSetting(requested, t, runtime.codeCache);
          checkCacheEngine(plan.measure, cache, runtime);
          const split = requested === 'both' && t !== 'none';
          const base = other?.runtime && split ? { ...side, baseRuntime: cacheRuntime(other.runtime, t) } : side;
          return {
            bench,
            runtime: split ? cacheRuntime(runtime, t) : runtime,
            baseArtifact,
            ...base,
            cache,
            aot: false,
          };
        });
      }),
    ];
  });
}

/** The other build of a runtime (runtime change), by the runtime's id in the config. */
export interface BaseRuntime {
  runtime?: ResolvedRuntime;
  builds?: NonNullable<CellMeasurement['builds']>;
  /** no other build to measure against (an `under-test` runtime main has not stored, or whose build was refused) */
  noBaseline?: string;
}

/** Whether a cell measures a baseline arm beside the candidate (main's artifact, or another runtime build). */
export function hasBaselineArm(job: Pick<CellJob, 'baseArtifact' | 'baseRuntime'>): boolean {
  return job.baseArtifact !== undefined || job.baseRuntime !== undefined;
}

/** What the progress line adds after a cell's name: what its baseline arm is. */
export function sideBySideLabel(job: Pick<CellJob, 'baseArtifact' | 'baseRuntime' | 'builds'>): string {
  if (job.builds) return ` (${job.builds.candidate.label} vs ${job.builds.baseline.label})`;
  return job.baseArtifact ? ' (side by side with the baseline)' : '';
}

/** Per-run metrics from sources hyperfine cannot give: it discards each run's output and resource usage. */
const PER_RUN_READ: readonly MetricDef['source'][] = ['launcher', 'rusage', 'program'];

function checkEngine(options: MeasureOptions, bench: BenchmarkSpec): void {
  if (options.engine !== 'hyperfine') return;
  const unreadable = bench.metrics.filter((m) =>
    PER_RUN_READ.includes(metricDef(m, bench.programMetrics)?.source ?? 'process'),
  );
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

export async function measureJobs(
  plan: Plan,
  jobs: readonly CellJob[],
  tempDir: string,
  hooks: MeasureHooks = {},
): Promise<CellMeasurement[]> {
  // Expected outputs are read (and a bad file refused, by benchmark) before the first cell starts.
  const expected = new Map<string, ExpectedOutput>();
  for (const job of jobs)
    if (!job.size && !expected.has(job.bench.id))
      expected.set(job.bench.id, await expectedOutput(job.bench, plan.workspace));
  const scratch = mkdtempSync(join(tempDir, 'run-'));
  const hostEnv = scrubEnv(process.env);
  const results: CellMeasurement[] = [];
  const budget = plan.measure.timeBudgetMs === undefined ? undefined : budgetGate(plan, jobs, hooks);
  const sizeMemo: SizeMemo = new Map();
  const sized = measureSizeCells(
    [...jobs.entries()].filter(([, j]) => j.size).map(([index, j]) => ({ index, ...j })),
    sizeMemo,
    Math.max(1, availableParallelism()),
  );
  try {
    for (const [i, job] of jobs.entries()) {
      if (cancelledBy() !== undefined || budget?.full(i)) break;
      hooks.onCellStart?.(job, i, jobs.length);
      const maxTimeMs = budget?.allowance(i) ?? plan.measure.maxTimeMs;
      const cellPlan = { ...plan, measure: { ...plan.measure, maxTimeMs } };
      const before = { killed: escapeesKilled(), at: Date.now() };
      const measured = job.size
        ? await (sized.get(i) ?? measureSizeCell(job.bench, job.baseArtifact, sizeMemo))
        : await measureJob(cellPlan, job, { hostEnv, expected }, join(scratch, String(i)), hooks);
      const cell = withEscapeeNote(measured, before.killed);
      budget?.took(i, Date.now() - before.at, cell);
      results.push(cell);
      hooks.onCellDone?.(job, cell);
    }
    if (budget) await secondPass(plan, jobs, results, budget.left(), { hostEnv, expected, scratch, hooks });
  } finally {
    sweepEscapees();
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/**
 * The whole run's `time-budget`, set-up included: each cell's first-pass share; the warning, before the cells
 * that would not fit start, that not all fit; and the stop, naming the cells left out, once less is left than
 * the cheapest cell so far cost.
 */
function budgetGate(plan: Plan, jobs: readonly CellJob[], hooks: MeasureHooks) {
  const budgetMs = plan.measure.timeBudgetMs!;
  const started = Date.now();
  const left = () => budgetMs - (Date.now() - started);
  const { minRuns } = plan.measure;
  const warnShort = (cellMs: number, basis: string, floor: boolean) => {
    const m = shortfallWarning({ cells: jobs.length, cellMs, budgetMs, minRuns, floor }, basis);
    if (m !== undefined) hooks.warn?.(m);
    return m !== undefined;
  };
  let warned = warnShort(minRuns * RUN_FLOOR_MS, `at least ${RUN_FLOOR_MS} ms a run`, true);
  let cheapestMs = 0;
  return {
    left,
    allowance: (i: number) => firstPassAllowance(left(), jobs.length - i, plan.measure.maxTimeMs),
    full(i: number): boolean {
      if (i === 0 || left() >= cheapestMs) return false;
      hooks.warn?.(notMeasuredWarning(jobs.slice(i).map(cellName), jobs.length, budgetMs));
      return true;
    },
    took(i: number, ms: number, cell: CellMeasurement): void {
      const cost = minimumCost(ms, cell, minRuns);
      cheapestMs = i === 0 ? cost : Math.min(cheapestMs, cost);
      if (i === 0 && !warned)
        warned = warnShort(cost, `the first cell took ${cost} ms at min-runs, set-up included`, false);
    },
  };
}

const cellName = (j: CellJob) => `${j.bench.id} on ${j.runtime.id}`;

/** What a cell measured in `tookMs` would cost at min-runs (it may have run on to its share of the budget). */
function minimumCost(tookMs: number, cell: CellMeasurement, minRuns: number): number {
  const runs = cell.candidate.samples.length;
  return Math.round(runs > minRuns ? (tookMs * minRuns) / runs : tookMs);
}

/** A cell whose runs left processes behind (outside their process group) says so: they were killed. */
function withEscapeeNote(cell: CellMeasurement, before: number): CellMeasurement {
  const n = escapeesKilled() - before;
  if (n === 0) return cell;
  const note = `${n === 1 ? '1 process' : `${n} processes`} outlived the run that started them (having left its process group or session) and ${n === 1 ? 'was' : 'were'} killed: the program or runtime starts something in the background it does not wait for`;
  return { ...cell, notes: [...(cell.notes ?? []), note] };
}

/** Cells that ran out of their share undecided get what the budget has left (see budget.ts). */
async function secondPass(
  plan: Plan,
  jobs: readonly CellJob[],
  results: CellMeasurement[],
  leftMs: number,
  ctx: RunContext & { scratch: string; hooks: MeasureHooks },
): Promise<void> {
  const undecided = results
    .map((cell, i) => ({ cell, i }))
    .filter(({ cell, i }) => cell.stopReason === 'max-time' && !jobs[i]!.aot && plan.measure.engine === 'builtin');
  const totals = secondPassTotals(
    leftMs,
    undecided.map(({ cell }) => ({ spentMs: cell.elapsedMs })),
    plan.measure.maxTimeMs,
  );
  for (const [k, { cell, i }] of undecided.entries()) {
    // Less than a second more is not worth a warm-up round.
    if (totals[k]! - cell.elapsedMs < 1000) continue;
    const job = jobs[i]!;
    ctx.hooks.onCellStart?.(job, i, jobs.length);
    const cellPlan = { ...plan, measure: { ...plan.measure, maxTimeMs: totals[k]! } };
    const before = escapeesKilled();
    const more = await measureJob(cellPlan, job, ctx, join(ctx.scratch, `${i}-more`), ctx.hooks, cell);
    const resumed = withEscapeeNote(more, before);
    results[i] = { ...resumed, budget: { firstPassMs: cell.elapsedMs, resumed: true } };
    ctx.hooks.onCellDone?.(job, results[i]!);
  }
}

/** What every cell of a run shares: the scrubbed host environment, each benchmark's expected output. */
interface RunContext {
  hostEnv: Record<string, string>;
  expected: ReadonlyMap<string, ExpectedOutput>;
}

async function measureJob(
  plan: Plan,
  job: CellJob,
  { hostEnv, expected }: RunContext,
  scratch: string,
  hooks: MeasureHooks,
  resume?: CellMeasurement,
): Promise<CellMeasurement> {
  const { bench, runtime } = job;
  const cell: CellHead = {
    benchmark: bench.id,
    runtime: runtime.id,
    runtimeVersion: runtime.version,
    runtimeKey: runtime.ref.id,
    ...(job.builds ? { builds: job.builds } : {}),
    ...(job.noBaseline ? { noBaseline: job.noBaseline } : {}),
    ...(job.effect ? { effect: job.effect } : {}),
    ...(job.cache ? { cache: job.cache } : {}),
    gated: bench.metrics,
  };
  let wasms: { name: ArmName; wasm: string }[] = [{ name: 'candidate', wasm: bench.artifact }];
  if (hasBaselineArm(job)) wasms.push({ name: 'baseline', wasm: job.baseArtifact ?? bench.artifact });

  const notCommand = await startFailure(job);
  if (notCommand) return failedBeforeRuns(cell, notCommand);
  // Region and kernels on a runtime without the JS launcher: both arms run a rewritten copy (region-module.ts).
  let regionNonce: string | undefined;
  if (needsRegionRewrite(bench, runtime)) {
    const rewritten = await regionModules(
      bench,
      wasms.map((w) => w.wasm),
      scratch,
      plan.workspace,
    );
    if ('problem' in rewritten) return failedBeforeRuns(cell, loadFailureBeforeRun(rewritten.problem));
    regionNonce = rewritten.nonce;
    wasms = wasms.map((w) => ({ ...w, wasm: rewritten.wasms.get(w.wasm)! }));
  }

  // A resumed cell is never an AOT one (see secondPass): nothing to compile again.
  const compiled = job.aot ? await compile(plan, job, wasms, hostEnv, scratch) : [];
  const compiledArm = (name: ArmName) => compiled.find((c) => c.arm === name);
  const candidateFailure = compiledArm('candidate')?.failure;
  if (candidateFailure) return failedBeforeRuns(cell, candidateFailure);

  const notes: string[] = [];
  const usage = usageOf(bench, runtime, notes, plan.measure.engine);
  const setup: ArmSetup = {
    bench,
    runtime,
    ...(job.cache ? { cache: job.cache } : {}),
    workspace: plan.workspace,
    hostEnv,
    scratch,
    usage,
    ...(expected.get(bench.id) ? { expected: expected.get(bench.id)! } : {}),
    ...(regionNonce ? { regionNonce } : {}),
  };
  const arms = wasms
    .filter((w) => !(w.name === 'baseline' && compiledArm('baseline')?.failure))
    .map((w) => prepareArm(armSetup(setup, job, w.name), w.name, { wasm: w.wasm, ...compiledArm(w.name)?.run }));
  const significanceRuns = hooks.roundsNeeded?.(job);
  const options = {
    ...plan.measure,
    ...(job.cache && needsPriming(job.cache) ? { warmup: Math.max(1, plan.measure.warmup) } : {}),
    ...(significanceRuns !== undefined ? { significanceRuns } : {}),
  };
  const run = await runCell({
    arms: arms.map((a) => a.input),
    options,
    trapExitCodes: runtime.trapExitCodes,
    ...(runtime.stderrPatterns ? { stderrPatterns: runtime.stderrPatterns } : {}),
    shouldStop: hooks.stopRule?.(perRunJob(job)),
    onProgress: hooks.onProgress && ((e) => hooks.onProgress!(job, e)),
    ...(resume ? { resume } : {}),
  });
  // The first pass counted instructions already; they ride on the kept samples.
  if (resume) return { ...resume, ...run, ...(resume.notes ? { notes: resume.notes } : {}) };
  const healthy = arms.filter((a) => !(a.name === 'baseline' ? run.baseline?.failure : run.candidate.failure));
  const recompile = (valgrind: string) =>
    armsCompiledUnderValgrind(
      setup,
      // a runtime change's baseline arm would be recompiled by the candidate's build: counted on the candidate only
      wasms.filter((w) => healthy.some((a) => a.name === w.name) && !(job.baseRuntime && w.name === 'baseline')),
      { valgrind, env: hostEnv, timeoutMs: plan.measure.timeoutMs * CACHEGRIND_SLOWDOWN, notes },
    );
  const counted = await countInstructions(plan, job, { arms: healthy, recompile }, run.candidate, scratch, notes);
  return assembleCell(cell, run, { compiled, counted, usage, notes });
}

type CellHead = Pick<
  CellMeasurement,
  'benchmark' | 'runtime' | 'runtimeVersion' | 'runtimeKey' | 'builds' | 'noBaseline' | 'effect' | 'cache' | 'gated'
>;

/** The baseline arm of a runtime change runs on the other build; everything else about the arm is the same. */
function armSetup(setup: ArmSetup, job: CellJob, name: ArmName): ArmSetup {
  return name === 'baseline' && job.baseRuntime ? { ...setup, runtime: job.baseRuntime } : setup;
}

interface CellExtras {
  compiled: AotArmResult[];
  counted?: Counted;
  usage: Usage;
  notes: string[];
}

/** The timed run plus what was measured around it: side values ride on the samples, figures on the cell. */
function assembleCell(cell: CellHead, run: CellRun, extras: CellExtras): CellMeasurement {
  const { compiled, counted, usage } = extras;
  const compiledArm = (name: ArmName) => compiled.find((c) => c.arm === name);
  const side = (name: ArmName): SideValues => ({
    ...(compiledArm(name)?.figures ? aotSideValues(compiledArm(name)!.figures!) : {}),
    ...(counted?.[name] ? { instructions: counted[name]! } : {}),
  });
  const baselineFailure = compiledArm('baseline')?.failure;
  const baseline = run.baseline
    ? withSideValues(run.baseline, side('baseline'))
    : baselineFailure
      ? failedArm('baseline', baselineFailure)
      : undefined;
  const aot = compiledArm('candidate')?.figures;
  const baseAot = compiledArm('baseline')?.figures;
  const notes = [...(run.notes ?? []), ...extras.notes];
  return {
    ...cell,
    ...run,
    candidate: withSideValues(run.candidate, side('candidate')),
    ...(baseline ? { baseline } : {}),
    ...(notes.length ? { notes } : {}),
    ...(aot ? { aot: { ...aot, ...(baseAot ? { baseline: baseAot } : {}) } } : {}),
    ...(counted
      ? {
          instructions: {
            source: counted.source,
            candidate: counted.candidate ?? [],
            ...(counted.baseline ? { baseline: counted.baseline } : {}),
          },
        }
      : {}),
    ...(usage.source ? { usage: usage.source } : {}),
  };
}

/** A candidate without `_start` fails as a load failure before any run: some runtimes exit 0 on it having run nothing. */
async function startFailure(job: CellJob): Promise<RunFailure | undefined> {
  // A custom command runs a module its own way: a region (or kernel) module reaches it rewritten, as on the
  // native runtimes, and a command that does not run it as a WASI command fails with no region report.
  if (job.runtime.installedFrom === 'custom') return undefined;
  if (await isComponent(job.bench.artifact)) {
    const problem = componentProblem(job.runtime.ref.name, await componentNeedsBench(job.bench.artifact));
    return problem === undefined ? undefined : componentFailure(problem);
  }
  if (job.bench.kernel) return undefined; // a kernel is called by its export: it needs no _start
  const reason = await startExportProblem(job.bench.artifact);
  if (!reason) return undefined;
  return loadFailureBeforeRun(reason);
}

/** Whether a component imports sightglass's `bench` instance (read whole: artifacts are bounded at 256 MiB on the way in). */
async function componentNeedsBench(file: string): Promise<boolean> {
  const bytes = await readFile(file).catch(() => undefined);
  return bytes !== undefined && componentImportsBench(bytes);
}

/** A cell whose candidate failed before its first timed run (not a command, or its AOT compile failed). */
function failedBeforeRuns(cell: CellHead, failure: RunFailure): CellMeasurement {
  return {
    ...cell,
    candidate: failedArm('candidate', failure),
    schedule: 'single',
    elapsedMs: 0,
    stopReason: 'failure',
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

async function compile(
  plan: Plan,
  job: CellJob,
  wasms: { name: ArmName; wasm: string }[],
  hostEnv: Record<string, string>,
  scratch: string,
): Promise<AotArmResult[]> {
  const arms = wasms.map((w) => ({
    arm: w.name,
    wasm: w.wasm,
    outDir: `${scratch}-aot-${w.name}`,
    ...(w.name === 'baseline' && job.baseRuntime ? { runtime: job.baseRuntime } : {}),
  }));
  return compileArms(job.runtime, arms, {
    runs: compileRuns(job.bench, plan.measure.minRuns),
    env: hostEnv,
    timeoutMs: plan.measure.timeoutMs,
  });
}

type Counted = { source: NonNullable<CellMeasurement['instructions']>['source'] } & Partial<Record<ArmName, number[]>>;

/** The `instructions` metric: a few counted runs per arm after the timed loop, when the candidate ran cleanly. */
async function countInstructions(
  plan: Plan,
  job: CellJob,
  toCount: { arms: readonly PreparedArm[]; recompile: (valgrind: string) => Promise<PreparedArm[]> },
  candidate: ArmResult,
  scratch: string,
  notes: string[],
): Promise<Counted | undefined> {
  if (!job.bench.metrics.includes('instructions') || candidate.failure) return undefined;
  const counter = await detectInstructionCounter();
  if (counter.source === 'none') {
    notes.push(`instructions are not available: ${counter.reason}`);
    return undefined;
  }
  const arms =
    job.aot && needsCountedOutput(job.runtime, counter.source) ? await toCount.recompile(counter.exe) : toCount.arms;
  // One count per timed round at most: side values ride on the timed samples (side-values.ts).
  const runs = Math.min(plan.measure.instructionRuns ?? INSTRUCTION_RUNS, candidate.samples.length);
  const counted = await countArms(
    counter,
    arms.map((a) => ({
      arm: a.name,
      command: a.plain,
      ...(a.input.beforeRun ? { beforeRun: a.input.beforeRun } : {}),
    })),
    { runs, timeoutMs: plan.measure.timeoutMs, scratch },
  );
  notes.push(
    `instructions counted by ${SOURCE_LABEL[counter.source]} in ${runs} runs per arm outside the timed runs; they include the runtime's start-up and compilation`,
  );
  for (const c of counted) if (c.problem) notes.push(`${c.arm} instructions: ${c.problem}`);
  return Object.assign({ source: counter.source }, ...counted.map((c) => ({ [c.arm]: c.counts })));
}
