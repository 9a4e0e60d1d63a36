// Measurements + baseline → one Verdict per benchmark × runtime × gated metric (pure).
// Estimates come from the injected ChangeEstimator; p-values are adjusted across ALL estimated
// cells of the run before classification, so a run with 200 cells does not false-alarm by count.
import { median } from 'simple-statistics';
import type { BaselineDoc, BaselineEntry, MachineFingerprint } from '../baseline/types.js';
import { cellKey, measuredCellKey, measuredRuntimeKey } from '../baseline/build.js';
import { cellMetrics, STATIC_RUNTIME } from '../model/metrics.js';
import type { BenchmarkSpec, Direction } from '../model/plan.js';
import type { CellMeasurement, RunFailure, RuntimeBuild, Sample } from '../model/measurement.js';
import type { ChangeEstimate, ChangeEstimator } from '../stats/change.js';
import defaultEstimator from '../stats/estimator.js';
import { adjustPValues, type Correction } from '../stats/multiple.js';
import { outlierIndices } from '../stats/outliers.js';
import { metricValues, pairByRound, pairsAreUsable } from './cell-values.js';
import { rangeEstimate } from './deterministic.js';
import { classifyChange, type ClassifyInput } from './classify.js';
import {
  busyRunnerNote,
  cutShortNote,
  lowConfidenceNote,
  multiplicityNote,
  noiseFloorNote,
  outlierNote,
  runnerSpreadNote,
  sequentialNote,
  storedBaselineNotes,
  tooImpreciseNote,
} from './notes.js';
import { roundsNeeded } from './rounds-needed.js';
import { whyNotCalled } from './why-not-called.js';
import type { Verdict } from '../model/verdict.js';
import { cellHistory, storedHistoryChange } from '../history/stored-verdict.js';
import type { CellHistory } from '../model/history.js';

export type MetricInfo = (
  metricId: string,
  bench: BenchmarkSpec,
) => { unit: string; direction: Direction; deterministic?: boolean };

export interface CompareOptions {
  /** significance level after multiplicity control; intervals are (1 − alpha) two-sided. Default 0.05 */
  alpha?: number;
  /** default 'holm' (family-wise error rate across all cells) */
  correction?: Correction;
  estimator?: ChangeEstimator;
  /** threshold for baseline entries whose benchmark is no longer planned. Default 0.05 */
  defaultThreshold?: number;
}

export interface CompareInput {
  measurements: readonly CellMeasurement[];
  baseline?: BaselineDoc;
  benchmarks: readonly BenchmarkSpec[];
  machine: MachineFingerprint;
  metricInfo: MetricInfo;
  /** sha256 of each benchmark's candidate artifact, by benchmark id (detects A/A runs) */
  candidateSha256?: Readonly<Record<string, string>>;
  /** sha256 of the baseline artifact measured side by side, by benchmark id, when it did not come from the stored baseline */
  baselineSha256?: Readonly<Record<string, string>>;
  options?: CompareOptions;
}

/** A verdict before multiplicity control: either final, or waiting for its adjusted p-value. */
interface Draft {
  verdict: Verdict;
  estimate?: ChangeEstimate;
  /** judged by range separation (compare/deterministic.ts), outside multiplicity control */
  deterministic?: boolean;
  /** why measuring ended, and whether the reference was stored figures (their count is fixed) */
  stopReason?: CellMeasurement['stopReason'];
  stored?: boolean;
  /** wall ÷ CPU of the candidate's median run, when wall is gated without cpu (for the busy-runner note) */
  stretch?: number;
}

interface Settings {
  alpha: number;
  confidence: number;
  estimator: ChangeEstimator;
}

export function thresholdFor(spec: BenchmarkSpec, metric: string): number {
  return spec.thresholds[metric] ?? spec.programMetrics.find((p) => p.name === metric)?.threshold ?? spec.threshold;
}

/**
 * A threshold in bytes for a metric measured in bytes (`thresholds: { size: 2KiB }`, or a benchmark's
 * `threshold: 2KiB`); a percentage given for the metric itself wins. Undefined: the relative threshold applies.
 */
