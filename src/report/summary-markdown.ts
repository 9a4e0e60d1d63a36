// The job summary (GITHUB_STEP_SUMMARY): the full human report. Pure: RunReport in, Markdown out.
import { renderRuntimeChanges } from './runtime-change.js';
import { platformTable } from './platform-table.js';
import type { Verdict } from '../model/verdict.js';
import type { MachineFingerprint } from '../baseline/types.js';
import type { RunFailure } from '../model/measurement.js';
import type { RunReport } from './types.js';
import { aotTable } from './aot-table.js';
import { sizeSection } from './size-table.js';
import { cacheTable } from './cache-table.js';
import { renderPhaseTables } from './phase-table.js';
import { resourceBlock } from './resource-table.js';
import { renderRuntimeComparison } from './runtime-comparison.js';
import { trendSection } from './trend-markdown.js';
import { codeBlock, codeSpan, escapeHtmlLine, escapeMarkdown, preBlock, truncateText } from './escape.js';
import {
  formatBytes,
  formatChange,
  formatElapsed,
  formatPValue,
  formatPercent,
  formatRuns,
  formatValue,
  formatVerdict,
  plural,
  shortSha,
} from '../model/format.js';
import {
  type Block,
  KIND_ORDER,
  baselineOrigin,
  countsLine,
  fitRows,
  headlineTitle,
  needsMetricColumn,
  savedCells,
  scopeLine,
  slowerNotCalled,
  sortByImportance,
  tableHeader,
  tableRow,
  omittedRows,
  totalRows,
  renderBlocks,
} from './markdown-parts.js';

/** GitHub's cap for one step's summary; over it the upload fails. */
export const SUMMARY_MAX_BYTES = 1024 * 1024;

export interface SummaryOptions {
  /** budget in UTF-8 bytes (default SUMMARY_MAX_BYTES) */
  maxBytes?: number;
}

const MAX_FAILURE_DETAILS = 20;
const MAX_NOTES = 50;
const MAX_NOTE_EXAMPLES = 5;
const MAX_WARNINGS = 50;
const MAX_REPRODUCE_CHARS = 20_000;
// Each chart is an embedded renderer on GitHub's page: beyond this many the rest are text lines.
const MAX_TREND_CHARTS = 50;

export function renderSummary(report: RunReport, opts: SummaryOptions = {}): string {
  const maxBytes = opts.maxBytes ?? SUMMARY_MAX_BYTES;
  const fits = (text: string): boolean => Buffer.byteLength(text, 'utf8') <= maxBytes;
  const head = headSection(report);
  const extras = runtimeSections(report);
  const trends = trendSection(report.trends ?? [], { maxCharts: MAX_TREND_CHARTS, maxLines: Number.POSITIVE_INFINITY });
  let tail = [...(trends === '' ? [] : [trends]), ...tailSections(report, extras)];
  const compose = (blocks: Block[], limit: number, droppedUnchanged: number): string => {
    const note = omissionNote(omittedRows(blocks, limit), droppedUnchanged);
    return [head, ...renderBlocks(blocks, limit), ...note, ...tail].join('\n\n') + '\n';
  };

  const full = bodyBlocks(report, false);
  const whole = compose(full, Number.POSITIVE_INFINITY, 0);
  if (fits(whole)) return whole;

  // Too big: first drop the runtime tables (the JSON report keeps the samples they come from), then leave
  // unchanged cells out of the per-benchmark tables, then cut rows from the end.
  const leftOut = extras.length > 0 || trends !== '' ? [EXTRAS_LEFT_OUT] : [];
  tail = tailSections(report, leftOut);
  const compact = bodyBlocks(report, true);
  const dropped = report.verdicts.filter((v) => v.kind === 'unchanged').length;
  const text = fitRows(totalRows(compact), (limit) => compose(compact, limit, dropped), fits);
  return fits(text) ? text : cutToBytes(text, maxBytes);
}

function omissionNote(omitted: { count: number; text: string }, droppedUnchanged: number): string[] {
  const parts: string[] = [];
  if (droppedUnchanged > 0) parts.push(`${plural(droppedUnchanged, 'unchanged cell')} not listed`);
  if (omitted.count > 0) parts.push(`… ${plural(omitted.count, 'more row')} not shown (${omitted.text})`);
  if (parts.length === 0) return [];
  return [
    `> [!NOTE]\n> ${parts.join('; ')} to keep this summary under GitHub's 1 MiB limit. The JSON report (\`report-json\` output) has every figure and sample.`,
  ];
}

