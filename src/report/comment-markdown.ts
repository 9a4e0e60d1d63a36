// The sticky PR comment: the headline and what needs attention, compact, and always under the API's
// body limit. Pure: RunReport in, Markdown out. The full report lives in the job summary.
import { renderRuntimeChanges } from './runtime-change.js';
import type { Verdict } from '../model/verdict.js';
import type { RunReport } from './types.js';
import { resourceBlock } from './resource-table.js';
import { runtimeComparisonLine } from './runtime-comparison.js';
import { platformTable } from './platform-table.js';
import { trendSection } from './trend-markdown.js';
import { sizeSection } from './size-table.js';
import { escapeMarkdown, linkTarget, truncateText } from './escape.js';
import { formatChange, formatValue, formatVerdict, plural } from '../model/format.js';
import {
  type Block,
  baselineOrigin,
  countsLine,
  fitRows,
  headlineTitle,
  needsMetricColumn,
  renderBlocks,
  savedCells,
  scopeLine,
  slowerNotCalled,
  sortByImportance,
  tableHeader,
  tableRow,
  omittedRows,
  totalRows,
} from './markdown-parts.js';

/** The issue-comment API rejects longer bodies ("Body is too long (maximum is 65536 characters)"). */
export const COMMENT_MAX_CHARS = 65_536;

export interface CommentOptions {
  /** hidden marker that identifies the sticky comment, see commentMarker() */
  marker: string;
  /** link to the job summary with the full report */
  summaryUrl?: string;
  /** budget in UTF-16 code units (what String#length counts; never fewer than GitHub's characters) */
  maxChars?: number;
}

// Names are cut in the comment so one absurd id cannot eat the budget; the summary shows them whole.
const MAX_NAME_CHARS = 80;
const MAX_WARNINGS = 5;
// Charts are tall and ~0.6 KB each: a few in the comment, the rest as text lines, then only in the summary.
const MAX_TREND_CHARTS = 5;
const MAX_TREND_LINES = 20;
const MIN_TREND_CHARTS = 2;
// Each "what grew" list is at most ~25 rows (~3 KB): a few in the comment, all in the job summary.
const MAX_SIZE_LISTS = 5;

