// The one-way pipeline shared by the action and the CLI:
// plan → load baseline → install runtimes → measure | → compare (or build the baseline) → report.
// A shard stops at the bar (measureRun); a report job runs only the second half (judgeRun) on merged shards.
// Entry points supply the I/O that differs (where the baseline lives, logging); nothing here posts or exits.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseArtifactsFromDoc, matchBaseArtifacts, type BaseArtifacts } from '../baseline/base-artifacts.js';
import { buildBaseline, cellKey, measuredRuntimeKey, runtimeKey, type ArtifactBytes } from '../baseline/build.js';
import { machineFingerprint } from '../baseline/machine.js';
import { oneLine } from '../baseline/one-line.js';
import type {
  BaselineDoc,
  BaselineLoad,
  BaselineSource,
  MachineFingerprint,
  StoredRuntime,
} from '../baseline/types.js';
import { compareAll, DEFAULT_ALPHA, thresholdFor } from '../compare/compare.js';
import { gateOutcome, type GateOutcome } from '../compare/gate.js';
import { roundsNeeded } from '../compare/rounds-needed.js';
import { decisive } from '../compare/stopping.js';
import { cellHistory } from '../history/stored-verdict.js';
import { cancelledReason } from './cancel-on-signal.js';
import type { BenchmarkSpec, Direction, Plan, RuntimeRef } from '../model/plan.js';
import { InputError } from '../model/input-error.js';
import {
  cellJobs,
  hasBaselineArm,
  measureJobs,
  type BaseRuntime,
  type CellJob,
  type MeasureHooks,
} from '../measure/measuring-loop.js';
import { noticedUpgrade, resolveBaselineBuild, type BaselineBuild } from '../runtimes/baseline-build.js';
import { comparisonTitle, runtimeChangesOf } from '../report/runtime-change.js';
import { splitEffects, splitSummary, withoutEffectTag } from '../measure/split-effects.js';
import { suiteChanges } from '../compare/suite-change.js';
import { cancelledBy, cancelledPhase, enterPhase } from '../process/cancellation.js';
import { metricDef } from '../model/metrics.js';
import type { CellMeasurement } from '../model/measurement.js';
import type { Verdict } from '../model/verdict.js';
import type { Headline } from '../model/verdict.js';
import type { RunReport } from '../report/types.js';
import { DEFAULT_THRESHOLD, type ChangePoint } from '../history/change-points.js';
import type { HistoryStore } from '../history/branch-store.js';
import { refreshHistory } from '../history/refresh.js';
import { cellTrends } from '../history/trend.js';
import { resolveRuntime, sha256File, type ResolveOptions } from '../runtimes/install.js';
import { buildToStore, restoreStoredBuild } from '../baseline/stored-build.js';
import { partitionCells, plannedCells, shardPlan } from './partition.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import { TOOL_VERSION } from '../model/version.js';

export interface GateIO {
  log: (msg: string) => void;
  warn: (msg: string) => void;
  loadBaseline: () => Promise<BaselineLoad>;
  /** throws when nothing could be saved; the previous baseline must stay intact */
  saveBaseline: (doc: BaselineDoc) => Promise<{ source: BaselineSource; warning?: string }>;
  /** scratch space for baseline artifacts and launcher files */
  tempDir: string;
  reproduce: string;
  context: { commit?: string; ref?: string; runId?: string };
  resolve?: Omit<ResolveOptions, 'mirror' | 'log' | 'warn'>;
  progress?: MeasureHooks;
  /** `history: branch:NAME`: where a refresh also reads and writes main's history */
  history?: HistoryStore;
}

export interface GateResult {
  report: RunReport;
  outcome: GateOutcome;
  /** problems with an input found after measuring (each `input: problem. fix`); each fails the run */
  errors: string[];
}

