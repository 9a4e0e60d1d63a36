// Where the time goes, per runtime: the WASI launcher's phases (compile, instantiate, execute) beside the
// whole process's wall time and peak memory, medians of the build under test. Pure: RunReport in, Markdown out.
// Only node/bun/deno report phases (through the launcher); every other runtime in the section says why it has none
// ("not available on RUNTIME because …", from its descriptor) instead of a row of dashes.
import type { CellMeasurement, Sample } from '../model/measurement.js';
import type { RunReport } from './types.js';
import { codeSpan, escapeMarkdown, truncateText } from './escape.js';
import { formatMs } from '../model/format.js';
import { median, metricMedian, tableHeader, tableRow } from './markdown-parts.js';
import { MEMORY_COLUMN, hasPeakRss, peakRssCell } from './memory-column.js';
import { describe } from '../runtimes/registry.js';

export const PHASES = ['compile', 'instantiate', 'execute'] as const;

export interface PhaseRow {
  benchmark: string;
  /** medians (ms) by phase; a phase the launcher did not record (e.g. a load failure) is absent */
  phases: Partial<Record<(typeof PHASES)[number], number>>;
  /** median of each run's compile + instantiate + execute: the time inside the runtime's JIT and the program */
  total?: number;
  wall?: number;
  /** median of the measured region (bench.start → bench.end), for modules that mark one */
  region?: number;
  samples: readonly Sample[];
}

function hasPhases(samples: readonly Sample[]): boolean {
  return samples.some((s) => PHASES.some((p) => s.values[p] !== undefined));
}

/**
 * Per run, then the median: medians of the three phases need not add up to the median of their sum, and
 * the sum per run is the figure that matches one process's wall time.
 */
function phasesTotal(samples: readonly Sample[]): number | undefined {
  const totals = samples.flatMap((s) => {
    const parts = PHASES.map((p) => s.values[p]);
    return parts.every((v): v is number => v !== undefined) ? [parts.reduce((a, b) => a + b, 0)] : [];
  });
  return median(totals);
}

function phaseRow(m: CellMeasurement): PhaseRow {
  const samples = m.candidate.samples;
  const phases: PhaseRow['phases'] = {};
  for (const p of PHASES) {
    const value = metricMedian(samples, p);
    if (value !== undefined) phases[p] = value;
  }
  const total = phasesTotal(samples);
  const wall = metricMedian(samples, 'wall');
  const region = metricMedian(samples, 'region');
  return {
    ...(region !== undefined ? { region } : {}),
    benchmark: m.benchmark,
    phases,
    samples,
    ...(total !== undefined ? { total } : {}),
    ...(wall !== undefined ? { wall } : {}),
  };
}

/** Runtime → its rows, in measured order; cells without phase, region or memory samples are left out. */
export function phaseRows(measurements: readonly CellMeasurement[]): Map<string, PhaseRow[]> {
  const byRuntime = new Map<string, PhaseRow[]>();
  for (const m of measurements) {
    const samples = m.candidate.samples;
    if (!hasPhases(samples) && !hasPeakRss(samples) && metricMedian(samples, 'region') === undefined) continue;
    byRuntime.set(m.runtime, [...(byRuntime.get(m.runtime) ?? []), phaseRow(m)]);
  }
  return byRuntime;
}

const MAX_NAME_CHARS = 100;

function name(text: string): string {
  return codeSpan(truncateText(text, MAX_NAME_CHARS, 'middle'));
}

function ms(value: number | undefined): string {
  return value === undefined ? '–' : escapeMarkdown(formatMs(value));
}

/**
 * "Compile, instantiate and execute are not available on X because …" (the reason from X's descriptor: trusted
 * text, never the report's), or '' for a runtime that has them. An id that names no registry runtime is custom.
 */
function noPhasesLine(runtime: string, rows: readonly PhaseRow[]): string {
  if (rows.some((r) => hasPhases(r.samples))) return '';
  const registryName = /^[a-z0-9]+/.exec(runtime)?.[0] ?? '';
  const why =
    describe(registryName)?.phasesUnavailable ??
    describe('custom')?.phasesUnavailable ??
    'only the node/bun/deno launcher times them';
  return `Compile, instantiate and execute are not available on ${name(runtime)} because ${why}.`;
}

/**
 * The `### Phases and memory` section (one table per runtime), or '' when no cell has phase samples and none
 * marks a region (a kernel or a bench.start/bench.end module: there the phases are what one looks for).
 */
export function renderPhaseTables(report: RunReport): string {
  const byRuntime = phaseRows(report.measurements);
  const rows = [...byRuntime.values()].flat();
  if (!rows.some((r) => hasPhases(r.samples) || r.region !== undefined)) return '';
  const memory = rows.some((r) => hasPeakRss(r.samples));
  const region = rows.some((r) => r.region !== undefined);
  const columns = [
    'Benchmark',
    'Compile',
    'Instantiate',
    'Execute',
    'Phases total',
    ...(region ? ['Region'] : []),
    'Wall',
    ...(memory ? [MEMORY_COLUMN] : []),
  ];
  const tables = [...byRuntime.entries()].map(([runtime, runtimeRows]) => {
    const why = noPhasesLine(runtime, runtimeRows);
    return [
      `#### ${name(runtime)}`,
      '',
      ...(why ? [why, ''] : []),
      ...tableHeader(columns),
      ...runtimeRows.map((r) =>
        tableRow([
          name(r.benchmark),
          ...PHASES.map((p) => ms(r.phases[p])),
          ms(r.total),
          ...(region ? [ms(r.region)] : []),
          ms(r.wall),
          ...(memory ? [peakRssCell(r.samples)] : []),
        ]),
      ),
    ].join('\n');
  });
  const intro =
    'Medians of the build under test, measured inside the WASI launcher: compile (`WebAssembly.compile`), instantiate, ' +
    'execute (`_start`). Phases total = compile + instantiate + execute of each run; wall = the whole process, so ' +
    `wall − phases total is the runtime's own start-up${region ? '; region = the time between bench.start and bench.end, summed' : ''}${memory ? `; ${MEMORY_COLUMN} = the process's peak resident memory` : ''}.`;
  return ['### Phases and memory', '', intro, '', tables.join('\n\n')].join('\n');
}
