// Change points on main as text: one line for logs and warnings, a section for the job summary,
// and the body of a tracking issue (pure; every name from the config is escaped).
import { CONFIRM_FRESH, type ChangePoint, type ChangePointCell } from '../history/change-points.js';
import { FAST_REFRESHES } from '../history/fast-path.js';
import { escapeMarkdown, plainLine, truncateText } from './escape.js';
import { formatChange, formatPercent, formatPValue, plural, shortSha } from '../model/format.js';

function range(cp: ChangePoint): string {
  const to = cp.commit ? shortSha(cp.commit) : `the refresh of ${cp.date}`;
  return cp.fromCommit ? `${shortSha(cp.fromCommit)}..${to}` : to;
}

function cellText(c: ChangePointCell): string {
  return `${c.metric} on ${c.runtime} ${formatChange(c.ratio, c.interval)} (${foundBy(c)})`;
}

/** Which path found a cell's change point and how sure it is, in words (plain text: no names in it). */
export function foundBy(c: Pick<ChangePointCell, 'path' | 'pValue' | 'threshold'>): string {
  if (c.path === 'fast') {
    const by = c.threshold !== undefined ? ` by more than the ${formatPercent(c.threshold)} threshold` : '';
    return `fast path: ${FAST_REFRESHES} refreshes in a row past the prediction band${by}, ${pText(c.pValue)} each`;
  }
  return `permutation test, ${formatPValue(c.pValue)}, confirmed by ${CONFIRM_FRESH} later refreshes`;
}

/** `p ≤ 0.004` for the fast path's largest p-value (each refresh is at least that surprising). */
function pText(p: number): string {
  return !Number.isFinite(p) ? 'p –' : p < 0.001 ? 'p < 0.001' : `p ≤ ${p.toFixed(3)}`;
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
      escapeMarkdown(foundBy(c)),
      c.runtimeVersions ? escapeMarkdown(`${c.runtimeVersions.before} → ${c.runtimeVersions.after}`) : '',
    ].join(' | '),
  );
  return [
    '| Runtime | Metric | Change [95% CI] | Refreshes before → after | Found by, how sure | Runtime version |',
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

/** How each path that found this change point works, one paragraph each. */
function methods(cp: ChangePoint): string[] {
  const paths = new Set(cp.cells.map((c) => c.path ?? 'permutation'));
  const out: string[] = [];
  if (paths.has('fast'))
    out.push(
      `Fast path: the first ${FAST_REFRESHES} refreshes after the change all lie outside the 95% prediction band of the refreshes since the last change point (their session-to-session spread plus each refresh’s own interval, as a stored-mode verdict judges a session) and beyond every one of those refreshes, none of their runs scattered, and the band around their mean clears the threshold; the change is that mean against the earlier refreshes, with the band as its interval. p is the largest of their t p-values.`,
    );
  if (paths.has('permutation'))
    out.push(
      `Permutation path: binary segmentation of the log refresh medians at the largest drop in 20th-percentile (pinball) loss, permutation test (seeded, reproducible), confirmed by ${CONFIRM_FRESH} later refreshes; the change is the Hodges–Lehmann ratio of the refresh medians on each side with its 95% interval.`,
    );
  return out.flatMap((m, i) => (i === 0 ? [`Method — ${m}`] : ['', m]));
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
    ...methods(cp),
    ...(runUrl ? ['', `Found by [this refresh](${runUrl}).`] : []),
  ].join('\n');
}