/** `<!-- wasm-perf-gate:ID -->` with the id reduced to characters that cannot end the HTML comment. */
export function commentMarker(id: string): string {
  const safe = id.replace(/[^A-Za-z0-9._:/@+-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- wasm-perf-gate:${safe} -->`;
}

export function renderComment(report: RunReport, opts: CommentOptions): string {
  const maxChars = opts.maxChars ?? COMMENT_MAX_CHARS;
  if (maxChars < opts.marker.length) throw new RangeError(`maxChars ${maxChars} cannot even hold the marker`);
  const fits = (text: string): boolean => text.length <= maxChars;
  const url = opts.summaryUrl === undefined ? undefined : linkTarget(opts.summaryUrl);
  const seeSummary = url ? `see the [job summary](${url})` : 'see the job summary';
  const head = headSection(report, opts.marker);
  const tail = tailSection(report, url);
  const compose = (blocks: Block[], limit: number, extra: string[]): string => {
    const omitted = omittedRows(blocks, limit);
    const note = omitted.count > 0 ? [`… ${plural(omitted.count, 'more row')} (${omitted.text}) — ${seeSummary}`] : [];
    return [head, ...renderBlocks(blocks, limit), ...note, ...extra, ...tail].join('\n\n') + '\n';
  };
  const unchanged = report.mode === 'compare' ? report.verdicts.filter((v) => v.kind === 'unchanged') : [];
  const attention = attentionBlocks(report);

  const resources = resourceBlock(report, { maxName: MAX_NAME_CHARS, collapsed: true, phases: true });
  const trends = (maxCharts: number, maxLines: number): string[] => {
    const text = trendSection(report.trends ?? [], { maxCharts, maxLines, restWhere: `— ${seeSummary}` });
    return text === '' ? [] : [text];
  };
  const trendParts = trends(MAX_TREND_CHARTS, MAX_TREND_LINES);
  const size = sizeSection(report, { compact: { maxLists: MAX_SIZE_LISTS } });
  const sizeParts = size === '' ? [] : [size];

  // 1. every row, unchanged cells and the resource figures folded into <details>, the trends
  const folded = [...attention, unchangedBlock(report, unchanged)];
  const whole = compose([...folded, ...(resources ? [resources] : [])], Number.POSITIVE_INFINITY, [
    ...sizeParts,
    ...trendParts,
  ]);
  if (fits(whole)) return whole;
  // 2. the resource figures only in the job summary
  const resourceNote = resources
    ? [`📊 CPU, peak RSS and phases of ${plural(resources.rows.length, 'cell')} — ${seeSummary}.`]
    : [];
  const withoutResources = compose(folded, Number.POSITIVE_INFINITY, [...sizeParts, ...trendParts, ...resourceNote]);
  if (fits(withoutResources)) return withoutResources;
  // 3. unchanged cells only as a count, the top trends only; 4. then cut rows from the least important end
  const count = [
    ...(unchanged.length > 0 ? [`⚪ ${plural(unchanged.length, 'unchanged cell')} — listed in the job summary.`] : []),
    ...(size !== '' ? [`📦 What grew in size — ${seeSummary}.`] : []),
    ...trends(MIN_TREND_CHARTS, 0),
    ...resourceNote,
  ];
  const text = fitRows(totalRows(attention), (limit) => compose(attention, limit, count), fits);
  return fits(text) ? text : cutToChars(text, maxChars);
}

/** Last resort for tiny budgets: whole lines, then characters; the marker is the first line so it stays. */
function cutToChars(text: string, maxChars: number): string {
  const cut = text.slice(0, maxChars);
  const lastBreak = cut.lastIndexOf('\n');
  return lastBreak > 0 ? cut.slice(0, lastBreak) : cut;
}

function headSection(report: RunReport, marker: string): string {
  const lines = [marker, `### ${headlineTitle(report)}`, ''];
  if (report.mode === 'baseline') {
    lines.push(`Measured ${scopeLine(report)}${report.saved ? ' and saved them as the new baseline' : ''}.`);
    const platforms = platformTable(report);
    if (platforms) lines.push('', platforms);
    return lines.join('\n');
  }
  lines.push(`${countsLine(report.verdicts)}  `);
  lines.push(`${scopeLine(report)}, ${baselineOrigin(report)}.`);
  const changes = renderRuntimeChanges(report);
  if (changes) lines.push('', changes);
  const platforms = platformTable(report);
  if (platforms) lines.push('', platforms);
  if (report.baseline && report.baseline.machine.cpuModel !== report.machine.cpuModel) {
    lines.push('', '⚠️ The baseline was measured on another CPU model; see the notes in the job summary.');
  }
  return lines.join('\n');
}

function name(text: string): string {
  return `<code>${escapeMarkdown(truncateText(text, MAX_NAME_CHARS, 'middle'))}</code>`;
}

function columnsFor(report: RunReport): { columns: string[]; cells: (v: Verdict) => string[] } {
  const metricCol = needsMetricColumn(report.verdicts);
  return {
    columns: ['Benchmark', 'Runtime', ...(metricCol ? ['Metric'] : []), 'Baseline', 'PR', 'Change [CI]'],
    cells: (v) => [
      name(v.benchmark),
      name(v.runtime),
      ...(metricCol ? [escapeMarkdown(truncateText(v.metric, 40))] : []),
      escapeMarkdown(formatValue(v.baselineMedian, v.unit)),
      escapeMarkdown(formatValue(v.candidateMedian, v.unit)),
      escapeMarkdown(formatChange(v.ratio, v.interval)),
    ],
  };
}

/** Everything but unchanged cells, most actionable first: the rows that are cut last. */
function attentionBlocks(report: RunReport): Block[] {
  if (report.mode === 'baseline') return savedBlocks(report);
  const sorted = sortByImportance(report.verdicts);
  const of = (...kinds: Verdict['kind'][]): Verdict[] => sorted.filter((v) => kinds.includes(v.kind));
  const { columns, cells } = columnsFor(report);
  const slower = slowerNotCalled(report.verdicts);
  return [
    {
      lead: ['#### 🔴 Regressions', '', ...tableHeader(columns)],
      rows: of('regressed').map((v) => tableRow(cells(v))),
      rowName: ['regression', 'regressions'],
    },
    {
      lead: ['#### 🟠 Slower beyond the threshold, not proven', '', ...tableHeader([...columns, 'Verdict', 'Why not'])],
      rows: slower.map((v) =>
        tableRow([...cells(v), formatVerdict(v.kind), escapeMarkdown(truncateText(v.whyNotCalled ?? '–', 300))]),
      ),
      rowName: ['slower cell', 'slower cells'],
    },
    {
      lead: ['#### ❌ Failures', '', ...tableHeader(['Benchmark', 'Runtime', 'Failure'])],
      rows: of('failed').map((v) => tableRow([name(v.benchmark), name(v.runtime), escapeMarkdown(failureText(v))])),
      rowName: ['failure', 'failures'],
    },
    {
      lead: ['#### Other changes', '', ...tableHeader([...columns, 'Verdict'])],
      rows: of('inconclusive', 'improved', 'likely-improved', 'missing', 'new')
        .filter((v) => !slower.includes(v))
        .map((v) => tableRow([...cells(v), formatVerdict(v.kind)])),
      rowName: ['other change', 'other changes'],
    },
  ];
}

/** Unchanged cells folded away; a block without rows renders as nothing. */
function unchangedBlock(report: RunReport, unchanged: Verdict[]): Block {
  const { columns, cells } = columnsFor(report);
  return {
    lead: [`<details><summary>⚪ ${plural(unchanged.length, 'unchanged cell')}</summary>`, '', ...tableHeader(columns)],
    rows: unchanged.map((v) => tableRow(cells(v))),
    trail: ['', '</details>'],
  };
}

function failureText(v: Verdict): string {
  const f = v.failure;
  if (!f) return 'failed';
  const exit = f.exitCode !== undefined ? ` (exit ${f.exitCode})` : f.signal ? ` (${f.signal})` : '';
  return `${f.kind}${exit}: ${truncateText(f.message, 160)}`;
}

function savedBlocks(report: RunReport): Block[] {
  const cells = savedCells(report);
  return [
    {
      lead: ['#### Saved baseline', '', ...tableHeader(['Benchmark', 'Runtime', 'Metric', 'Median', 'Runs'])],
      rows: cells.map((c) =>
        tableRow([
          name(c.benchmark),
          name(c.runtime),
          escapeMarkdown(truncateText(c.metric, 40)),
          c.failure ? '❌ failed, not saved' : escapeMarkdown(formatValue(c.median, c.unit)),
          String(c.runs),
        ]),
      ),
    },
  ];
}

function tailSection(report: RunReport, summaryUrl: string | undefined): string[] {
  const warnings = report.warnings.slice(0, MAX_WARNINGS).map((w) => `- ⚠️ ${escapeMarkdown(truncateText(w, 300))}`);
  if (report.warnings.length > MAX_WARNINGS)
    warnings.push(`- … and ${plural(report.warnings.length - MAX_WARNINGS, 'more warning')}`);
  const link = summaryUrl ? `[Full report in the job summary](${summaryUrl})` : 'Full report in the job summary';
  const footer = `${link} · <sub>${escapeMarkdown(`${report.tool.name} ${truncateText(report.tool.version, 40)} · ${truncateText(report.machine.cpuModel, 80)}`)}</sub>`;
  const runtimes = runtimeComparisonLine(report);
  return [...(warnings.length > 0 ? [warnings.join('\n')] : []), ...(runtimes !== '' ? [runtimes] : []), footer];
}
