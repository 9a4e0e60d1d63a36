// One report, several formats behind one call (as hyperfine's exporters): the job summary's Markdown,
// the JSON document, and the terminal table.
import { renderJson } from './json-report.js';
import { renderSummary } from './summary-markdown.js';
import { renderTerminal } from './terminal-table.js';
import type { RunReport } from './types.js';

export type ReportFormat = 'markdown' | 'json' | 'terminal';

export interface RenderOptions {
  /** terminal only: ANSI colours */
  color?: boolean;
}

export function renderReport(format: ReportFormat, report: RunReport, opts: RenderOptions = {}): string {
  if (format === 'json') return renderJson(report);
  if (format === 'markdown') return `${renderSummary(report)}\n`;
  return `${renderTerminal(report, { color: opts.color ?? false })}\n`;
}