/** Last resort for tiny budgets: whole lines up to the budget. */
function cutToBytes(text: string, maxBytes: number): string {
  const lines = text.split('\n');
  let out = '';
  for (const line of lines) {
    const next = out === '' ? line : `${out}\n${line}`;
    if (Buffer.byteLength(next, 'utf8') > maxBytes) break;
    out = next;
  }
  return out;
}

// ── head ────────────────────────────────────────────────────────────────────────────────────────────

function headSection(report: RunReport): string {
  const lines = [`## ${headlineTitle(report)}`, ''];
  if (report.cancelled) {
    const c = report.cancelled;
    const text = c.phase
      ? `The run was cancelled (${c.signal}) while ${c.phase}, after every cell was measured; ${report.saved ? 'the baseline was saved before it and is valid' : 'nothing was saved'}. What was measured is below.`
      : `The run was cancelled (${c.signal}) after ${plural(c.cellsMeasured, 'cell')} of ${c.cellsPlanned}; nothing was saved. What was measured is below.`;
    lines.push(text, '');
  }
  if (report.mode === 'baseline') {
    const outcome = report.saved
      ? `and saved the baseline to ${report.saved.kind === 'file' ? 'the file' : 'the Actions cache as'} ${codeSpan(report.saved.location)}`
      : '— **nothing was saved** (see the warnings below)';
    lines.push(`Measured ${scopeLine(report)} ${outcome}.`);
    const platforms = platformTable(report);
    if (platforms) lines.push('', platforms);
    return lines.join('\n');
  }
  lines.push(countsLine(report.verdicts));
  lines.push('');
  lines.push(`${scopeLine(report)}, ${baselineOrigin(report)}.`);
  const changes = renderRuntimeChanges(report);
  if (changes) lines.push('', changes);
  const platforms = platformTable(report);
  if (platforms) lines.push('', platforms);
  if (!report.baseline && !report.runtimeChanges?.length) {
    lines.push('');
    lines.push(
      'No baseline was found, so every cell is new. A run on the default branch in `baseline` mode (push, schedule) stores one.',
    );
  }
  return lines.join('\n');
}

// ── body: row-cuttable blocks ───────────────────────────────────────────────────────────────────────

function bodyBlocks(report: RunReport, omitUnchanged: boolean): Block[] {
  if (report.mode === 'baseline') return savedBlocks(report);
  const sorted = sortByImportance(report.verdicts);
  const metricCol = needsMetricColumn(report.verdicts);
  return [
    regressionsBlock(
      sorted.filter((v) => v.kind === 'regressed'),
      metricCol,
    ),
    slowerBlock(slowerNotCalled(report.verdicts), metricCol),
    failuresBlock(sorted.filter((v) => v.kind === 'failed')),
    failureDetailsBlock(sorted.filter((v) => v.kind === 'failed')),
    ...resultBlocks(report.verdicts, metricCol, omitUnchanged),
  ];
}

function cellName(v: { benchmark: string; runtime: string }): string[] {
  return [codeSpan(v.benchmark), codeSpan(v.runtime)];
}

function metricCells(v: Verdict, metricCol: boolean): string[] {
  return metricCol ? [escapeMarkdown(v.metric)] : [];
}

function regressionsBlock(regressed: Verdict[], metricCol: boolean): Block {
  const columns = [
    'Benchmark',
    'Runtime',
    ...(metricCol ? ['Metric'] : []),
    'Baseline',
    'PR',
    'Change [CI]',
    'Threshold',
    'Evidence',
  ];
  return {
    lead: ['### 🔴 Regressions', '', ...tableHeader(columns)],
    rows: regressed.map((v) =>
      tableRow([
        ...cellName(v),
        ...metricCells(v, metricCol),
        escapeMarkdown(formatValue(v.baselineMedian, v.unit)),
        escapeMarkdown(formatValue(v.candidateMedian, v.unit)),
        `**${escapeMarkdown(formatChange(v.ratio, v.interval))}**`,
        escapeMarkdown(formatPercent(v.threshold)),
        escapeMarkdown(evidence(v)),
      ]),
    ),
    rowName: ['regression', 'regressions'],
  };
}

