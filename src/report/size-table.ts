// The size sections (docs/size.md): a compact table of the size metrics, main against the PR, the bytes per
// section, and the folded "what grew" list per benchmark (functions and data segments, like twiggy's diff).
// Function and segment names come from the PR's module: untrusted, so always escaped. Pure.
import type { Verdict } from '../model/verdict.js';
import { STATIC_RUNTIME } from '../model/metrics.js';
import type { CellMeasurement, SizeChange, SizeReport } from '../model/measurement.js';
import { codeSpan, escapeMarkdown, plainLine, truncateText } from './escape.js';
import { formatVerdict, plural } from '../model/format.js';
import { tableHeader, tableRow } from './markdown-parts.js';
import type { RunReport } from './types.js';

const MAX_NAME = 100;

export interface SizeSectionOptions {
  /** the comment: only changed metrics as rows, no section tables, at most this many "what grew" lists */
  compact?: { maxLists: number };
}

/** '' when no benchmark gates a size metric. */
export function sizeSection(report: RunReport, opts: SizeSectionOptions = {}): string {
  const cells = report.measurements.filter((m) => m.runtime === STATIC_RUNTIME);
  if (cells.length === 0) return '';
  const verdicts = report.verdicts.filter((v) => v.runtime === STATIC_RUNTIME);
  const parts = ['#### 📦 Size', ''];
  const shown = opts.compact ? verdicts.filter((v) => v.kind !== 'unchanged') : verdicts;
  if (verdicts.length > 0) {
    if (shown.length > 0) {
      parts.push(...tableHeader(['Benchmark', 'Metric', 'main', 'PR', 'Change', 'Verdict']));
      parts.push(...shown.map(verdictRow));
    }
    const same = verdicts.length - shown.length;
    if (same > 0) parts.push('', `⚪ ${plural(same, 'size figure')} unchanged within the threshold.`);
  } else if (report.mode === 'baseline') {
    parts.push(...savedRows(cells));
  }
  const withChanges = cells.filter((m) => m.size && (m.size.grew.length > 0 || m.size.shrank.length > 0));
  const lists = opts.compact ? withChanges.slice(0, opts.compact.maxLists) : withChanges;
  for (const m of lists) parts.push('', whatGrew(m.benchmark, m.size!, !opts.compact));
  if (!opts.compact)
    for (const m of cells.filter((c) => c.size && !withChanges.includes(c)))
      parts.push(
        '',
        `<details><summary>Sections of ${codeSpan(truncateText(m.benchmark, MAX_NAME, 'middle'))}${m.size!.noBaseline ? ' (no build of main to compare)' : ': no function or data segment changed'}</summary>`,
        '',
        ...sectionRows(m.size!),
        '',
        '</details>',
      );
  if (lists.length < withChanges.length)
    parts.push(
      '',
      `… what changed in ${plural(withChanges.length - lists.length, 'more benchmark')} — see the job summary.`,
    );
  return parts.join('\n');
}

function verdictRow(v: Verdict): string {
  const delta =
    v.baselineMedian !== undefined && v.candidateMedian !== undefined
      ? v.candidateMedian - v.baselineMedian
      : undefined;
  const pct = delta !== undefined && v.baselineMedian ? ` (${signed((delta / v.baselineMedian) * 100, 2)}%)` : '';
  const limit =
    v.thresholdBytes !== undefined ? `limit ${bytes(v.thresholdBytes)}` : `limit ${(v.threshold * 100).toFixed(1)}%`;
  return tableRow([
    codeSpan(truncateText(v.benchmark, MAX_NAME, 'middle')),
    escapeMarkdown(v.metric),
    escapeMarkdown(v.baselineMedian !== undefined ? bytes(v.baselineMedian) : '–'),
    escapeMarkdown(v.candidateMedian !== undefined ? bytes(v.candidateMedian) : '–'),
    escapeMarkdown(delta !== undefined ? `${signedBytes(delta)}${pct}, ${limit}` : '–'),
    escapeMarkdown(formatVerdict(v.kind)),
  ]);
}

function savedRows(cells: readonly CellMeasurement[]): string[] {
  const metrics = [...new Set(cells.flatMap((m) => m.gated ?? []))];
  return [
    ...tableHeader(['Benchmark', ...metrics]),
    ...cells.map((m) =>
      tableRow([
        codeSpan(truncateText(m.benchmark, MAX_NAME, 'middle')),
        ...metrics.map((id) => {
          const v = m.candidate.samples[0]?.values[id];
          return v === undefined ? '–' : escapeMarkdown(bytes(v));
        }),
      ]),
    ),
  ];
}