/** What the measuring half hands the judging half: a shard stops here and uploads it as its partial report. */
export interface MeasuredRun {
  startedAt: number;
  warnings: string[];
  runtimes: { id: string; version: string; exe: string }[];
  /** candidate artifacts by absolute path (bytes are only needed to build a baseline) */
  artifacts: Map<string, ArtifactBytes>;
  loaded: BaselineLoad;
  base: Omit<BaseArtifacts, 'paths'>;
  measurements: CellMeasurement[];
  /** baseline mode: the `under-test` runtime builds to store with the baseline, by runtime key */
  storedRuntimes?: Record<string, StoredRuntime>;
  machine: MachineFingerprint;
  /** set when a signal stopped measuring: the run is partial and nothing may be saved */
  cancelled?: { signal: string; cellsPlanned: number };
}

/** The plan parts the judging half reads; a report job builds them from the shards' partial reports. */
export type JudgePlan = Pick<Plan, 'mode' | 'benchmarks' | 'report'>;

export async function runGate(plan: Plan, io: GateIO): Promise<GateResult> {
  const { plan: mine, run } = await measureRun(plan, io);
  return judgeRun(mine, run, io);
}

/** plan → baseline → (this shard's cells) → runtimes → measurements. */
export async function measureRun(full: Plan, io: GateIO): Promise<{ plan: Plan; run: MeasuredRun }> {
  const startedAt = Date.now();
  // the plan's own warnings were given as it was made: the report repeats them
  const warnings: string[] = [...(full.warnings ?? [])];
  const warn = (m: string) => (warnings.push(m), io.warn(m));
  const loaded = await io.loadBaseline();
  if (loaded.warning) warn(loaded.warning);
  if (loaded.note) io.log(loaded.note);
  const plan = full.shard
    ? shardPlan(full, partitionCells(plannedCells(full), full.shard.count, loaded.doc)[full.shard.index - 1]!)
    : full;
  const runtimes = await resolveRuntimes(plan, io);
  const artifacts = readArtifacts(plan.benchmarks);
  mkdirSync(io.tempDir, { recursive: true });
  const base = plan.mode === 'compare' ? baseArtifacts(plan, loaded.doc, io.tempDir) : none();
  const baseRuntimes =
    plan.mode === 'compare' ? await resolveBaselineBuilds(plan, runtimes, loaded.doc, io) : new Map();
  // a trusted refresh stores each `under-test` build with the baseline (bounded before anything is measured)
  const storedRuntimes = plan.mode === 'baseline' ? buildsToStore(plan, runtimes) : undefined;
  const jobs = splitEffects(cellJobs(plan, runtimes, base.paths, baseRuntimes), changedPrograms(plan, artifacts, base));
  logSplit(jobs, io);
  // Multiplicity control covers every cell of every shard, so the stop rule must expect as many.
  const family = Math.max(jobs.length, plannedCells(full).length);
  const measurements = await measureJobs(plan, jobs, io.tempDir, {
    ...io.progress,
    warn,
    stopRule: stopRuleFor(plan, family, loaded.doc),
    roundsNeeded: roundsNeededFor(plan, family, loaded.doc),
  });
  const cancelled = cancelledBy();
  enterPhase('judging the results');
  const run: MeasuredRun = {
    startedAt,
    warnings,
    runtimes: [...runtimes.values()].map((r) => ({ id: r.id, version: r.version, exe: r.exe })),
    artifacts,
    loaded,
    base: { sha256: base.sha256, from: base.from },
    measurements,
    ...(storedRuntimes ? { storedRuntimes } : {}),
    machine: machineFingerprint(),
    ...(cancelled !== undefined ? { cancelled: { signal: cancelled, cellsPlanned: jobs.length } } : {}),
  };
  return { plan, run };
}

