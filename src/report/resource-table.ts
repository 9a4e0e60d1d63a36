// The cheap figures every run records (CPU, peak RSS, phases, time taken), shown but never gated:
// `metrics:` alone decides what gates. Pure: measurements in, table rows out.
import type { Verdict } from '../model/verdict.js';
import type { CellMeasurement, Sample } from '../model/measurement.js';
import { timeNeeded, type TimeNeeded } from './time-needed.js';
import type { RunReport } from './types.js';
import { codeSpan, escapeMarkdown, truncateText } from './escape.js';
import { formatBytes, formatElapsed, formatMs, formatSignedPercent, plural } from '../model/format.js';
import { type Block, metricMedian, tableHeader, tableRow } from './markdown-parts.js';

export interface ResourceRow {
  benchmark: string;
  runtime: string;
  /** medians of the build under test, by metric id (cpu, peak-rss, compile, instantiate, execute) */
  medians: Partial<Record<ResourceMetric, number>>;
  /** candidate median / baseline-arm median, where the baseline was re-measured side by side */
  ratios: Partial<Record<ResourceMetric, number>>;
  /** the cell's measuring time, warm-ups included */
  tookMs: number;
  /** an inconclusive cell: the rounds and time it would need (time-needed.ts) */
  needs?: TimeNeeded;
  /** disturbed rounds: left out and played again / kept once the bound was reached */
  disturbed?: CellMeasurement['disturbance'];
}

export const RESOURCE_METRICS = ['cpu', 'peak-rss', 'compile', 'instantiate', 'execute'] as const;
export type ResourceMetric = (typeof RESOURCE_METRICS)[number];
const PHASES: readonly ResourceMetric[] = ['compile', 'instantiate', 'execute'];

function medians(samples: readonly Sample[]): ResourceRow['medians'] {
  const out: ResourceRow['medians'] = {};
  for (const id of RESOURCE_METRICS) {
    const value = metricMedian(samples, id);
    if (value !== undefined) out[id] = value;
  }
  return out;
}

/** One row per measured cell that recorded any resource figure, in measured order. */
export function resourceRows(
  measurements: readonly CellMeasurement[],
  verdicts: readonly Verdict[] = [],
): ResourceRow[] {
  return measurements.flatMap((m): ResourceRow[] => {
    const candidate = medians(m.candidate.samples);
    if (Object.keys(candidate).length === 0) return [];
    const base = m.baseline ? medians(m.baseline.samples) : {};
    const ratios: ResourceRow['ratios'] = {};
    for (const id of RESOURCE_METRICS) {
      const [c, b] = [candidate[id], base[id]];
      if (c !== undefined && b !== undefined && b > 0) ratios[id] = c / b;
    }
    const undecided = verdicts.find(
      (v) => v.benchmark === m.benchmark && v.runtime === m.runtime && v.kind === 'inconclusive',
    );
    const needs = undecided && timeNeeded(undecided, m.elapsedMs);
    const row = { benchmark: m.benchmark, runtime: m.runtime, medians: candidate, ratios, tookMs: m.elapsedMs };
    return [{ ...row, ...(needs ? { needs } : {}), ...(m.disturbance ? { disturbed: m.disturbance } : {}) }];
  });
}

function withChange(text: string | undefined, ratio: number | undefined): string {
  if (text === undefined) return '–';
  return escapeMarkdown(ratio === undefined ? text : `${text} (${formatSignedPercent(ratio - 1)})`);
}

function cells(r: ResourceRow, phases: boolean): string[] {
  const ms = (id: ResourceMetric) => (r.medians[id] === undefined ? undefined : formatMs(r.medians[id]));
  const rss = r.medians['peak-rss'] === undefined ? undefined : formatBytes(r.medians['peak-rss']);
  return [
    withChange(ms('cpu'), r.ratios.cpu),
    withChange(rss, r.ratios['peak-rss']),
    ...(phases ? PHASES.map((p) => escapeMarkdown(ms(p) ?? '–')) : []),
    escapeMarkdown(formatMs(r.tookMs) + needsText(r) + disturbedText(r)),
  ];
}

const HOUR_MS = 3_600_000;

function needsText(r: ResourceRow): string {
  if (!r.needs) return '';
  return r.needs.ms > HOUR_MS ? ' (needs > 1 h)' : ` (needs ~${formatElapsed(r.needs.ms)})`;
}

function disturbedText(r: ResourceRow): string {
  const d = r.disturbed;
  if (!d) return '';
  const parts = [
    ...(d.excluded ? [`${d.excluded} disturbed re-run`] : []),
    ...(d.kept ? [`${d.kept} disturbed kept`] : []),
  ];
  return `, ${parts.join(', ')}`;
}

export interface ResourceTableOptions {
  /** max characters of a benchmark or runtime name */
  maxName: number;
  /** wrap the table in a collapsed <details> (the PR comment) */
  collapsed: boolean;
  /** phase columns (the job summary has its own phase tables) */
  phases: boolean;
}

/** The table as a Block (rows can be cut to fit a budget); undefined when no cell recorded any figure. */
export function resourceBlock(
  report: Pick<RunReport, 'measurements' | 'verdicts'>,
  opts: ResourceTableOptions,
): Block | undefined {
  const rows = resourceRows(report.measurements, report.verdicts);
  if (rows.length === 0) return undefined;
  const phases = opts.phases && rows.some((r) => PHASES.some((p) => r.medians[p] !== undefined));
  const columns = ['Benchmark', 'Runtime', 'CPU', 'Peak RSS', ...(phases ? ['Compile', 'Inst.', 'Exec.'] : []), 'Took'];
  const name = (text: string) => codeSpan(truncateText(text, opts.maxName, 'middle'));
  const explain =
    'Medians of the build under test; (±x%) = change against the baseline re-measured side by side. ' +
    `Shown, not gated: \`metrics\` decides what gates.${phases ? ' Phases (node/bun/deno): compile, instantiate, execute inside the WASI launcher.' : ''} Took = the cell's measuring time, with the rounds left out and played again because a run was clearly disturbed (docs/statistics.md: disturbed rounds); an inconclusive cell also shows roughly what it would need to decide (raise \`max-time\` or \`time-budget\`).`;
  const rerun = rows.reduce((n, r) => n + (r.disturbed?.excluded ?? 0), 0);
  const disturbed = rerun > 0 ? `; ${plural(rerun, 'disturbed round')} re-run` : '';
  const title = `📊 Resources: CPU, peak RSS${phases ? ', phases' : ''} (${plural(rows.length, 'cell')}${disturbed})`;
  const lead = opts.collapsed
    ? [`<details><summary>${title}</summary>`, '', explain, '', ...tableHeader(columns)]
    : [`### ${title}`, '', explain, '', ...tableHeader(columns)];
  return {
    lead,
    rows: rows.map((r) => tableRow([name(r.benchmark), name(r.runtime), ...cells(r, phases)])),
    ...(opts.collapsed ? { trail: ['', '</details>'] } : {}),
    rowName: ['resource row', 'resource rows'],
  };
}