/** Cells slower beyond their threshold that were not called regressed, right after the regressions. */
function slowerBlock(slower: Verdict[], metricCol: boolean): Block {
  const columns = [
    'Benchmark',
    'Runtime',
    ...(metricCol ? ['Metric'] : []),
    'Change [CI]',
    'Threshold',
    'Verdict',
    'Why not called regressed',
  ];
  return {
    lead: [
      '### 🟠 Slower beyond the threshold, not proven',
      '',
      'Their estimate lies beyond the threshold, but the evidence fell short of a regression; `likely regressed` cells fail the step unless `fail-on-likely-regression: false`.',
      '',
      ...tableHeader(columns),
    ],
    rows: slower.map((v) =>
      tableRow([
        ...cellName(v),
        ...metricCells(v, metricCol),
        `**${escapeMarkdown(formatChange(v.ratio, v.interval))}**`,
        escapeMarkdown(formatPercent(v.threshold)),
        formatVerdict(v.kind),
        escapeMarkdown(v.whyNotCalled ?? '–'),
      ]),
    ),
    rowName: ['slower cell', 'slower cells'],
  };
}

function evidence(v: Verdict): string {
  const p = v.adjustedP !== undefined ? `adj. ${formatPValue(v.adjustedP)}` : formatPValue(v.pValue);
  return p === '–' ? v.method : `${v.method}, ${p}`;
}

function failureKind(f: RunFailure | undefined): string {
  if (!f) return 'failed';
  const exit = f.exitCode !== undefined ? ` (exit ${f.exitCode})` : '';
  const signal = f.signal ? ` (${f.signal})` : '';
  return `${f.kind}${exit}${signal}`;
}

function failuresBlock(failed: Verdict[]): Block {
  return {
    lead: ['### ❌ Failures', '', ...tableHeader(['Benchmark', 'Runtime', 'Failure', 'Message'])],
    rows: failed.map((v) =>
      tableRow([
        ...cellName(v),
        escapeMarkdown(`${v.failedSide ? `${v.failedSide}: ` : ''}${failureKind(v.failure)}`),
        escapeMarkdown(truncateText(v.failure?.message ?? '', 300)),
      ]),
    ),
    rowName: ['failure', 'failures'],
  };
}

/** Program output of the first failures, collapsed; raw HTML blocks, so only entity escaping applies. */
function failureDetailsBlock(failed: Verdict[]): Block {
  const withOutput = failed.filter((v) => v.failure && (v.failure.stdoutHead || v.failure.stderrTail));
  return {
    lead: [],
    rowName: ['failure output', 'failure outputs'],
    rows: withOutput.slice(0, MAX_FAILURE_DETAILS).map((v) => {
      const f = v.failure!;
      const title = `❌ <code>${escapeHtmlLine(v.benchmark)}</code> on <code>${escapeHtmlLine(v.runtime)}</code>: ${escapeHtmlLine(failureKind(f))} — output`;
      const outputs = [
        ...(f.stdoutHead ? ['stdout (head):', '', preBlock(f.stdoutHead), ''] : []),
        ...(f.stdoutTail ? ['stdout (tail):', '', preBlock(f.stdoutTail), ''] : []),
        ...(f.stderrTail ? ['stderr (tail):', '', preBlock(f.stderrTail), ''] : []),
      ];
      return [`<details><summary>${title}</summary>`, '', ...outputs, '</details>'].join('\n');
    }),
  };
}

/** One table per benchmark; benchmarks with the most actionable verdict first, rows in measured order. */
function resultBlocks(verdicts: readonly Verdict[], metricCol: boolean, omitUnchanged: boolean): Block[] {
  const byBenchmark = new Map<string, Verdict[]>();
  for (const v of verdicts) byBenchmark.set(v.benchmark, [...(byBenchmark.get(v.benchmark) ?? []), v]);
  const worst = (vs: Verdict[]): number => Math.min(...vs.map((v) => KIND_ORDER.indexOf(v.kind)));
  const groups = [...byBenchmark.entries()].map(([name, vs], i) => ({ name, vs, i }));
  groups.sort((a, b) => worst(a.vs) - worst(b.vs) || a.i - b.i);

  const columns = [
    'Runtime',
    ...(metricCol ? ['Metric'] : []),
    'Baseline',
    'PR',
    'Change [CI]',
    'Verdict',
    'Runs',
    'Noise floor',
  ];
  const blocks = groups.map(({ name, vs }): Block => ({
    lead: [`#### ${codeSpan(name)}`, '', ...tableHeader(columns)],
    rowName: ['result row', 'result rows'],
    rows: vs
      .filter((v) => !(omitUnchanged && v.kind === 'unchanged'))
      .map((v) =>
        tableRow([
          codeSpan(v.runtime),
          ...metricCells(v, metricCol),
          escapeMarkdown(formatValue(v.baselineMedian, v.unit)),
          escapeMarkdown(formatValue(v.candidateMedian, v.unit)),
          escapeMarkdown(formatChange(v.ratio, v.interval)),
          formatVerdict(v.kind),
          formatRuns(v.runs),
          v.minDetectable !== undefined ? `±${formatPercent(v.minDetectable)}` : '–',
        ]),
      ),
  }));
  // The "### Results" heading rides on the first block that still has rows.
  const firstShown = blocks.findIndex((b) => b.rows.length > 0);
  return blocks.map((b, i) => (i === firstShown ? { ...b, lead: ['### Results', '', ...b.lead] } : b));
}