export function bytesThresholdFor(spec: BenchmarkSpec, metric: string, unit: string): number | undefined {
  if (spec.thresholds[metric] !== undefined) return undefined;
  return spec.thresholdsBytes?.[metric] ?? (unit === 'bytes' ? spec.thresholdBytes : undefined);
}

/** The familywise significance level when the `alpha` input is not given. */
export const DEFAULT_ALPHA = 0.05;

export function compareAll(input: CompareInput): Verdict[] {
  const alpha = input.options?.alpha ?? DEFAULT_ALPHA;
  const settings: Settings = { alpha, confidence: 1 - alpha, estimator: input.options?.estimator ?? defaultEstimator };
  const specs = new Map(input.benchmarks.map((b) => [b.id, b]));
  const entries = new Map((input.baseline?.entries ?? []).map((e) => [cellKey(e.benchmark, e.runtime), e]));

  const drafts: Draft[] = [];
  for (const m of input.measurements) {
    const spec = specs.get(m.benchmark);
    if (!spec) throw new Error(`measurement of unknown benchmark "${m.benchmark}" (not in the plan)`);
    const entry = entries.get(measuredCellKey(m));
    for (const metric of cellMetrics(spec.metrics, measuredRuntimeKey(m)))
      drafts.push(draftCell(input, settings, m, spec, entry, metric));
  }
  const measured = new Set(input.measurements.map(measuredCellKey));
  for (const entry of input.baseline?.entries ?? []) {
    if (!measured.has(cellKey(entry.benchmark, entry.runtime))) {
      drafts.push(...missingCell(entry, specs.get(entry.benchmark), input.options?.defaultThreshold ?? 0.05));
    }
  }
  return finalize(drafts, settings, input.options?.correction ?? 'holm');
}

/** Adjusts the p-values of all estimated cells together, then classifies each. */
function finalize(drafts: readonly Draft[], settings: Settings, correction: Correction): Verdict[] {
  const tested = drafts.filter((d) => d.estimate && Number.isFinite(d.estimate.pValue));
  const adjusted = adjustPValues(
    tested.map((d) => (d.estimate as ChangeEstimate).pValue),
    correction,
  );
  const adjustedOf = new Map(tested.map((d, i) => [d, adjusted[i] as number]));
  return drafts.map((draft) => {
    const { verdict, estimate } = draft;
    if (!estimate) return verdict;
    // A deterministic metric has no p-value: its interval is the ratio of the two ranges, so an interval
    // wholly past 1 already means every candidate value lies beyond every baseline value.
    const adjustedP = draft.deterministic ? 0 : (adjustedOf.get(draft) ?? NaN);
    if (Number.isFinite(adjustedP)) verdict.adjustedP = adjustedP;
    const rule: ClassifyInput = {
      ratio: estimate.ratio,
      interval: estimate.interval,
      minDetectable: estimate.minDetectable,
      adjustedP: Number.isFinite(adjustedP) ? adjustedP : 1,
      threshold: verdict.threshold,
      direction: verdict.direction,
      alpha: settings.alpha,
      intervalConfident: (estimate.achievedConfidence ?? settings.confidence) >= settings.confidence - 1e-3,
      ...(draft.verdict.spreadBound ? { spreadBound: true } : {}),
    };
    verdict.kind = classifyChange(rule);
    if (!draft.deterministic) explainUndecided(draft, estimate, rule, tested.length, correction);
    if (verdict.noiseFloor && Number.isFinite(estimate.interval[0]))
      verdict.notes.push(noiseFloorNote(estimate.interval));
    return verdict;
  });
}

const DECIDED: readonly Verdict['kind'][] = ['regressed', 'improved', 'unchanged'];

/** Runs stretched this far past their CPU time shared the core: wall time there is mostly the neighbours' noise. */
const BUSY_STRETCH = 1.25;

/** Median of wall ÷ CPU over the runs that recorded both (undefined when none did). */
function wallStretch(samples: readonly Sample[]): number | undefined {
  const ratios = samples
    .map((s) => (s.values['cpu'] ? (s.values['wall'] ?? NaN) / s.values['cpu'] : NaN))
    .filter(Number.isFinite);
  return ratios.length > 0 ? median(ratios) : undefined;
}

