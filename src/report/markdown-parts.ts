// Pieces shared by the Markdown renderers (summary and comment): ordering, counting, tables, headline,
// and fitting a document into a size budget. Pure.
import { MAIN_PROGRAMS_TAG } from '../measure/split-effects.js';
import type { Verdict, VerdictKind } from '../model/verdict.js';
import type { RunFailure, Sample } from '../model/measurement.js';
import { metricDef } from '../model/metrics.js';
import type { RunReport } from './types.js';
import { escapeMarkdown, truncateText } from './escape.js';
import { HEADLINE_LABELS, VERDICT_LABELS, plural, shortSha } from '../model/format.js';

/** Most actionable first: what blocks the merge, then what needs a look, then the rest. */
export const KIND_ORDER: readonly VerdictKind[] = [
  'regressed',
  'likely-regressed',
  'failed',
  'inconclusive',
  'improved',
  'likely-improved',
  'missing',
  'new',
  'unchanged',
];

/** How far a change went in the bad direction (> 1 is worse), so the worst regression comes first. */
function badness(v: Verdict): number {
  if (v.ratio === undefined || !Number.isFinite(v.ratio) || v.ratio <= 0) return 1;
  return v.direction === 'lower' ? v.ratio : 1 / v.ratio;
}

/** The point estimate lies beyond the threshold on the worse side. */
function worseBeyondThreshold(v: Verdict): boolean {
  if (v.ratio === undefined || !Number.isFinite(v.ratio)) return false;
  return v.direction === 'lower' ? v.ratio > 1 + v.threshold : v.ratio < 1 - v.threshold;
}

/** Verdicts by KIND_ORDER; regressions worst first, improvements best first, otherwise input order. */
export function sortByImportance(verdicts: readonly Verdict[]): Verdict[] {
  const rank = (v: Verdict): number => KIND_ORDER.indexOf(v.kind);
  return verdicts
    .map((v, i) => ({ v, i }))
    .sort((a, b) => {
      const byKind = rank(a.v) - rank(b.v);
      if (byKind !== 0) return byKind;
      if (a.v.kind === 'regressed' || a.v.kind === 'likely-regressed') return badness(b.v) - badness(a.v) || a.i - b.i;
      if (a.v.kind === 'improved') return badness(a.v) - badness(b.v) || a.i - b.i;
      return a.i - b.i;
    })
    .map(({ v }) => v);
}

export function countKinds(verdicts: readonly Verdict[]): Record<VerdictKind, number> {
  const counts = Object.fromEntries(KIND_ORDER.map((k) => [k, 0])) as Record<VerdictKind, number>;
  for (const v of verdicts) counts[v.kind]++;
  return counts;
}

/** `2 regressed · 1 failed · 30 unchanged`, non-zero kinds only, most actionable first. */
export function countsLine(verdicts: readonly Verdict[]): string {
  const counts = countKinds(verdicts);
  const parts = KIND_ORDER.filter((k) => counts[k] > 0).map((k) => {
    const text = `${VERDICT_LABELS[k].emoji} ${counts[k].toLocaleString('en-US')} ${VERDICT_LABELS[k].label}`;
    return k === 'regressed' || k === 'likely-regressed' || k === 'failed' ? `**${text}**` : text;
  });
  return parts.length > 0 ? parts.join(' · ') : 'no cells were measured';
}

/**
 * Cells not counted as regressed whose point estimate lies beyond the threshold on the worse side
 * (likely regressed, or inconclusive with a wide interval), worst first: never hidden behind a "pass".
 */
export function slowerNotCalled(verdicts: readonly Verdict[]): Verdict[] {
  return sortByImportance(verdicts)
    .filter((v) => v.kind !== 'regressed' && v.kind !== 'failed' && worseBeyondThreshold(v))
    .sort((a, b) => badness(b) - badness(a));
}

/** The verdict of the whole run in words, and its emoji: a pass never hides a cell slower beyond its threshold. */
export function headlineLabel(report: RunReport): { emoji: string; label: string } {
  const unproven = report.headline === 'pass' ? slowerNotCalled(report.verdicts).length : 0;
  if (unproven > 0)
    return { emoji: '⚠️', label: `no proven regression, but ${plural(unproven, 'cell')} slower beyond the threshold` };
  if (report.headline === 'regressed')
    return { ...HEADLINE_LABELS.regressed, label: `${whatRegressed(report.verdicts)} regressed` };
  return HEADLINE_LABELS[report.headline];
}

