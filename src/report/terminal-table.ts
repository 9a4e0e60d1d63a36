// The terminal format: an aligned table of the verdicts (or, for a baseline run, of what was measured) and
// the headline, coloured when asked. Pure: RunReport in, text out; names are stripped of control characters.
import { median } from 'simple-statistics';
import type { Verdict, VerdictKind } from '../model/verdict.js';
import type { CellMeasurement } from '../model/measurement.js';
import { formatChange, formatElapsed, formatRuns, formatValue, VERDICT_LABELS } from '../model/format.js';
import { KIND_ORDER, headlineLabel, needsMetricColumn, scopeLine, sortByImportance } from './markdown-parts.js';
import { padEnd, painter, plainText, type Paint, type Style } from './terminal-style.js';
import type { Headline } from '../model/verdict.js';
import type { RunReport } from './types.js';
import { STATIC_RUNTIME } from '../model/metrics.js';

export interface TerminalOptions {
  color: boolean;
}

const KIND_STYLE: Record<VerdictKind, Style[]> = {
  regressed: ['red', 'bold'],
  'likely-regressed': ['red'],
  improved: ['green'],
  'likely-improved': ['green'],
  unchanged: ['dim'],
  inconclusive: ['yellow'],
  new: ['cyan'],
  missing: ['dim'],
  failed: ['red', 'bold'],
};

const HEADLINE_STYLE: Record<Headline, Style[]> = {
  pass: ['green', 'bold'],
  regressed: ['red', 'bold'],
  'no-baseline': ['cyan', 'bold'],
  failed: ['red', 'bold'],
  'baseline-saved': ['green', 'bold'],
  cancelled: ['yellow', 'bold'],
};

interface Cell {
  text: string;
  styles?: Style[];
}

export function renderTerminal(report: RunReport, opts: TerminalOptions): string {
  const paint = painter(opts.color);
  const table = report.mode === 'baseline' ? measuredTable(report.measurements) : verdictTable(report.verdicts);
  const lines = table.length > 1 ? alignColumns(table, paint) : [];
  const failures = failureLines(report, paint);
  const grew = grewLines(report);
  return [...lines, ...(lines.length ? [''] : []), ...grew, ...failures, headline(report, paint)].join('\n');
}

function verdictTable(verdicts: readonly Verdict[]): Cell[][] {
  const withMetric = needsMetricColumn(verdicts);
  const header = ['benchmark', 'runtime', ...(withMetric ? ['metric'] : []), 'baseline', 'PR', 'change', 'verdict'];
  const rows = sortByImportance(verdicts).map((v) => [
    { text: plainText(v.benchmark) },
    { text: plainText(v.runtime) },
    ...(withMetric ? [{ text: plainText(v.metric) }] : []),
    { text: formatValue(v.baselineMedian, v.unit) },
    { text: formatValue(v.candidateMedian, v.unit) },
    { text: formatChange(v.ratio, v.interval), styles: KIND_STYLE[v.kind] },
    { text: VERDICT_LABELS[v.kind].label, styles: KIND_STYLE[v.kind] },
  ]);
  return [header.map((text) => ({ text, styles: ['bold'] as Style[] })), ...rows];
}

function measuredTable(measurements: readonly CellMeasurement[]): Cell[][] {
  const header = ['benchmark', 'runtime', 'median wall', 'runs', 'status'];
  const rows = measurements.map((m) => {
    const walls = m.candidate.samples.map((s) => s.values['wall']).filter((x): x is number => x !== undefined);
    return [
      { text: plainText(m.benchmark) },
      { text: plainText(m.runtime) },
      { text: walls.length ? formatValue(median(walls), 'ms') : '–' },
      { text: m.runtime === STATIC_RUNTIME ? 'read once' : formatRuns({ baseline: 0, candidate: walls.length }) },
      m.candidate.failure
        ? { text: 'failed', styles: KIND_STYLE.failed }
        : { text: 'measured', styles: ['dim'] as Style[] },
    ];
  });
  return [header.map((text) => ({ text, styles: ['bold'] as Style[] })), ...rows];
}

/** Pads every column to its widest cell before painting, so colour codes never break the alignment. */
function alignColumns(rows: Cell[][], paint: Paint): string[] {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => [...(r[c]?.text ?? '')].length)));
  return rows.map((r) =>
    r
      .map((cell, c) => {
        const padded = c === r.length - 1 ? cell.text : padEnd(cell.text, widths[c]!);
        return cell.styles ? paint(padded, ...cell.styles) : padded;
      })
      .join('  ')
      .trimEnd(),
  );
}

/** Compare mode: the largest size changes per benchmark, one line each (the summary has the full list). */
function grewLines(report: RunReport): string[] {
  if (report.mode !== 'compare') return [];
  const lines = report.measurements.flatMap((m) => {
    const size = m.size;
    if (!size || size.grew.length + size.shrank.length === 0) return [];
    const items = [...size.grew.slice(0, GREW_SHOWN), ...size.shrank.slice(0, 2)].map((c) => {
      const d = (c.candidate ?? 0) - (c.baseline ?? 0);
      const tag = c.baseline === undefined ? ' new' : c.candidate === undefined ? ' removed' : '';
      return `${plainText(c.name)} ${d > 0 ? '+' : '−'}${Math.abs(d)} B${tag}`;
    });
    const more = size.counts.grew + size.counts.shrank - items.length;
    return [`what changed in ${plainText(m.benchmark)}: ${items.join(', ')}${more > 0 ? `, … ${more} more` : ''}`];
  });
  return lines.length ? [...lines, ''] : [];
}

const GREW_SHOWN = 5;

function failureLines(report: RunReport, paint: Paint): string[] {
  const failed = [
    ...report.verdicts
      .filter((v) => v.failure)
      .map((v) => ({ where: `${v.benchmark} on ${v.runtime}`, f: v.failure! })),
    ...(report.mode === 'baseline'
      ? report.measurements
          .filter((m) => m.candidate.failure)
          .map((m) => ({ where: `${m.benchmark} on ${m.runtime}`, f: m.candidate.failure! }))
      : []),
  ];
  const lines = failed.map(({ where, f }) => `${paint('failed', 'red')} ${plainText(where)}: ${plainText(f.message)}`);
  const warnings = report.warnings.map((w) => `${paint('warning', 'yellow')} ${plainText(w)}`);
  const all = [...lines, ...warnings];
  return all.length ? [...all, ''] : [];
}

function headline(report: RunReport, paint: Paint): string {
  const title = paint(headlineLabel(report).label, ...HEADLINE_STYLE[report.headline]);
  const counts = KIND_ORDER.filter((k) => report.verdicts.some((v) => v.kind === k)).map((k) =>
    paint(`${report.verdicts.filter((v) => v.kind === k).length} ${VERDICT_LABELS[k].label}`, ...KIND_STYLE[k]),
  );
  const saved = report.saved ? [`saved to ${plainText(report.saved.location)}`] : [];
  const scope = `${scopeLine(report)}, ${formatElapsed(report.elapsedMs)}`;
  return [title, ...counts, ...saved].join(' · ') + paint(` (${scope})`, 'dim');
}
