// The one-way pipeline shared by the action and the CLI:
// plan → install runtimes → load baseline → measure → compare (or build the baseline) → report.
// Entry points supply the I/O that differs (where the baseline lives, logging); nothing here posts or exits.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseArtifactsFromDoc, matchBaseArtifacts, type BaseArtifacts } from './baseline/base-artifacts.js';
import { buildBaseline, cellKey, type ArtifactBytes } from './baseline/build.js';
import { machineFingerprint } from './baseline/machine.js';
import { oneLine } from './baseline/one-line.js';
import type { BaselineDoc, BaselineLoad, BaselineSource } from './baseline/types.js';
import { compareAll, thresholdFor } from './compare/compare.js';
import { gateOutcome, type GateOutcome } from './compare/gate.js';
import { roundsNeeded } from './compare/rounds-needed.js';
import { decisive } from './compare/stopping.js';
import type { BenchmarkSpec, Direction, Plan } from './config/types.js';
import { cellJobs, measureJobs, type CellJob, type MeasureHooks } from './measure/measure-plan.js';
import { metricDef } from './measure/metrics.js';
import type { CellMeasurement } from './measure/types.js';
import type { Headline, RunReport } from './report/types.js';
import { resolveRuntime, type ResolveOptions } from './runtimes/install.js';
import type { ResolvedRuntime } from './runtimes/types.js';
import { TOOL_VERSION } from './version.js';

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
}

export interface GateResult {
  report: RunReport;
  outcome: GateOutcome;
  /** problems with an input found after measuring (each `input: problem. fix`); each fails the run */
  errors: string[];
}

export async function runGate(plan: Plan, io: GateIO): Promise<GateResult> {
  const started = Date.now();
  const warnings: string[] = [];
  const warn = (m: string) => (warnings.push(m), io.warn(m));
  const errors: string[] = [];
  const runtimes = await resolveRuntimes(plan, io);
  const artifacts = readArtifacts(plan.benchmarks);
  const loaded = await io.loadBaseline();
  if (loaded.warning) warn(loaded.warning);
  if (loaded.note) io.log(loaded.note);
  mkdirSync(io.tempDir, { recursive: true });
  const base = plan.mode === 'compare' ? baseArtifacts(plan, loaded.doc, io.tempDir) : none();
  const jobs = cellJobs(plan, runtimes, base.paths);
  const measurements = await measureJobs(plan, jobs, io.tempDir, {
    ...io.progress,
    stopRule: stopRuleFor(plan, jobs.length, loaded.doc),
    roundsNeeded: roundsNeededFor(plan, jobs.length, loaded.doc),
  });
  const machine = machineFingerprint();
  const metricInfo = (metric: string, bench: BenchmarkSpec) => metricUnit(metric, bench);
  const candidateSha256 = Object.fromEntries(plan.benchmarks.map((b) => [b.id, artifacts.get(b.artifact)!.sha256]));

  let saved: BaselineSource | undefined;
  let verdicts: RunReport['verdicts'] = [];
  if (plan.mode === 'baseline') {
    const doc = buildBaseline({
      measurements,
      benchmarks: plan.benchmarks,
      artifacts,
      machine,
      ...io.context,
      now: new Date(),
      metricInfo,
      previous: loaded.doc,
    });
    try {
      const result = await io.saveBaseline(doc);
      if (result.warning) warn(result.warning);
      else saved = result.source;
    } catch (e) {
      // What was measured is still reported; the step fails on the error line.
      errors.push(oneLine(e));
    }
  } else {
    verdicts = compareAll({
      measurements,
      baseline: loaded.doc,
      benchmarks: plan.benchmarks,
      machine,
      metricInfo,
      candidateSha256,
      baselineSha256: base.sha256,
    });
  }
  const outcome = gateOutcome(plan.mode === 'baseline' ? failuresOnly(measurements, plan) : verdicts, {
    failOnRegression: plan.report.failOnRegression,
    failOnInconclusive: plan.report.failOnInconclusive,
    failOnLikelyRegression: plan.report.failOnLikelyRegression,
  });
  const report: RunReport = {
    tool: { name: 'wasm-perf-gate', version: TOOL_VERSION },
    mode: plan.mode,
    headline: headline(plan, outcome, loaded.doc, base, saved),
    verdicts,
    measurements,
    machine,
    runtimes: [...runtimes.values()].map((r) => ({ id: r.id, version: r.version, exe: r.exe })),
    baseline: loaded.doc && {
      source: `${loaded.source.kind}: ${loaded.source.location}`,
      createdAt: loaded.doc.createdAt,
      commit: loaded.doc.commit,
      machine: loaded.doc.machine,
      artifactsFrom: base.from,
    },
    saved,
    likelyRegressionsGate: plan.report.failOnLikelyRegression,
    reproduce: io.reproduce,
    warnings: [...warnings, ...errors],
    startedAt: new Date(started).toISOString(),
    elapsedMs: Date.now() - started,
  };
  return { report, outcome, errors };
}

async function resolveRuntimes(plan: Plan, io: GateIO): Promise<Map<string, ResolvedRuntime>> {
  const out = new Map<string, ResolvedRuntime>();
  for (const ref of plan.runtimes) {
    const r = await resolveRuntime(ref, { ...io.resolve, mirror: plan.runtimeMirror, log: io.log, warn: io.warn });
    io.log(`runtime ${r.id} (${r.installedFrom}: ${r.exe})`);
    out.set(ref.id, r);
  }
  return out;
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
    const entry = job.baseArtifact
      ? undefined
      : doc?.entries.find((e) => cellKey(e.benchmark, e.runtime) === cellKey(job.bench.id, job.runtime.id));
    if (!job.baseArtifact && !entry?.metrics['wall']) return undefined;
    const gates = job.bench.metrics.map((metric) => ({
      metric,
      threshold: thresholdFor(job.bench, metric),
      stored: entry?.metrics[metric]?.samples,
    }));
    return (state) =>
      gates.every((g) => decisive({ ...state, stored: g.stored }, g.threshold, g.metric, { cells: family }));
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
    const entry = job.baseArtifact
      ? undefined
      : doc?.entries.find((e) => cellKey(e.benchmark, e.runtime) === cellKey(job.bench.id, job.runtime.id));
    if (!job.baseArtifact && !entry?.metrics['wall']) return 0;
    const needed = job.baseArtifact
      ? roundsNeeded({ cells: family, method: plan.measure.engine === 'hyperfine' ? 'unpaired' : 'paired' })
      : roundsNeeded({ cells: family, method: 'unpaired', referenceRuns: entry?.metrics['wall']?.samples.length ?? 0 });
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
function failuresOnly(measurements: readonly CellMeasurement[], plan: Plan) {
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

function headline(
  plan: Plan,
  outcome: GateOutcome,
  doc: BaselineDoc | undefined,
  base: BaseArtifacts,
  saved: BaselineSource | undefined,
): Headline {
  if (outcome.headline === 'failed') return 'failed';
  if (plan.mode === 'baseline') return saved ? 'baseline-saved' : 'no-baseline';
  if (!doc && base.from === 'none') return 'no-baseline';
  return outcome.headline;
}