/** The folded list of one benchmark: growths (new items first among equals), then shrinkages; the summary adds the sections. */
function whatGrew(benchmark: string, size: SizeReport, withSections: boolean): string {
  const { counts } = size;
  const summary = [
    counts.grew > 0 ? `${counts.grew} grew${counts.added ? ` (${counts.added} new)` : ''}` : '',
    counts.shrank > 0 ? `${counts.shrank} shrank${counts.removed ? ` (${counts.removed} removed)` : ''}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const lines = [
    `<details><summary>What changed in ${codeSpan(truncateText(benchmark, MAX_NAME, 'middle'))}: ${escapeMarkdown(summary)}</summary>`,
    '',
  ];
  if (size.names === 'stripped')
    lines.push(
      '> Names were stripped from a build (no `name` section): items are listed by index. See docs/size.md to keep them.',
      '',
    );
  lines.push(...tableHeader(['', 'Function or data segment', 'main', 'PR', 'Change']));
  for (const c of size.grew) lines.push(changeRow(c, c.baseline === undefined ? '🆕' : '🔺'));
  for (const c of size.shrank) lines.push(changeRow(c, c.candidate === undefined ? '🗑️' : '🔻'));
  const more = counts.grew - size.grew.length + (counts.shrank - size.shrank.length);
  if (more > 0) lines.push('', `… and ${plural(more, 'smaller change')} (the JSON report lists the largest only).`);
  if (withSections && size.sections.length > 0) lines.push('', ...sectionRows(size));
  lines.push('', '</details>');
  return lines.join('\n');
}

/** Bytes per section (header and size prefix included), main beside the PR when there is a build of main. */
function sectionRows(size: SizeReport): string[] {
  const out = (n: number | undefined) => escapeMarkdown(n !== undefined ? bytes(n) : '–');
  if (size.noBaseline)
    return [
      ...tableHeader(['Section', 'PR']),
      ...size.sections.map((s) => tableRow([codeSpan(truncateText(s.name, MAX_NAME, 'middle')), out(s.candidate)])),
    ];
  return [
    ...tableHeader(['Section', 'main', 'PR', 'Change']),
    ...size.sections.map((s) =>
      tableRow([
        codeSpan(truncateText(s.name, MAX_NAME, 'middle')),
        out(s.baseline),
        out(s.candidate),
        escapeMarkdown(signedBytes((s.candidate ?? 0) - (s.baseline ?? 0))),
      ]),
    ),
  ];
}

function changeRow(c: SizeChange, mark: string): string {
  const label = c.kind === 'data' ? `${c.name} (data)` : c.name;
  return tableRow([
    mark,
    nameSpan(truncateText(label, MAX_NAME, 'middle')),
    escapeMarkdown(c.baseline !== undefined ? bytes(c.baseline) : '–'),
    escapeMarkdown(c.candidate !== undefined ? bytes(c.candidate) : '–'),
    escapeMarkdown(signedBytes((c.candidate ?? 0) - (c.baseline ?? 0))),
  ]);
}

/**
 * A function name as a backtick code span, so it reads (and greps) as the symbol it is (`grow_me`, not
 * `grow\_me`): nothing inside a code span is Markdown, HTML or a mention. Line breaks and bidi controls
 * are neutralised (control characters dropped), `|` escaped for the table, and the fence is longer than any backtick run in the name.
 */
function nameSpan(text: string): string {
  const flat = plainLine(text).replace(/\|/g, '\\|');
  const fence = '`'.repeat(Math.max(0, ...(flat.match(/`+/g) ?? []).map((r) => r.length)) + 1);
  const pad = flat === '' || flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** Exact bytes, grouped: a function that grew by 12 bytes must not read as "0.01 KiB". */
function bytes(n: number): string {
  return `${Math.round(n).toLocaleString('en-US')} B`;
}

function signedBytes(n: number): string {
  return `${n > 0 ? '+' : n < 0 ? '−' : '±'}${bytes(Math.abs(n))}`;
}

function signed(x: number, digits: number): string {
  return `${x > 0 ? '+' : x < 0 ? '−' : '±'}${Math.abs(x).toFixed(digits)}`;
}