/** What a metric measures, for the headline: bytes shipped are not performance, nor is memory. */
type RegressionKind = 'performance' | 'memory' | 'size';

function regressionKind(metric: string): RegressionKind {
  if (metric === 'peak-rss') return 'memory';
  return metricDef(metric)?.unit === 'bytes' ? 'size' : 'performance';
}

/**
 * `performance`, `size`, `performance and size`, …: the kinds of the regressed cells (the likely-regressed ones
 * when those alone failed the run), so a PR whose only regression is bytes shipped is not told it got slower.
 */
function whatRegressed(verdicts: readonly Verdict[]): string {
  const proven = verdicts.filter((v) => v.kind === 'regressed');
  const cells = proven.length > 0 ? proven : verdicts.filter((v) => v.kind === 'likely-regressed');
  const present = new Set(cells.map((v) => regressionKind(v.metric)));
  const kinds = (['performance', 'memory', 'size'] as const).filter((k) => present.has(k));
  if (kinds.length === 0) return 'performance';
  return kinds.length === 1 ? kinds[0]! : `${kinds.slice(0, -1).join(', ')} and ${kinds.at(-1)!}`;
}

/** The heading line: emoji, tool name, verdict of the whole run. */
export function headlineTitle(report: RunReport): string {
  const { emoji, label } = headlineLabel(report);
  return `${emoji} wasm-perf-gate: ${label}${comparisonSuffix(report)}`;
}

/** What the headline adds: ` — wasmtime: this PR's build vs main's build` (escaped, bounded). */
function comparisonSuffix(report: Pick<RunReport, 'runtimeChanges'>): string {
  const changes = report.runtimeChanges ?? [];
  if (changes.length === 0) return '';
  const titles = changes.slice(0, 3).map((c) => escapeMarkdown(truncateText(c.title, 120)));
  const more = changes.length > 3 ? ` (+${changes.length - 3} more)` : '';
  return ` — ${titles.join('; ')}${more}`;
}

/** `3 benchmarks × 2 runtimes` (distinct ids over verdicts and measurements). */
export function scopeLine(report: RunReport): string {
  const benchmarks = new Set([
    ...report.verdicts.map((v) => v.benchmark),
    ...report.measurements.map((m) => m.benchmark),
  ]);
  // a split upgrade's runtime-change rows (`wazero [main's programs]@1.12.0`) are the same runtime
  const runtimes = new Set(
    [...report.verdicts.map((v) => v.runtime), ...report.measurements.map((m) => m.runtime)].map((r) =>
      r.replace(MAIN_PROGRAMS_TAG, ''),
    ),
  );
  return `${plural(benchmarks.size, 'benchmark')} × ${plural(runtimes.size, 'runtime')}`;
}

/** Where the baseline came from, in one line of Markdown (untrusted parts escaped). */
export function baselineOrigin(report: RunReport): string {
  const b = report.baseline;
  if (!b && report.runtimeChanges?.length) return 'baseline: the other build of the runtime, measured side by side';
  if (!b) return 'no baseline';
  const commit = b.commit ? ` at <code>${escapeMarkdown(truncateText(shortSha(b.commit), 40))}</code>` : '';
  return `baseline from ${escapeMarkdown(truncateText(b.source, 200))}${commit} (${escapeMarkdown(truncateText(b.createdAt, 40))})`;
}

/** Whether any verdict carries a metric other than wall time, so tables need a Metric column. */
export function needsMetricColumn(verdicts: readonly Verdict[]): boolean {
  return new Set(verdicts.map((v) => v.metric)).size > 1 || verdicts.some((v) => v.metric !== 'wall');
}

/** Table header lines for the given column titles (titles are trusted text). */
export function tableHeader(columns: readonly string[]): string[] {
  return [`| ${columns.join(' | ')} |`, `|${columns.map(() => ' --- ').join('|')}|`];
}