function savedBlocks(report: RunReport): Block[] {
  const cells = savedCells(report);
  const failed = cells.filter((c) => c.failure);
  const ok = cells.filter((c) => !c.failure);
  return [
    {
      lead: ['### ❌ Failures (not saved)', '', ...tableHeader(['Benchmark', 'Runtime', 'Failure', 'Message'])],
      rows: failed.map((c) =>
        tableRow([
          ...cellName(c),
          escapeMarkdown(failureKind(c.failure)),
          escapeMarkdown(truncateText(c.failure?.message ?? '', 300)),
        ]),
      ),
    },
    {
      lead: ['### Saved baseline', '', ...tableHeader(['Benchmark', 'Runtime', 'Metric', 'Median', 'Runs'])],
      rows: ok.map((c) =>
        tableRow([
          ...cellName(c),
          escapeMarkdown(c.metric),
          escapeMarkdown(formatValue(c.median, c.unit)),
          String(c.runs),
        ]),
      ),
    },
  ];
}

// ── tail: bounded sections always kept ──────────────────────────────────────────────────────────────

/** Tables across runtimes, computed from the samples: the runtimes side by side, and where the time goes. */
function runtimeSections(report: RunReport): string[] {
  const resources = resourceBlock(report, { maxName: 100, collapsed: false, phases: false });
  return [
    renderRuntimeComparison(report),
    renderPhaseTables(report),
    ...(resources ? renderBlocks([resources]) : []),
  ].filter((s) => s !== '');
}

const EXTRAS_LEFT_OUT =
  "> [!NOTE]\n> The trends, the runtime comparison and phase tables were left out (the resource table too) to keep this summary under GitHub's 1 MiB limit; the JSON report (`report-json` output) has every sample they are computed from.";

function tailSections(report: RunReport, extras: readonly string[] = []): string[] {
  return [
    notesSection(report),
    ...extras,
    sizeSection(report),
    aotTable(report),
    cacheTable(report),
    machineSection(report),
    baselineSection(report),
    warningsSection(report),
    `### Reproduce locally\n\n${codeBlock(truncateText(report.reproduce, MAX_REPRODUCE_CHARS), 'sh')}`,
    `<sub>${escapeMarkdown(`${report.tool.name} ${report.tool.version} · started ${report.startedAt} · took ${formatElapsed(report.elapsedMs)}`)}</sub>`,
  ].filter((s) => s !== '');
}

function cellLabel(v: Verdict): string {
  const metric = v.metric === 'wall' ? '' : ` (${escapeMarkdown(v.metric)})`;
  return `${codeSpan(v.benchmark)} on ${codeSpan(v.runtime)}${metric}`;
}

/** Distinct caveats with the cells they touch, plus cells whose noise floor is above their threshold. */
function notesSection(report: RunReport): string {
  const items: string[] = [];
  const machineNote = otherMachineNote(report);
  if (machineNote) items.push(machineNote);

  const byNote = new Map<string, Verdict[]>();
  for (const v of report.verdicts) for (const note of v.notes) byNote.set(note, [...(byNote.get(note) ?? []), v]);
  const notes = [...byNote.entries()];
  for (const [note, vs] of notes.slice(0, MAX_NOTES))
    items.push(`${escapeMarkdown(truncateText(note, 500))} — ${examples(vs)}`);
  if (notes.length > MAX_NOTES)
    items.push(`… and ${plural(notes.length - MAX_NOTES, 'more note')} (see the JSON report)`);

  const underpowered = report.verdicts.filter((v) => v.minDetectable !== undefined && v.minDetectable > v.threshold);
  const [spread, runs] = [underpowered.filter((v) => v.spreadBound), underpowered.filter((v) => !v.spreadBound)];
  if (runs.length > 0) {
    items.push(
      `Noise floor above the threshold: these runs could not resolve a change as small as the threshold, so a real regression of that size may read as inconclusive — ${examples(runs)}. More runs (\`max-runs\`) or a quieter runner help.`,
    );
  }
  if (spread.length > 0) {
    items.push(
      `Session spread above the threshold: judged against main's refreshes, this runner's sessions differ by more than the threshold, so a real regression of that size may read as inconclusive — ${examples(spread)}. More runs do not help; re-measuring the baseline side by side (\`side-by-side: true\`) or a steadier metric (\`cpu\`, \`instructions\`) does.`,
    );
  }
  return items.length > 0 ? `### Notes\n\n${items.map((i) => `- ${i}`).join('\n')}` : '';
}

