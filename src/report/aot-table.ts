// The job summary's AOT section: for cells that ran a runtime's ahead-of-time compiled output, what the
// compile cost (median wall time of its timed compile runs) and how big its output was, PR and baseline.
// The AOT execute time is the cell's wall time in the results above. Pure.
import type { AotFigures } from '../model/measurement.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { formatValue } from '../model/format.js';
import { median, tableHeader, tableRow } from './markdown-parts.js';
import type { RunReport } from './types.js';

/** '' when no cell was compiled ahead of time. */
export function aotTable(report: RunReport): string {
  const cells = report.measurements.filter((m) => m.aot);
  if (cells.length === 0) return '';
  const baseline = cells.some((m) => m.aot?.baseline);
  const columns = [
    'Benchmark',
    'Runtime',
    'Compile (PR)',
    'Output size (PR)',
    ...(baseline ? ['Compile (baseline)', 'Output size (baseline)'] : []),
  ];
  const rows = cells.map((m) =>
    tableRow([
      codeSpan(m.benchmark),
      codeSpan(m.runtime),
      ...figures(m.aot),
      ...(baseline ? figures(m.aot?.baseline) : []),
    ]),
  );
  const lead =
    'The timed runs above ran the compiled output (AOT execute). Compile: median wall time of the compile runs.';
  return ['### Ahead-of-time compilation', '', lead, '', ...tableHeader(columns), ...rows].join('\n');
}

function figures(f: AotFigures | undefined): string[] {
  if (!f) return ['–', '–'];
  const compile = `${formatValue(median(f.compileMs), 'ms')} (${f.compileMs.length}×)`;
  return [escapeMarkdown(compile), escapeMarkdown(formatValue(f.sizeBytes, 'bytes'))];
}