/** measurements (of one job, or merged from shards) → verdicts over all cells at once, or a saved baseline → report. */
export async function judgeRun(plan: JudgePlan, run: MeasuredRun, io: JudgeIO): Promise<GateResult> {
  const warnings = [...run.warnings];
  const warn = (m: string) => (warnings.push(m), io.warn(m));
  const errors: string[] = [];
  const { loaded, base, measurements, machine, artifacts } = run;
  const cancelledMeasuring = run.cancelled?.signal;
  const metricInfo = (metric: string, bench: BenchmarkSpec) => metricUnit(metric, bench);
  const candidateSha256 = Object.fromEntries(plan.benchmarks.map((b) => [b.id, artifacts.get(b.artifact)!.sha256]));

  let saved: BaselineSource | undefined;
  let verdicts: RunReport['verdicts'] = [];
  let changePoints: ChangePoint[] | undefined;
  if (plan.mode === 'baseline' && cancelledMeasuring !== undefined) {
    warn(`measuring was cancelled (${cancelledMeasuring}): the baseline was not saved; the previous one is unchanged`);
  } else if (plan.mode === 'baseline') {
    ({ saved, changePoints } = await refreshBaseline(plan, run, io, warn, errors));
  } else {
    verdicts = compareAll({
      measurements,
      baseline: loaded.doc,
      benchmarks: plan.benchmarks,
      machine,
      metricInfo,
      candidateSha256,
      baselineSha256: base.sha256,
      ...(plan.report.alpha !== undefined ? { options: { alpha: plan.report.alpha } } : {}),
    });
  }
  // A report job's plan has no baseline section: the shards' own check is all there is (skipped here).
  const baseBroken = plan.mode === 'compare' && isFullPlan(plan) ? brokenBaseBuild(plan, base, measurements) : [];
  for (const w of baseBroken) warn(w);
  const gated = gateOutcome(plan.mode === 'baseline' ? failuresOnly(measurements, plan) : verdicts, {
    failOnRegression: plan.report.failOnRegression,
    failOnInconclusive: plan.report.failOnInconclusive,
    failOnLikelyRegression: plan.report.failOnLikelyRegression,
  });
  // A signal after measuring (while saving or pushing history) cancels the run just the same.
  const late = cancelledMeasuring === undefined ? cancelledBy() : undefined;
  const cancelled = cancelledMeasuring ?? late;
  const completed = measurements.filter((m) => m.candidate.failure?.kind !== 'cancelled').length;
  const planned = run.cancelled?.cellsPlanned ?? measurements.length;
  const phase = late === undefined ? undefined : cancelledPhase();
  const cancelReason =
    cancelled === undefined
      ? undefined
      : cancelledReason(cancelled, completed, planned, phase ? { phase, saved: saved !== undefined } : undefined);
  const outcome = cancelReason ? { ...gated, shouldFail: true, reasons: [cancelReason, ...gated.reasons] } : gated;
  const report: RunReport = {
    tool: { name: 'wasm-perf-gate', version: TOOL_VERSION },
    mode: plan.mode,
    headline:
      cancelled !== undefined
        ? 'cancelled'
        : headline(plan, outcome, loaded.doc, base, saved, baseBroken.length > 0, measurements),
    verdicts,
    measurements,
    machine,
    runtimes: run.runtimes,
    baseline: loaded.doc && {
      source: `${loaded.source.kind}: ${loaded.source.location}`,
      createdAt: loaded.doc.createdAt,
      commit: loaded.doc.commit,
      machine: loaded.doc.machine,
      artifactsFrom: base.from,
    },
    saved,
    alpha: plan.report.alpha ?? DEFAULT_ALPHA,
    likelyRegressionsGate: plan.report.failOnLikelyRegression,
    ...(cancelled !== undefined
      ? {
          cancelled: {
            signal: cancelled,
            cellsMeasured: completed,
            cellsPlanned: planned,
            ...(phase ? { phase } : {}),
          },
        }
      : {}),
    ...(changePoints ? { changePoints } : {}),
    ...runtimeChangeParts(plan, measurements, verdicts),
    ...trendsOf(plan, loaded.doc, verdicts, measurements),
    reproduce: io.reproduce,
    warnings: [...warnings, ...errors],
    startedAt: new Date(run.startedAt).toISOString(),
    elapsedMs: Date.now() - run.startedAt,
  };
  return { report, outcome, errors };
}

