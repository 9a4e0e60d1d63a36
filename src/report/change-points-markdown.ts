// Change points on main as text: one line for logs and warnings, a section for the job summary,
// and the body of a tracking issue (pure; every name from the config is escaped).
import type { ChangePoint, ChangePointCell } from '../history/change-points.js';
import { escapeMarkdown, plainLine, truncateText } from './escape.js';
import { formatChange, formatPValue, plural, shortSha } from '../model/format.js';

function range(cp: ChangePoint): string {
  const to = cp.commit ? shortSha(cp.commit) : `the refresh of ${cp.date}`;
  return cp.fromCommit ? `${shortSha(cp.fromCommit)}..${to}` : to;
}

function cellText(c: ChangePointCell): string {
  return `${c.metric} on ${c.runtime} ${formatChange(c.ratio, c.interval)}`;
}

/** Plain text, one line: for warnings and logs. */
export function changePointLine(cp: ChangePoint): string {
  return `change point in ${truncateText(cp.benchmark, 80)} at ${range(cp)}: ${cp.cells.map(cellText).join(', ')}`;
}

/** Issue title: plain text (GitHub shows titles literally) with bidi controls made visible as in the body, bounded. */
export function changePointTitle(cp: ChangePoint): string {
  const first = cp.cells[0];
  const size = first ? ` ${formatChange(first.ratio)} ${first.metric} on ${first.runtime}` : '';
  const more = cp.cells.length > 1 ? ` (+${plural(cp.cells.length - 1, 'more cell')})` : '';
  return truncateText(plainLine(`Performance change in ${cp.benchmark}:${size} at ${range(cp)}${more}`), 240);
}

function table(cp: ChangePoint): string[] {
  const rows = cp.cells.map((c) =>
    [
      escapeMarkdown(truncateText(c.runtime, 60)),
      escapeMarkdown(truncateText(c.metric, 40)),
      escapeMarkdown(formatChange(c.ratio, c.interval)),
      `${c.before.points} → ${c.after.points}`,
      escapeMarkdown(formatPValue(c.pValue)),
      c.runtimeVersions ? escapeMarkdown(`${c.runtimeVersions.before} → ${c.runtimeVersions.after}`) : '',
    ].join(' | '),
  );
  return [
    '| Runtime | Metric | Change [95% CI] | Refreshes before → after | p (permutation) | Runtime version |',
    '|---|---|---|---|---|---|',
    ...rows.map((r) => `| ${r} |`),
  ];
}

/** Job-summary section of a refresh; empty when nothing new was found. */
export function changePointsSection(changePoints: readonly ChangePoint[] | undefined): string {
  if (!changePoints || changePoints.length === 0) return '';
  const parts = changePoints.map((cp) =>
    [`#### ${escapeMarkdown(truncateText(cp.benchmark, 80))} at \`${range(cp)}\``, '', ...table(cp)].join('\n'),
  );
  return [
    '',
    `### 📈 ${plural(changePoints.length, 'new change point')} in the history of main`,
    '',
    ...parts,
    '',
  ].join('\n\n');
}

/** Tracking-issue body; `marker` (hidden) identifies the issue on later refreshes. */
export function changePointIssueBody(cp: ChangePoint, marker: string, runUrl?: string): string {
  const from = cp.fromCommit ? `after \`${cp.fromCommit}\` and ` : '';
  return [
    marker,
    `wasm-perf-gate found a lasting shift in the history of main for **${escapeMarkdown(truncateText(cp.benchmark, 80))}**: it appeared ${from}by \`${cp.commit ?? cp.date}\` (refresh of ${cp.date}).`,
    '',
    ...table(cp),
    '',
    'Method: binary segmentation of the log refresh medians at the largest drop in 20th-percentile (pinball) loss, permutation test (seeded, reproducible), confirmed by 2 later refreshes; the change is the Hodges–Lehmann ratio of the refresh medians on each side with its 95% interval.',
    ...(runUrl ? ['', `Found by [this refresh](${runUrl}).`] : []),
  ].join('\n');
}
