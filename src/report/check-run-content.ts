// The check run's conclusion, title and summary, from the report. Pure; the summary is the comment's
// rendering (no marker) fitted to the Checks API's 65,535-character output.summary.
import type { GateOutcome } from '../compare/gate.js';
import { renderComment } from './comment-markdown.js';
import { headlineTitle } from './markdown-parts.js';
import type { RunReport } from './types.js';

export const CHECK_SUMMARY_MAX_CHARS = 65_535;

export interface CheckRunContent {
  conclusion: 'success' | 'failure' | 'neutral';
  title: string;
  summary: string;
}

export function checkRunContent(report: RunReport, outcome: GateOutcome, summaryUrl?: string): CheckRunContent {
  const conclusion = outcome.shouldFail ? 'failure' : report.headline === 'no-baseline' ? 'neutral' : 'success';
  // The comment starts with the marker line and the heading; the check shows the title on its own.
  const body = renderComment(report, { marker: '', summaryUrl, maxChars: CHECK_SUMMARY_MAX_CHARS });
  const summary = body.replace(/^\n### [^\n]*\n\n?/, '');
  return { conclusion, title: headlineTitle(report), summary };
}