/**
 * Says why a cell was not decided: an interval too wide, a change lost to multiplicity control, or
 * measuring cut short before the verdict could reach significance (with the rounds it needed).
 */
function explainUndecided(
  draft: Draft,
  estimate: ChangeEstimate,
  rule: ClassifyInput,
  cells: number,
  correction: Correction,
): void {
  const { verdict } = draft;
  if (DECIDED.includes(verdict.kind)) return;
  const needed = roundsNeeded({
    cells,
    alpha: rule.alpha,
    method: verdict.method === 'paired' ? 'paired' : 'unpaired',
    ...(draft.stored ? { referenceRuns: verdict.runs.baseline } : {}),
  });
  const runs = verdict.runs.candidate;
  if (runs < needed) {
    verdict.roundsNeeded = needed;
    verdict.notes.push(cutShortNote(runs, needed, cells, draft.stopReason));
  }
  if (verdict.kind === 'inconclusive' && estimate.minDetectable > verdict.threshold)
    verdict.notes.push(
      verdict.spreadBound
        ? runnerSpreadNote(estimate.minDetectable, verdict.threshold, verdict.runs.baseline)
        : tooImpreciseNote(estimate.minDetectable, verdict.threshold),
    );
  if (verdict.kind === 'inconclusive' && draft.stretch !== undefined && draft.stretch > BUSY_STRETCH)
    verdict.notes.push(busyRunnerNote(draft.stretch));
  const unadjusted = classifyChange({ ...rule, adjustedP: estimate.pValue });
  if ((unadjusted === 'regressed' || unadjusted === 'improved') && rule.adjustedP >= rule.alpha)
    verdict.notes.push(multiplicityNote(estimate.pValue, rule.adjustedP, cells, correction));
  const why = whyNotCalled(verdict, rule, cells, correction);
  if (why) verdict.whyNotCalled = why;
}

/** The baseline side of one cell: re-measured arm (paired or not) or stored samples. */
interface Reference {
  values: number[];
  paired?: { baseline: number[]; candidate: number[] };
  method: 'paired' | 'unpaired';
  notes: string[];
  /** the stored baseline's samples, not an arm measured here */
  stored?: boolean;
  artifactSha256?: string;
  /** stored mode with a recorded history (null: the document has history, but not for this cell) */
  history?: CellHistory | null;
  /** a runtime change between two different builds: never an A/A run, whatever the artifacts */
  otherBuild?: boolean;
}

function referenceFor(
  input: CompareInput,
  m: CellMeasurement,
  entry: BaselineEntry | undefined,
  metric: string,
  candidateValues: readonly number[],
): Reference | { none: string[] } {
  const notes: string[] = [];
  const arm = m.baseline;
  if (arm?.failure)
    notes.push(
      `the baseline artifact failed on this runner (${arm.failure.kind}: ${arm.failure.message}); it was not re-measured`,
    );
  const armValues = arm && !arm.failure ? metricValues(arm.samples, metric) : [];
  // a runtime change's baseline arm runs the candidate's own artifact unless main's was stored
  const armSha =
    input.baselineSha256?.[m.benchmark] ??
    (m.builds ? input.candidateSha256?.[m.benchmark] : undefined) ??
    entry?.artifactSha256;
  // A size cell reads each build once: exact figures, nothing to pair.
  if (arm && armValues.length > 0 && measuredRuntimeKey(m) === STATIC_RUNTIME)
    return { values: armValues, method: 'unpaired', notes, ...sha(armSha) };
  // byte-identical artifacts are an A/A run only on one build of the runtime
  if (m.builds && m.builds.candidate.sha256 !== m.builds.baseline.sha256) {
    if (arm && !arm.failure && armValues.length > 0)
      return { ...referenceFromArm(arm, m, metric, armValues, candidateValues, notes), otherBuild: true };
  }
  if (arm && armValues.length > 0)
    return { ...referenceFromArm(arm, m, metric, armValues, candidateValues, notes), ...sha(armSha) };
  const stored = entry?.metrics[metric];
  if (entry && stored && input.baseline) {
    notes.push(...storedBaselineNotes(input.baseline.machine, input.machine, entry.runtimeVersion, m.runtimeVersion));
    const history = cellHistory(input.baseline, m.benchmark, entry.runtime, metric);
    return { values: stored.samples, method: 'unpaired', notes, stored: true, ...sha(entry.artifactSha256), history };
  }
  return { none: notes };
}