type JudgeIO = Pick<GateIO, 'warn' | 'saveBaseline' | 'reproduce' | 'context' | 'history'> &
  Partial<Pick<GateIO, 'log'>>;

/** Baseline mode: build the new baseline with its history (the branch's joined in), save it, push the branch. */
async function refreshBaseline(
  plan: JudgePlan,
  run: MeasuredRun,
  io: JudgeIO,
  warn: (m: string) => void,
  errors: string[],
): Promise<{ saved?: BaselineSource; changePoints: ChangePoint[] }> {
  const built = buildBaseline({
    measurements: run.measurements,
    benchmarks: plan.benchmarks,
    artifacts: run.artifacts,
    machine: run.machine,
    ...io.context,
    now: new Date(),
    metricInfo: (metric, bench) => metricUnit(metric, bench),
    previous: run.loaded.doc,
  });
  enterPhase('reading the history branch');
  const branch = await io.history?.read();
  if (branch?.warning) warn(branch.warning);
  if (branch?.note) io.log?.(branch.note);
  const {
    doc: refreshed,
    changePoints,
    dropped,
  } = refreshHistory(
    built,
    run.loaded.doc,
    run.measurements,
    plan.benchmarks,
    {
      // the fast path for a clear step must clear the cell's own threshold
      thresholdOf: (id, metric) => {
        const spec = plan.benchmarks.find((b) => b.id === id);
        return spec ? thresholdFor(spec, metric) : DEFAULT_THRESHOLD;
      },
    },
    branch?.history,
  );
  const doc = run.storedRuntimes ? { ...refreshed, runtimes: run.storedRuntimes } : refreshed;
  if (dropped.length > 0) {
    const shown = dropped.slice(0, 5).join(', ') + (dropped.length > 5 ? ` and ${dropped.length - 5} more` : '');
    warn(
      `history: ${dropped.length} cell${dropped.length === 1 ? ' is' : 's are'} no longer in the baseline and ${dropped.length === 1 ? 'its' : 'their'} points were dropped from the history: ${shown}. A cell keeps its history while its benchmark, runtime and metric stay configured (a failed or skipped run keeps it too); restore the configuration before the next refresh to keep ${dropped.length === 1 ? 'it' : 'them'}`,
    );
  }
  let saved: BaselineSource | undefined;
  if (cancelledBy() !== undefined) {
    warn(`cancelled (${cancelledBy()}) before saving: the baseline was not saved; the previous one is unchanged`);
    return { changePoints };
  }
  enterPhase('saving the baseline');
  try {
    const result = await io.saveBaseline(doc);
    if (result.warning) warn(result.warning);
    else saved = result.source;
  } catch (e) {
    // What was measured is still reported; the step fails on the error line.
    errors.push(oneLine(e));
  }
  // Independent of the baseline save: a failed push is a warning, never a failed verdict.
  if (cancelledBy() !== undefined) return { saved, changePoints };
  enterPhase('pushing the history branch');
  const pushed = await io.history?.write(doc.history ?? []);
  if (pushed?.warning) warn(pushed.warning);
  if (pushed?.note) io.log?.(pushed.note);
  return { saved, changePoints };
}

async function resolveRuntimes(plan: Plan, io: GateIO): Promise<Map<string, ResolvedRuntime>> {
  const out = new Map<string, ResolvedRuntime>();
  for (const ref of plan.runtimes) {
    const r = await resolveRuntime(ref, {
      ...io.resolve,
      mirror: plan.runtimeMirror,
      downloadTimeoutMs: plan.downloadTimeoutMs,
      log: io.log,
      warn: io.warn,
    });
    io.log(`runtime ${r.id} (${r.installedFrom}: ${r.exe})`);
    out.set(ref.id, r);
  }
  return out;
}

/**
 * Compare mode: the other build of each runtime with `baseline-path` / `baseline-version`. A refresh measures
 * only the build under test (main's), so it installs nothing more.
 */
