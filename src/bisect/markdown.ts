// The bisection's job summary (and tracking-issue comment): the answer first — culprit linked with subject and
// author, its change on each followed cell — then every probe. Commit subjects, authors and cell names are
// untrusted (anyone with a merged commit writes them): each goes through report/escape.ts.
import { escapeMarkdown, truncateText } from '../report/escape.js';
import { formatChange, formatMs, plural } from '../model/format.js';
import type { BisectProbe, BisectReport } from './types.js';

/** `repoUrl`: e.g. https://github.com/owner/repo, for commit links (absent: plain short SHAs). */
export function bisectMarkdown(r: BisectReport, repoUrl?: string): string {
  const sha = (s: string) => commitLink(s, repoUrl);
  const lines = [`## wasm-perf-gate bisect: ${headline(r)}`, ''];
  lines.push(
    `${plural(r.commits, 'commit')} after ${sha(r.good)} (good) up to ${sha(r.bad)} (bad); ${plural(r.builds, 'build')}; ` +
      `alpha ${r.alpha} spent over at most ${plural(r.budget, 'measurement')} (${fmtAlpha(r.alphaPerMeasurement)} each).`,
    '',
  );
  for (const a of r.answers) {
    const cells = a.cells.map((c) => `<code>${escapeMarkdown(c)}</code>`).join(', ');
    const commits = a.commits.map((c) => `${sha(c)}${describe(r, c)}`);
    const what =
      a.kind === 'culprit'
        ? `**Culprit** ${commits[0]}`
        : a.kind === 'culprit-range'
          ? `**Culprit in ${plural(a.commits.length, 'adjacent commit')}** (the ones before the last did not build): ${commits.join(', ')}`
          : `**No single culprit**: ${escapeMarkdown(a.why ?? '')}; the change lies in ${rangeText(a.commits, sha)}`;
    lines.push(`- ${what} — ${cells}`);
  }
  if (r.answers.length > 1) lines.push('', 'The followed cells do **not** share one culprit.');
  if (r.followed.length) {
    lines.push('', '| Cell | Change bad vs good | Change at the culprit |', '|---|---|---|');
    const culpritProbe = r.probes.find((p) => p.commit === r.culprit && p.role !== 'good');
    for (const c of r.followed) {
      const at = culpritProbe?.changes.find((x) => x.cell === c.key);
      lines.push(
        `| <code>${escapeMarkdown(c.key)}</code> | ${formatChange(c.ratio, c.interval)} | ${at ? formatChange(at.ratio, at.interval) : '–'} |`,
      );
    }
  }
  lines.push('', '### Probes', '', '| # | Commit | Build | Change vs good | Decision |', '|---|---|---|---|---|');
  for (const p of [...r.probes].sort((a, b) => a.position - b.position)) lines.push(probeRow(p, sha));
  return `${lines.join('\n')}\n`;
}

function headline(r: BisectReport): string {
  switch (r.outcome) {
    case 'culprit':
      return `culprit ${r.culprit!.slice(0, 7)}`;
    case 'culprit-range':
      return 'culprit in a range of adjacent commits';
    case 'ambiguous':
      return 'no single culprit (ambiguous range)';
    case 'split':
      return 'the cells have different culprits';
    case 'does-not-reproduce':
      return 'the change does not reproduce on this runner';
    case 'cancelled':
      return 'cancelled';
  }
}

function probeRow(p: BisectProbe, sha: (s: string) => string): string {
  const build = p.build === 'built' ? `built${p.buildMs !== undefined ? ` (${formatMs(p.buildMs)})` : ''}` : 'skipped';
  const change = p.changes.length
    ? p.changes.map((c) => `${escapeMarkdown(c.cell)}: ${formatChange(c.ratio, c.interval)} (${c.kind})`).join('<br>')
    : '–';
  const subject = escapeMarkdown(truncateText(p.subject, 60));
  const decision = escapeMarkdown(truncateText(p.reason ? `${p.decision}: ${p.reason}` : p.decision, 200));
  return `| ${p.position} | ${sha(p.commit)} ${subject} | ${build} | ${change} | ${decision} |`;
}

function describe(r: BisectReport, commit: string): string {
  const info = r.named[commit];
  if (!info) return '';
  return ` “${escapeMarkdown(truncateText(info.subject, 100))}” by ${escapeMarkdown(truncateText(info.author, 60))}`;
}

function rangeText(commits: readonly string[], sha: (s: string) => string): string {
  return commits.length === 1 ? sha(commits[0]!) : `${sha(commits[0]!)} … ${sha(commits.at(-1)!)}`;
}

function commitLink(sha: string, repoUrl?: string): string {
  const short = `<code>${sha.slice(0, 7)}</code>`;
  return repoUrl && /^[0-9a-f]{40,64}$/.test(sha) ? `[${short}](${repoUrl}/commit/${sha})` : short;
}

function fmtAlpha(a: number): string {
  return a >= 0.001 ? a.toFixed(4) : a.toExponential(1);
}