/** The baseline arm measured in this run: paired by round where the schedule allows it. */
function referenceFromArm(
  arm: NonNullable<CellMeasurement['baseline']>,
  m: CellMeasurement,
  metric: string,
  armValues: number[],
  candidateValues: readonly number[],
  notes: string[],
): Reference {
  if (m.schedule === 'sequential') {
    notes.push(sequentialNote());
    return { values: armValues, method: 'unpaired', notes };
  }
  const pairs = pairByRound(arm.samples, m.candidate.samples, metric);
  if (pairsAreUsable(pairs, armValues.length, candidateValues.length)) {
    return { values: armValues, paired: pairs, method: 'paired', notes };
  }
  notes.push('the baseline runs did not pair up with the candidate runs by round; compared unpaired on this runner');
  return { values: armValues, method: 'unpaired', notes };
}

/** A runtime change: both builds named, and an A/A note when they are the same file. */
function buildNotes(builds: NonNullable<CellMeasurement['builds']>): string[] {
  const { candidate, baseline } = builds;
  if (candidate.sha256 !== baseline.sha256) return [];
  return [
    `${candidate.label} and ${baseline.label} are identical builds (same sha256 ${candidate.sha256.slice(0, 12)}…): this is an A/A run, so any change shown is the runner's noise`,
  ];
}

/** A failed arm fails the cell; in a runtime change the side that failed is named (a stored baseline arm's failure is not). */
function failedSide(m: CellMeasurement): Pick<Verdict, 'failure' | 'failedSide'> | undefined {
  const named = (side: RuntimeBuild, failure: RunFailure) => ({
    failure: { ...failure, message: `${side.label} (${side.version}) failed: ${failure.message}` },
    failedSide: side.label,
  });
  if (m.candidate.failure)
    return m.builds ? named(m.builds.candidate, m.candidate.failure) : { failure: m.candidate.failure };
  if (m.builds && m.baseline?.failure) return named(m.builds.baseline, m.baseline.failure);
  return undefined;
}

const sha = (artifactSha256: string | undefined): { artifactSha256?: string } =>
  artifactSha256 ? { artifactSha256 } : {};

function draftCell(
  input: CompareInput,
  settings: Settings,
  m: CellMeasurement,
  spec: BenchmarkSpec,
  entry: BaselineEntry | undefined,
  metric: string,
): Draft {
  const info = input.metricInfo(metric, spec);
  const candidateValues = metricValues(m.candidate.samples, metric);
  const verdict: Verdict = {
    benchmark: m.benchmark,
    runtime: m.runtime,
    metric,
    unit: info.unit,
    direction: info.direction,
    kind: 'inconclusive',
    threshold: thresholdFor(spec, metric),
    method: 'none',
    runs: { baseline: 0, candidate: candidateValues.length },
    notes: [...(m.notes ?? [])],
    ...(m.effect ? { effect: m.effect } : {}),
  };
  if (candidateValues.length > 0) verdict.candidateMedian = median(candidateValues);
  if (m.builds) verdict.notes.push(...buildNotes(m.builds));
  const failed = failedSide(m);
  if (failed) return { verdict: { ...verdict, kind: 'failed', ...failed } };

  if (m.noBaseline) return { verdict: { ...verdict, kind: 'new', notes: [...verdict.notes, m.noBaseline] } };
  const reference = referenceFor(input, m, entry, metric, candidateValues);
  if ('none' in reference) {
    verdict.notes.push(...reference.none);
    return { verdict: { ...verdict, kind: 'new' } };
  }
  verdict.notes.push(...reference.notes);
  verdict.runs.baseline = reference.values.length;
  if (reference.values.length > 0) verdict.baselineMedian = median(reference.values);
  if (candidateValues.length === 0) {
    verdict.notes.push(`no candidate values for metric "${metric}" were recorded`);
    return { verdict };
  }
  const bytes = bytesThresholdFor(spec, metric, info.unit);
  if (bytes !== undefined) {
    verdict.thresholdBytes = bytes;
    const base = verdict.baselineMedian ?? 0;
    if (base > 0) verdict.threshold = bytes / base;
  }
  if (info.deterministic && Math.min(...reference.values) === 0) return zeroBaseline(verdict, candidateValues, bytes);
  if (info.deterministic) {
    const estimate = rangeEstimate(reference.values, candidateValues);
    Object.assign(verdict, {
      method: reference.method,
      statistic: estimate.method,
      ratio: estimate.ratio,
      interval: estimate.interval,
      minDetectable: estimate.minDetectable,
    });
    return { verdict, estimate, deterministic: true };
  }
  const draft = estimateCell(input, settings, verdict, reference, candidateValues);
  const stretch = metric === 'wall' && !spec.metrics.includes('cpu') ? wallStretch(m.candidate.samples) : undefined;
  return {
    ...draft,
    ...(m.stopReason ? { stopReason: m.stopReason } : {}),
    ...(reference.stored ? { stored: true } : {}),
    ...(stretch !== undefined ? { stretch } : {}),
  };
}