async function resolveBaselineBuilds(
  plan: Plan,
  runtimes: ReadonlyMap<string, ResolvedRuntime>,
  doc: BaselineDoc | undefined,
  io: GateIO,
): Promise<Map<string, BaseRuntime>> {
  const out = new Map<string, BaseRuntime>();
  const opts = {
    ...io.resolve,
    mirror: plan.runtimeMirror,
    downloadTimeoutMs: plan.downloadTimeoutMs,
    log: io.log,
    warn: io.warn,
  };
  for (const ref of plan.runtimes) {
    if (ref.underTest) {
      out.set(ref.id, await storedBaselineBuild(ref, runtimes.get(ref.id)!, doc, io, opts));
      continue;
    }
    const built =
      ref.baseline !== undefined
        ? await resolveBaselineBuild(ref, runtimes.get(ref.id)!, opts)
        : await noticedBaselineBuild(plan, ref, runtimes.get(ref.id)!, doc, io, opts);
    if (built === undefined) continue;
    const { candidate, baseline } = built.builds;
    io.log(
      `runtime change ${comparisonTitle(ref.id, built.builds)}: ${candidate.version} (sha256 ${candidate.sha256.slice(0, 12)}) vs ${baseline.version} (sha256 ${baseline.sha256.slice(0, 12)}, ${built.runtime.installedFrom}: ${built.runtime.exe})`,
    );
    out.set(ref.id, built);
  }
  return out;
}

/**
 * An upgrade noticed without being told: the stored baseline measured a runtime installed by version on another
 * version than this run resolved, so main's version is installed as if `baseline-version` named it, and each
 * side's .wasm runs on its side's version. Main's version not installable: today's comparison, with a warning.
 */
async function noticedBaselineBuild(
  plan: Plan,
  ref: RuntimeRef,
  candidate: ResolvedRuntime,
  doc: BaselineDoc | undefined,
  io: GateIO,
  opts: ResolveOptions,
): Promise<BaselineBuild | undefined> {
  if (!doc || !plan.baseline.sideBySide) return undefined;
  const key = runtimeKey(ref.id);
  const stored = doc.entries
    .filter((e) => e.runtime.replace(/ \[(cold|warm)\]$/, '') === key)
    .map((e) => e.runtimeVersion);
  const version = noticedUpgrade(ref, candidate, stored);
  if (version === undefined) return undefined;
  io.log(`runtime changed: ${ref.name} ${version} → ${candidate.version} (the stored baseline ran ${version})`);
  try {
    const built = await resolveBaselineBuild({ ...ref, baseline: { version } }, candidate, opts);
    built.builds.baseline.noticed = true;
    return built;
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    io.warn(
      `runtime changed: ${ref.name} ${version} → ${candidate.version}, but ${ref.name} ${version} (the version the stored baseline was measured on) could not be installed, so both arms run ${candidate.version}: ${e.message}`,
    );
    return undefined;
  }
}

/**
 * An `under-test` runtime on a PR: main's stored build, written out and run only once its bytes hash to the
 * sha256 main stored; without one (not stored yet, or refused) the runtime's cells have no baseline.
 */
async function storedBaselineBuild(
  ref: RuntimeRef,
  candidate: ResolvedRuntime,
  doc: BaselineDoc | undefined,
  io: GateIO,
  opts: ResolveOptions,
): Promise<BaseRuntime> {
  const stored = doc?.runtimes?.[ref.id];
  if (stored === undefined) {
    const note = `no build of ${ref.id} is stored with the baseline yet: the next push to main (a refresh) stores it, and later PRs are measured against it`;
    io.log(note);
    return { noBaseline: note };
  }
  const restored = restoreStoredBuild(ref.id, stored, io.tempDir);
  if ('refused' in restored) {
    io.warn(restored.refused);
    return { noBaseline: restored.refused };
  }
  const { underTest: _ut, ...rest } = ref;
  const runtime = await resolveRuntime({ ...rest, path: restored.exe }, opts);
  const [candidateSha] = await Promise.all([sha256File(candidate.exe)]);
  const builds = {
    candidate: { label: "this PR's build", version: candidate.version, sha256: candidateSha, from: 'path' as const },
    baseline: { label: "main's stored build", version: runtime.version, sha256: stored.sha256, from: 'path' as const },
  };
  io.log(`runtime change ${comparisonTitle(ref.id, builds)}: main's build restored (sha256 ${stored.sha256} checked)`);
  return { runtime, builds };
}

