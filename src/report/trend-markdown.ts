// Trends in the report: per cell a Mermaid `xychart-beta` of main's recent refresh medians with this
// run's value last (GitHub draws Mermaid in comments and summaries), and one text line for readers without it.
import type { CellTrend, TrendChangePoint } from '../history/trend.js';
import { KIND_ORDER, median } from './markdown-parts.js';
import { escapeMarkdown, truncateText } from './escape.js';
import { foundBy } from './change-points-markdown.js';
import { formatSignedPercent, formatValue, plural, seriesScale, shortSha } from '../model/format.js';

export interface TrendSectionOptions {
  /** trends drawn as charts (the most important first) */
  maxCharts: number;
  /** further trends given as their text line only */
  maxLines: number;
  /** where the rest can be read, e.g. `in the job summary`; absent: the rest is only counted */
  restWhere?: string;
}

const MAX_TITLE_CHARS = 70;
// Our own directive (names can never carry one): a line colour that reads on light and dark pages.
const CHART_CONFIG = '%%{init: {"themeVariables": {"xyChart": {"plotColorPalette": "#0969da"}}}}%%';

// Inside a Mermaid string only `"` ends it, but `%%{…}%%` anywhere is a config directive, `#…;` an entity
// and a backtick could close the Markdown fence: quotes become ', and only letters, digits, plain punctuation stay.
const MERMAID_UNSAFE = /[^\p{L}\p{N} ._:/@+()=,…'-]/gu;

/** Untrusted text made inert inside a quoted Mermaid string on one line of a fenced block. */
export function mermaidText(text: string, maxChars = MAX_TITLE_CHARS): string {
  return truncateText(text, maxChars, 'middle').replace(/["`]/g, "'").replace(MERMAID_UNSAFE, '?');
}

/** Four significant figures, never exponent notation (the chart's grammar reads plain decimals). */
function chartNumber(value: number): string {
  const rounded = Number(value.toPrecision(4));
  return Math.abs(rounded) >= 1e-4 || rounded === 0 ? String(rounded) : rounded.toFixed(10).replace(/0+$/, '');
}

function values(t: CellTrend): number[] {
  return [...t.points.map((p) => p.median), t.current];
}

/** The fenced `mermaid` block of one trend. */
export function trendChart(t: CellTrend): string {
  const all = values(t);
  const scale = seriesScale(all, t.unit);
  const scaled = all.map((v) => v / scale.divisor);
  const lo = Math.min(...scaled);
  const hi = Math.max(...scaled);
  const pad = hi > lo ? (hi - lo) * 0.1 : Math.abs(hi) * 0.05 || 1;
  // a change point's first refresh is labelled `N*`; the axis title says which path found it and how sure
  const marked = new Set((t.changePoints ?? []).map((c) => c.index));
  const labels = t.points.map((_, i) => `"${i + 1}${marked.has(i) ? '*' : ''}"`);
  const marks = (t.changePoints ?? []).map((c) => `* ${c.index + 1} ${chartMark(c)}`).join(' · ');
  const title = [t.benchmark, t.runtime, t.metric].map((part) => mermaidText(part, 40)).join(' · ');
  return [
    '```mermaid',
    CHART_CONFIG,
    'xychart-beta',
    `  title "${title}"`,
    `  x-axis "refreshes of main, oldest first · now = this run${marks ? ` · change point ${marks}` : ''}" [${[...labels, '"now"'].join(', ')}]`,
    `  y-axis "${mermaidText(scale.unit, 20)}" ${chartNumber(Math.max(0, lo - pad))} --> ${chartNumber(hi + pad)}`,
    `  line [${scaled.map(chartNumber).join(', ')}]`,
    '```',
  ].join('\n');
}

/** A change point in a chart's axis title: our own words and figures only, inside the chart's safe characters. */
function chartMark(c: TrendChangePoint): string {
  if (!c.path) return '';
  const p = c.pValue === undefined ? '' : c.pValue < 0.001 ? ', p under 0.001' : `, p ${c.pValue.toFixed(3)}`;
  return `(${c.path === 'fast' ? 'fast path' : 'permutation test'}${p})`;
}

/** A change point on the text line: where, its size, which path found it and how sure (escaped Markdown). */
function markText(c: TrendChangePoint): string {
  const at = `refresh ${c.index + 1}${c.commit ? ` (${shortSha(c.commit)})` : ''}`;
  const size = c.ratio !== undefined ? ` ${formatSignedPercent(c.ratio - 1)}` : '';
  const by = c.path ? `: ${foundBy({ path: c.path, pValue: c.pValue ?? NaN })}` : '';
  return escapeMarkdown(`change point at ${at}${size}${by}`);
}

/** `min / median / max` of main's window and where this run lands, as escaped Markdown on one line. */
export function trendLine(t: CellTrend): string {
  const main = t.points.map((p) => p.median);
  const mid = median(main)!;
  const fmt = (v: number): string => formatValue(v, t.unit);
  const metric = t.metric === 'wall' ? '' : ` (${escapeMarkdown(truncateText(t.metric, 40))})`;
  const cell = `<code>${escapeMarkdown(truncateText(t.benchmark, 80, 'middle'))}</code> on <code>${escapeMarkdown(truncateText(t.runtime, 80, 'middle'))}</code>${metric}`;
  const window = `main's last ${plural(main.length, 'refresh', 'refreshes')}`;
  const stats = `min ${fmt(Math.min(...main))} · median ${fmt(mid)} · max ${fmt(Math.max(...main))}`;
  const marks = (t.changePoints ?? []).map((c) => `; ${markText(c)}`).join('');
  return `${cell} — ${window}: ${escapeMarkdown(stats)}${marks}; this run ${escapeMarkdown(`${fmt(t.current)} (${formatSignedPercent(t.current / mid - 1)} vs that median)`)}`;
}

/** Most actionable first, as the tables: regressions, then improvements; stable otherwise. */
export function sortTrends(trends: readonly CellTrend[]): CellTrend[] {
  const rank = (t: CellTrend): number => KIND_ORDER.indexOf(t.kind);
  return trends
    .map((t, i) => ({ t, i }))
    .sort((a, b) => rank(a.t) - rank(b.t) || a.i - b.i)
    .map(({ t }) => t);
}

/** The trends section, bounded by chart and line counts; empty when there is no trend. */
export function trendSection(trends: readonly CellTrend[], opts: TrendSectionOptions): string {
  if (trends.length === 0) return '';
  const sorted = sortTrends(trends);
  const charts = sorted.slice(0, opts.maxCharts);
  const lines = sorted.slice(charts.length, charts.length + opts.maxLines);
  const rest = sorted.length - charts.length - lines.length;
  const parts = ["#### 📈 Trends: main's recent refreshes, then this run"];
  for (const t of charts) parts.push(`${trendLine(t)}\n\n${trendChart(t)}`);
  if (lines.length > 0) parts.push(lines.map((t) => `- ${trendLine(t)}`).join('\n'));
  if (rest > 0) parts.push(`… ${plural(rest, 'more trend')}${opts.restWhere ? ` ${opts.restWhere}` : ''}.`);
  return parts.join('\n\n');
}