/**
 * A deterministic metric that was 0 on main (no data section yet): no ratio exists, so any growth is a
 * regression unless a threshold in bytes allows it.
 */
function zeroBaseline(verdict: Verdict, candidate: readonly number[], bytes: number | undefined): Draft {
  const grown = Math.max(...candidate);
  const kind: Verdict['kind'] =
    grown === 0
      ? 'unchanged'
      : verdict.direction === 'higher'
        ? 'improved'
        : grown > (bytes ?? 0)
          ? 'regressed'
          : 'unchanged';
  return { verdict: { ...verdict, kind, method: 'unpaired', statistic: 'exact (main was 0)' } };
}

function estimateCell(
  input: CompareInput,
  settings: Settings,
  verdict: Verdict,
  reference: Reference,
  candidateValues: number[],
): Draft {
  if (reference.history !== undefined) return historyCell(verdict, reference, candidateValues, settings);
  const pairs = reference.paired;
  const estimate = settings.estimator({
    baseline: pairs ? pairs.baseline : reference.values,
    candidate: pairs ? pairs.candidate : candidateValues,
    paired: Boolean(pairs),
    confidence: settings.confidence,
  });
  verdict.method = reference.method;
  verdict.confidence = settings.confidence;
  if (estimate.method) verdict.statistic = estimate.method;
  if (Number.isFinite(estimate.ratio)) verdict.ratio = estimate.ratio;
  if (Number.isFinite(estimate.interval[0]) && Number.isFinite(estimate.interval[1]))
    verdict.interval = estimate.interval;
  if (Number.isFinite(estimate.pValue)) verdict.pValue = estimate.pValue;
  verdict.minDetectable = estimate.minDetectable;
  if (!Number.isFinite(estimate.ratio))
    verdict.notes.push(`the change could not be estimated (${estimate.method ?? 'estimator gave no ratio'})`);
  const achieved = estimate.achievedConfidence;
  if (achieved !== undefined && achieved < settings.confidence - 1e-3) {
    verdict.notes.push(
      lowConfidenceNote(
        achieved,
        settings.confidence,
        pairs ? pairs.candidate.length : Math.min(reference.values.length, candidateValues.length),
      ),
    );
  }
  addOutliers(verdict, reference.values, candidateValues);
  const candidateSha = input.candidateSha256?.[verdict.benchmark];
  if (candidateSha && candidateSha === reference.artifactSha256 && !reference.otherBuild) verdict.noiseFloor = true;
  return { verdict, estimate };
}