/** The benchmarks whose .wasm this PR changed: its artifact's sha256 differs from main's measured side by side. */
function changedPrograms(plan: Plan, artifacts: ReadonlyMap<string, ArtifactBytes>, base: BaseArtifacts): Set<string> {
  return new Set(
    plan.benchmarks
      .filter((b) => base.sha256[b.id] !== undefined && base.sha256[b.id] !== artifacts.get(b.artifact)?.sha256)
      .map((b) => b.id),
  );
}

/** A noticed upgrade whose PR changed the .wasm too: which benchmarks are measured as two effects apart. */
function logSplit(jobs: readonly CellJob[], io: GateIO): void {
  for (const [runtime, benchmarks] of splitSummary(jobs)) {
    const shown =
      benchmarks.slice(0, 5).join(', ') + (benchmarks.length > 5 ? `, … (${benchmarks.length} in all)` : '');
    io.log(
      `runtime changed (${runtime}) and the .wasm changed too (${shown}): each effect is measured apart, the program change on the PR's version and the runtime change on main's programs`,
    );
  }
}

/** Baseline mode: each `under-test` runtime's build, size-bounded, to store with the baseline. */
function buildsToStore(
  plan: Plan,
  runtimes: ReadonlyMap<string, ResolvedRuntime>,
): Record<string, StoredRuntime> | undefined {
  const refs = plan.runtimes.filter((r) => r.underTest);
  if (refs.length === 0) return undefined;
  return Object.fromEntries(
    refs.map((ref) => {
      const r = runtimes.get(ref.id)!;
      return [ref.id, buildToStore(ref, r.exe, r.version)];
    }),
  );
}