function examples(vs: Verdict[]): string {
  const shown = vs.slice(0, MAX_NOTE_EXAMPLES).map(cellLabel).join(', ');
  const more = vs.length > MAX_NOTE_EXAMPLES ? `, … (${plural(vs.length, 'cell')} in all)` : '';
  return `${shown}${more}`;
}

function otherMachineNote(report: RunReport): string | undefined {
  const b = report.baseline;
  if (!b || b.machine.cpuModel === report.machine.cpuModel) return undefined;
  const sideBySide =
    b.artifactsFrom === 'none'
      ? 'Its stored samples are compared with this run, so part of any difference may be the machine.'
      : 'The baseline artifacts were re-measured side by side on this runner, so the verdicts do not rest on the stored numbers.';
  return `⚠️ The baseline was measured on another CPU (${codeSpan(b.machine.cpuModel)}; this run: ${codeSpan(report.machine.cpuModel)}). ${sideBySide}`;
}

function machineRows(m: MachineFingerprint): string[][] {
  return [
    ['CPU', codeSpan(m.cpuModel)],
    ['Cores', String(m.cores)],
    ['Memory', escapeMarkdown(formatBytes(m.memory))],
    ['OS / arch', escapeMarkdown(`${m.os} / ${m.arch}`)],
    ['Runner', m.runner ? escapeMarkdown(m.runner) : '–'],
  ];
}

function machineSection(report: RunReport): string {
  const current = machineRows(report.machine);
  const base = report.baseline ? machineRows(report.baseline.machine) : undefined;
  const header = base ? tableHeader(['', 'This run', 'Baseline']) : tableHeader(['', 'This run']);
  const rows = current.map(([label, value], i) => tableRow([label!, value!, ...(base ? [base[i]![1]!] : [])]));
  const runtimes = report.runtimes.map((r) => tableRow([codeSpan(r.id), escapeMarkdown(r.version), codeSpan(r.exe)]));
  const runtimeTable =
    runtimes.length > 0 ? ['', ...tableHeader(['Runtime', 'Version', 'Executable']), ...runtimes] : [];
  return ['### Machine and runtimes', '', ...header, ...rows, ...runtimeTable].join('\n');
}

const ARTIFACTS_FROM: Record<NonNullable<RunReport['baseline']>['artifactsFrom'], string> = {
  'baseline-artifacts input': 'the `baseline-artifacts` input (built in this job), measured side by side with the PR',
  'stored baseline': 'the .wasm files stored in the baseline, measured side by side with the PR',
  none: 'none — the PR is compared with the stored samples',
};

function baselineSection(report: RunReport): string {
  const b = report.baseline;
  if (report.mode === 'baseline') return '';
  if (!b) return '### Baseline\n\nNone found.';
  return [
    '### Baseline',
    '',
    `- Source: ${escapeMarkdown(b.source)}`,
    `- Commit: ${b.commit ? codeSpan(shortSha(b.commit)) : 'unknown'}`,
    `- Created: ${escapeMarkdown(b.createdAt)}`,
    `- Baseline artifacts: ${ARTIFACTS_FROM[b.artifactsFrom]}`,
  ].join('\n');
}

function warningsSection(report: RunReport): string {
  if (report.warnings.length === 0) return '';
  const shown = report.warnings.slice(0, MAX_WARNINGS).map((w) => `- ⚠️ ${escapeMarkdown(truncateText(w, 1000))}`);
  const more =
    report.warnings.length > MAX_WARNINGS
      ? [`- … and ${plural(report.warnings.length - MAX_WARNINGS, 'more warning')}`]
      : [];
  return ['### Warnings', '', ...shown, ...more].join('\n');
}