/** One table row; every cell must already be Markdown-safe (escaped). */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map((c) => (c === '' ? ' ' : c)).join(' | ')} |`;
}

/**
 * The largest `k` in [0, total] for which `render(k)` fits, by binary search. Assumes longer prefixes never
 * render shorter, which holds when one more row adds more characters than the "N more" note loses.
 */
export function largestFitting(total: number, fits: (k: number) => boolean): number {
  if (fits(total)) return total;
  let lo = 0;
  let hi = total;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/**
 * A unit of a document that can be cut row by row: `lead` (heading, table header) is shown only with at
 * least one row, `trail` only when every row is shown. A row may span several lines.
 */
export interface Block {
  lead: string[];
  rows: string[];
  trail?: string[];
  /** what one row is, singular and plural, for the "… N more" note */
  rowName?: [string, string];
}

export function totalRows(blocks: readonly Block[]): number {
  return blocks.reduce((n, b) => n + b.rows.length, 0);
}

/** What a row limit leaves out, per block: `82 regressions, 234 failures` (blocks without rowName: `rows`). */
export function omittedRows(blocks: readonly Block[], limit: number): { count: number; text: string } {
  let left = limit;
  const parts: string[] = [];
  let count = 0;
  for (const block of blocks) {
    const shown = Math.max(0, Math.min(block.rows.length, left));
    left -= shown;
    const omitted = block.rows.length - shown;
    if (omitted === 0) continue;
    count += omitted;
    const [one, many] = block.rowName ?? ['row', 'rows'];
    parts.push(plural(omitted, one, many));
  }
  return { count, text: parts.join(', ') };
}

/** The blocks' text with at most `limit` rows overall, in order; blocks left without rows disappear. */
export function renderBlocks(blocks: readonly Block[], limit = Number.POSITIVE_INFINITY): string[] {
  const parts: string[] = [];
  let left = limit;
  for (const block of blocks) {
    const shown = block.rows.slice(0, Math.max(0, Math.min(block.rows.length, left)));
    left -= shown.length;
    if (shown.length === 0) continue;
    const complete = shown.length === block.rows.length;
    parts.push([...block.lead, ...shown, ...(complete ? (block.trail ?? []) : [])].join('\n'));
  }
  return parts;
}

/**
 * The longest rendering that `fits`, trying row limits by binary search. When even zero rows do not fit
 * (a tiny budget) the zero-row rendering comes back and the caller must cut it.
 */
export function fitRows(total: number, render: (limit: number) => string, fits: (text: string) => boolean): string {
  const full = render(total);
  if (fits(full)) return full;
  return render(largestFitting(total, (limit) => fits(render(limit))));
}

/** Median of a non-empty list (undefined for an empty one). */
export function median(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Median of one metric over the samples that carry it (undefined when none does). */
export function metricMedian(samples: readonly Sample[], metric: string): number | undefined {
  return median(samples.flatMap((s) => (s.values[metric] === undefined ? [] : [s.values[metric]!])));
}

/** One cell of a baseline-mode run: what was saved for it. */
export interface SavedCell {
  benchmark: string;
  runtime: string;
  runtimeVersion: string;
  metric: string;
  unit: string;
  median?: number;
  runs: number;
  failure?: RunFailure;
}

/** Baseline mode has no comparison: its cells come from the measurements (median of every metric measured). */
export function savedCells(report: RunReport): SavedCell[] {
  const unitOf = (m: { benchmark: string; runtime: string }, metric: string): string =>
    report.verdicts.find((v) => v.benchmark === m.benchmark && v.runtime === m.runtime && v.metric === metric)?.unit ??
    metricDef(metric)?.unit ??
    '';
  return report.measurements.flatMap((m): SavedCell[] => {
    const base = { benchmark: m.benchmark, runtime: m.runtime, runtimeVersion: m.runtimeVersion };
    const samples = m.candidate.samples;
    // Gated metrics only: the cheap figures every run records have their own table.
    const recorded = [...new Set(samples.flatMap((s) => Object.keys(s.values)))];
    const metrics = m.gated ? recorded.filter((id) => m.gated!.includes(id)) : recorded;
    if (metrics.length === 0 || m.candidate.failure) {
      const metric = metrics[0] ?? 'wall';
      const failure = m.candidate.failure;
      return [{ ...base, metric, unit: unitOf(m, metric), runs: samples.length, ...(failure ? { failure } : {}) }];
    }
    return metrics.map((metric) => {
      const values = samples.map((s) => s.values[metric]).filter((x): x is number => x !== undefined);
      return { ...base, metric, unit: unitOf(m, metric), median: median(values), runs: values.length };
    });
  });
}