function readArtifacts(benchmarks: readonly BenchmarkSpec[]): Map<string, ArtifactBytes> {
  const out = new Map<string, ArtifactBytes>();
  for (const b of benchmarks) {
    const bytes = readFileSync(b.artifact);
    out.set(b.artifact, { sha256: sha256(bytes), bytes, rel: b.artifactRel });
  }
  return out;
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function none(): BaseArtifacts {
  return { paths: new Map(), sha256: {}, from: 'none' };
}

/** The merge-base build named by `baseline-artifacts` wins over the stored baseline's own files. */
function baseArtifacts(plan: Plan, doc: BaselineDoc | undefined, tempDir: string): BaseArtifacts {
  if (!plan.baseline.sideBySide) return none();
  if (plan.baseline.artifacts?.length) {
    return matchBaseArtifacts(plan.benchmarks, plan.baseline.artifacts, (f) => sha256(readFileSync(f)));
  }
  return doc ? baseArtifactsFromDoc(doc, plan.benchmarks, mkdtempSync(join(tempDir, 'baseline-artifacts-'))) : none();
}

/** Adaptive stopping: a cell stops once every gated metric is decided (see compare/stopping.ts). */
function stopRuleFor(plan: Plan, cells: number, doc: BaselineDoc | undefined): MeasureHooks['stopRule'] {
  if (plan.mode !== 'compare') return () => baselineRefreshDone;
  const family = familySize(plan, cells);
  return (job: CellJob) => {
    // Looked up once per cell, not once per round: the rule runs after every round.
    const entry = hasBaselineArm(job)
      ? undefined
      : doc?.entries.find((e) => cellKey(e.benchmark, e.runtime) === cellKey(job.bench.id, job.runtime.ref.id));
    if (!hasBaselineArm(job) && !entry?.metrics['wall']) return undefined;
    const gates = job.bench.metrics.map((metric) => ({
      metric,
      threshold: thresholdFor(job.bench, metric),
      stored: entry?.metrics[metric]?.samples,
      // the verdict judges a stored cell against its history when the document has one: so does stopping
      history: entry && doc ? cellHistory(doc, entry.benchmark, entry.runtime, metric) : undefined,
    }));
    const options = { cells: family, alpha: plan.report.alpha };
    return (state) =>
      gates.every((g) => decisive({ ...state, stored: g.stored, history: g.history }, g.threshold, g.metric, options));
  };
}

/** The multiplicity family of a run: every cell × gated metric, as the verdict counts them. */
function familySize(plan: Plan, cells: number): number {
  return cells * Math.max(1, ...plan.benchmarks.map((b) => b.metrics.length));
}

/**
 * Rounds a cell measures at least (max-time does not end it before them) so that its verdict can reach
 * significance across the run; 0 where nothing is compared or where even max-runs could not reach it.
 */
function roundsNeededFor(plan: Plan, cells: number, doc: BaselineDoc | undefined): MeasureHooks['roundsNeeded'] {
  if (plan.mode !== 'compare') return undefined;
  const family = familySize(plan, cells);
  return (job: CellJob) => {
    const entry = hasBaselineArm(job)
      ? undefined
      : doc?.entries.find((e) => cellKey(e.benchmark, e.runtime) === cellKey(job.bench.id, job.runtime.ref.id));
    if (!hasBaselineArm(job) && !entry?.metrics['wall']) return 0;
    const within = { cells: family, alpha: plan.report.alpha };
    const needed = hasBaselineArm(job)
      ? roundsNeeded({ ...within, method: plan.measure.engine === 'hyperfine' ? 'unpaired' : 'paired' })
      : roundsNeeded({ ...within, method: 'unpaired', referenceRuns: entry?.metrics['wall']?.samples.length ?? 0 });
    return needed <= plan.measure.maxRuns ? needed : 0;
  };
}

/**
 * A refresh has nothing to decide, so it measures like a fixed hyperfine run (≥ 10 runs and ≥ 3 s,
 * within max-runs / max-time): later unpaired comparisons need enough stored samples.
 */
function baselineRefreshDone(state: { candidate: readonly { values: Record<string, number> }[] }): boolean {
  const measuredMs = state.candidate.reduce((sum, s) => sum + (s.values['wall'] ?? 0), 0);
  return state.candidate.length >= 10 && measuredMs >= 3000;
}

function metricUnit(
  metric: string,
  bench: BenchmarkSpec,
): { unit: string; direction: Direction; deterministic?: boolean } {
  const def = metricDef(metric, bench.programMetrics);
  return { unit: def?.unit ?? '', direction: def?.direction ?? 'lower', deterministic: def?.deterministic };
}

/** In baseline mode only failures gate: there is nothing to compare with. */
function isFullPlan(plan: JudgePlan): plan is Plan {
  return 'baseline' in plan;
}

function failuresOnly(measurements: readonly CellMeasurement[], plan: JudgePlan) {
  return measurements
    .filter((m) => m.candidate.failure)
    .map((m) => ({
      benchmark: m.benchmark,
      runtime: m.runtime,
      metric: 'wall',
      unit: 'ms',
      direction: 'lower' as const,
      kind: 'failed' as const,
      threshold: plan.benchmarks.find((b) => b.id === m.benchmark)?.threshold ?? 0,
      method: 'none' as const,
      runs: { baseline: 0, candidate: m.candidate.samples.length },
      notes: [],
      failure: m.candidate.failure,
    }));
}

/**
 * Warnings (naming `baseline-artifacts`) when the merge-base build it names is missing or fails on this
 * runner: the comparison it asked for did not happen, so the run must not read as a pass (docs/adrs/0013).
 */
function brokenBaseBuild(
  plan: Plan,
  base: Pick<BaseArtifacts, 'from'>,
  measurements: readonly CellMeasurement[],
): string[] {
  const patterns = plan.baseline.artifactPatterns;
  if (!patterns || !plan.baseline.sideBySide) return [];
  const fix = 'Fix the merge-base build step (it runs before this one), or remove baseline-artifacts.';
  if (!plan.baseline.artifacts?.length) {
    return [
      `baseline-artifacts: no .wasm files matched ${patterns.join(', ')} (did the merge-base build fail?); verdict no-baseline. ${fix}`,
    ];
  }
  if (base.from !== 'baseline-artifacts input') return [];
  return measurements
    .filter((m) => m.baseline?.failure)
    .map(
      (m) =>
        `baseline-artifacts: the merge-base build of ${m.benchmark} failed on ${m.runtime} (${m.baseline!.failure!.kind}: ${oneLine(m.baseline!.failure!.message).slice(0, 200)}); it was not compared, verdict no-baseline. ${fix}`,
    );
}

function headline(
  plan: JudgePlan,
  outcome: GateOutcome,
  doc: BaselineDoc | undefined,
  base: Omit<BaseArtifacts, 'paths'>,
  saved: BaselineSource | undefined,
  baseBroken: boolean,
  measurements: readonly CellMeasurement[],
): Headline {
  if (outcome.headline === 'failed') return 'failed';
  if (plan.mode === 'baseline') return saved ? 'baseline-saved' : 'no-baseline';
  if (measurements.length > 0 && measurements.every((m) => m.noBaseline) && outcome.headline === 'pass')
    return 'no-baseline';
  // a runtime change's baseline is the other build, measured here
  if (!doc && base.from === 'none' && !measurements.some((m) => m.builds)) return 'no-baseline';
  if (baseBroken && outcome.headline === 'pass') return 'no-baseline';
  return outcome.headline;
}

/** Runtime changes: both builds of each, and (compare mode) each one's suite change over its cells. */
function runtimeChangeParts(
  plan: JudgePlan,
  measurements: readonly CellMeasurement[],
  verdicts: readonly Verdict[],
): Pick<RunReport, 'runtimeChanges' | 'suiteChanges'> {
  const runtimeChanges = runtimeChangesOf(measurements);
  if (runtimeChanges.length === 0) return {};
  const changed = measurements.filter((m) => m.builds);
  // a split upgrade's runtime-change cells (main's programs on both versions) count with the runtime's others
  const keyOf = (m: CellMeasurement) => withoutEffectTag(measuredRuntimeKey(m));
  const keys = new Map(changed.map((m) => [`${m.benchmark}\u0000${m.runtime}`, keyOf(m)]));
  const suite = suiteChanges(
    verdicts,
    [...new Set(changed.map(keyOf))],
    (v) => keys.get(`${v.benchmark}\u0000${v.runtime}`) ?? '',
    1 - (plan.report.alpha ?? DEFAULT_ALPHA),
  );
  return { runtimeChanges, ...(suite.length ? { suiteChanges: suite } : {}) };
}

/** Compare mode: the `trend` input's cells with main's history (absent when there is none to draw). */
function trendsOf(
  plan: JudgePlan,
  doc: BaselineDoc | undefined,
  verdicts: RunReport['verdicts'],
  measurements: readonly CellMeasurement[],
): Pick<RunReport, 'trends'> {
  if (plan.mode !== 'compare') return {};
  const keys = new Map(measurements.map((m) => [`${m.benchmark}\u0000${m.runtime}`, measuredRuntimeKey(m)]));
  const keyOf = (v: Verdict): string => keys.get(`${v.benchmark}\u0000${v.runtime}`) ?? runtimeKey(v.runtime);
  const trends = cellTrends(doc?.history, verdicts, plan.report.trend ?? 'changed', keyOf);
  return trends.length > 0 ? { trends } : {};
}
