// The runtimes side by side: each median relative to the fastest runtime on that benchmark, with a geometric
// mean over the benchmarks all completed (docs/adrs/0006-runtime-comparison.md). Pure: RunReport → Markdown.
import type { CellMeasurement } from '../model/measurement.js';
import type { RunReport } from './types.js';
import { codeSpan, escapeMarkdown, truncateText } from './escape.js';
import { formatMs, plural } from '../model/format.js';
import { metricMedian, tableHeader, tableRow } from './markdown-parts.js';
import { formatPeakRss } from './memory-column.js';

export interface ComparisonCell {
  /** median wall time (ms) of the build under test */
  wallMs: number;
  /** wallMs divided by the fastest runtime's wallMs on the same benchmark (≥ 1) */
  relative: number;
  /** median peak RSS as plain text, where measured */
  peakRss?: string;
}

export interface ComparisonRow {
  benchmark: string;
  /** one entry per runtime column; undefined where the runtime has no successful samples */
  cells: (ComparisonCell | undefined)[];
}

export interface RuntimeComparison {
  runtimes: string[];
  rows: ComparisonRow[];
  /** per runtime: geometric mean of `relative` over the complete rows; undefined when there are none */
  geometricMean: (number | undefined)[];
  /** how many rows every runtime completed (the geometric mean's base) */
  complete: number;
}

/** The comparison of the build under test across runtimes, or undefined with fewer than two measured runtimes. */
export function compareRuntimes(measurements: readonly CellMeasurement[]): RuntimeComparison | undefined {
  const measured = measurements.filter(
    (m) => !m.candidate.failure && metricMedian(m.candidate.samples, 'wall') !== undefined,
  );
  const runtimes = [...new Set(measured.map((m) => m.runtime))];
  if (runtimes.length < 2) return undefined;
  const byBenchmark = new Map<string, Map<string, CellMeasurement>>();
  for (const m of measured) {
    const cells = byBenchmark.get(m.benchmark) ?? new Map<string, CellMeasurement>();
    if (!cells.has(m.runtime)) cells.set(m.runtime, m);
    byBenchmark.set(m.benchmark, cells);
  }
  const rows = [...byBenchmark.entries()].map(([benchmark, cells]) => comparisonRow(benchmark, runtimes, cells));
  const completeRows = rows.filter((r) => r.cells.every((c) => c !== undefined));
  const geometricMean = runtimes.map((_, i) => geometricMeanOf(completeRows.map((r) => r.cells[i]!.relative)));
  return { runtimes, rows, geometricMean, complete: completeRows.length };
}

function comparisonRow(
  benchmark: string,
  runtimes: readonly string[],
  measured: ReadonlyMap<string, CellMeasurement>,
): ComparisonRow {
  const walls = runtimes.map((r) => {
    const m = measured.get(r);
    return m && metricMedian(m.candidate.samples, 'wall');
  });
  const fastest = Math.min(...walls.filter((w): w is number => w !== undefined));
  const cells = runtimes.map((r, i): ComparisonCell | undefined => {
    const wallMs = walls[i];
    if (wallMs === undefined) return undefined;
    const peakRss = formatPeakRss(measured.get(r)!.candidate.samples);
    // A zero median (a clock too coarse for the program) has no finite multiple; such a row stays out of the mean.
    const relative = fastest > 0 ? wallMs / fastest : wallMs === 0 ? 1 : Number.POSITIVE_INFINITY;
    return { wallMs, relative, ...(peakRss !== undefined ? { peakRss } : {}) };
  });
  return { benchmark, cells };
}

export function geometricMeanOf(values: readonly number[]): number | undefined {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0 || positive.length !== values.length) return undefined;
  return Math.exp(positive.reduce((sum, v) => sum + Math.log(v), 0) / positive.length);
}

/** `1.00×`, `12.3×`, `150×`. */
export function formatRelative(ratio: number): string {
  if (!Number.isFinite(ratio)) return 'n/a';
  if (ratio >= 100) return `${ratio.toFixed(0)}×`;
  if (ratio >= 10) return `${ratio.toFixed(1)}×`;
  return `${ratio.toFixed(2)}×`;
}

// Runtime ids and benchmark names come from the config: shortened so one absurd id cannot widen every row.
const MAX_NAME_CHARS = 100;

function name(text: string): string {
  return codeSpan(truncateText(text, MAX_NAME_CHARS, 'middle'));
}

/** The fastest runtime's figure is bold, so the winner of each row stands out. */
function relativeText(relative: number, best: boolean): string {
  const text = formatRelative(relative);
  return best ? `**${text}**` : text;
}

function cellText(cell: ComparisonCell | undefined): string {
  if (!cell) return '–';
  const detail = [formatMs(cell.wallMs), ...(cell.peakRss !== undefined ? [cell.peakRss] : [])].join(', ');
  return `${relativeText(cell.relative, cell.relative === 1)} (${escapeMarkdown(detail)})`;
}

function geometricMeanRow(c: RuntimeComparison): string {
  const defined = c.geometricMean.filter((g): g is number => g !== undefined);
  const best = Math.min(...defined);
  const label = `**Geometric mean** (${plural(c.complete, 'benchmark')} on every runtime)`;
  return tableRow([label, ...c.geometricMean.map((g) => (g === undefined ? '–' : relativeText(g, g === best)))]);
}

/** The `### Runtimes side by side` section, or '' when fewer than two runtimes produced samples. */
export function renderRuntimeComparison(report: RunReport): string {
  const c = compareRuntimes(report.measurements);
  if (!c) return '';
  const memory = c.rows.some((r) => r.cells.some((cell) => cell?.peakRss !== undefined));
  const intro =
    `Median wall time of the build under test on each runtime, divided by the fastest runtime's median on the same benchmark ` +
    `(**1.00×** = fastest, lower is better); in parentheses the median${memory ? ' and the median peak RSS' : ''}.`;
  return [
    '### Runtimes side by side',
    '',
    intro,
    '',
    ...tableHeader(['Benchmark', ...c.runtimes.map(name)]),
    ...c.rows.map((r) => tableRow([name(r.benchmark), ...r.cells.map(cellText)])),
    geometricMeanRow(c),
  ].join('\n');
}

// The comment shows only the geometric means; the job summary has the table.
const MAX_COMMENT_RUNTIMES = 20;
const MAX_COMMENT_NAME_CHARS = 40;

/** One line for the PR comment (`Runtimes side by side … node 1.00× · bun 1.31×`), or '' without a comparison. */
export function runtimeComparisonLine(report: RunReport): string {
  const c = compareRuntimes(report.measurements);
  if (!c || c.complete === 0) return '';
  const shown = c.runtimes.slice(0, MAX_COMMENT_RUNTIMES).map((r, i) => {
    const g = c.geometricMean[i];
    return `<code>${escapeMarkdown(truncateText(r, MAX_COMMENT_NAME_CHARS, 'middle'))}</code> ${g === undefined ? '–' : formatRelative(g)}`;
  });
  const more =
    c.runtimes.length > MAX_COMMENT_RUNTIMES
      ? ` · … ${plural(c.runtimes.length - MAX_COMMENT_RUNTIMES, 'more runtime')}`
      : '';
  return `Runtimes side by side (geometric mean of median wall time ÷ fastest, ${plural(c.complete, 'benchmark')}): ${shown.join(' · ')}${more}`;
}