/** Stored mode with history: the session median against past refresh medians, or inconclusive and why. */
function historyCell(verdict: Verdict, reference: Reference, candidate: number[], settings: Settings): Draft {
  const change = storedHistoryChange(reference.history ?? null, candidate, settings.confidence);
  verdict.method = 'history';
  if ('inconclusive' in change)
    return shortHistoryCell(verdict, change.inconclusive, reference.values, candidate, settings);
  const { estimate } = change;
  verdict.runs.baseline = change.points;
  Object.assign(verdict, {
    confidence: settings.confidence,
    statistic: `${estimate.method}, ${change.points} refreshes`,
    ratio: estimate.ratio,
    interval: estimate.interval,
    pValue: estimate.pValue,
    minDetectable: estimate.minDetectable,
  });
  // A history verdict whose interval more runs would not narrow (stored-verdict.ts, SATURATED).
  if (change.saturated) verdict.spreadBound = true;
  return { verdict, estimate };
}

/**
 * Too little history to know how much a session varies: inconclusive and why — unless the stored runs and
 * this session's put the whole interval past the threshold. That is at most `likely-…` (the p-value is
 * withheld), so a clear regression still gates without a proven verdict on an unknown spread.
 */
function shortHistoryCell(
  verdict: Verdict,
  why: string,
  stored: number[],
  candidate: number[],
  settings: Settings,
): Draft {
  const notes = [...verdict.notes, why];
  if (stored.length === 0 || candidate.length === 0) return { verdict: { ...verdict, notes } };
  const pooled = settings.estimator({ baseline: stored, candidate, paired: false, confidence: settings.confidence });
  const [lo, hi] = pooled.interval;
  const t = verdict.threshold;
  if (!Number.isFinite(pooled.ratio) || !(lo > 1 + t || hi < 1 - t)) return { verdict: { ...verdict, notes } };
  Object.assign(verdict, {
    method: 'unpaired',
    confidence: settings.confidence,
    statistic: `${pooled.method ?? 'unpaired'} on the stored session's runs (history too short; p withheld)`,
    ratio: pooled.ratio,
    interval: pooled.interval,
    minDetectable: pooled.minDetectable,
  });
  return { verdict: { ...verdict, notes }, estimate: { ...pooled, pValue: 1 } };
}

function addOutliers(verdict: Verdict, baseline: readonly number[], candidate: readonly number[]): void {
  const outliers = { baseline: outlierIndices(baseline), candidate: outlierIndices(candidate) };
  if (outliers.baseline.length === 0 && outliers.candidate.length === 0) return;
  verdict.outliers = outliers;
  if (outliers.baseline.length > 0)
    verdict.notes.push(outlierNote('baseline', outliers.baseline.length, baseline.length));
  if (outliers.candidate.length > 0)
    verdict.notes.push(outlierNote('candidate', outliers.candidate.length, candidate.length));
}

/** A stored cell's runtime as measured cells show theirs: its key with the version it was measured with. */
function storedRuntimeLabel(entry: BaselineEntry): string {
  const v = entry.runtimeVersion;
  return v === '' || v === 'unknown' || v === 'unversioned' || entry.runtime.endsWith(`@${v}`)
    ? entry.runtime
    : `${entry.runtime}@${v}`;
}

/** A stored cell that was not measured this run: one `missing` verdict per gated (or stored) metric. */
function missingCell(entry: BaselineEntry, spec: BenchmarkSpec | undefined, defaultThreshold: number): Draft[] {
  const metrics = spec ? spec.metrics.filter((id) => id in entry.metrics) : Object.keys(entry.metrics);
  return metrics.map((metric) => {
    const stored = entry.metrics[metric];
    const verdict: Verdict = {
      benchmark: entry.benchmark,
      runtime: storedRuntimeLabel(entry),
      metric,
      unit: stored?.unit ?? '',
      direction: stored?.direction ?? 'lower',
      kind: 'missing',
      threshold: spec ? thresholdFor(spec, metric) : defaultThreshold,
      method: 'none',
      runs: { baseline: stored?.n ?? 0, candidate: 0 },
      notes: ['in the baseline but not measured in this run'],
    };
    if (stored) verdict.baselineMedian = stored.median;
    return { verdict };
  });
}
