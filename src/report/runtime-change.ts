// A runtime change in the report: the comparison in the title, each side's build (version, sha256), and the
// suite's geometric-mean change. Pure: measurements / RunReport in, data or Markdown out.
import { measuredRuntimeKey } from '../baseline/build.js';
import type { CellMeasurement, RuntimeBuild } from '../model/measurement.js';
import { codeSpan, escapeMarkdown, truncateText } from './escape.js';
import { tableHeader, tableRow } from './markdown-parts.js';
import type { RunReport, RuntimeChange } from './types.js';

/** The comparison as a title: `wasmtime: this PR's build vs main's build`, `wasmi: 2.0.0 vs 0.32.3`. */
export function comparisonTitle(runtime: string, builds: { candidate: RuntimeBuild; baseline: RuntimeBuild }): string {
  const { candidate, baseline } = builds;
  if (candidate.from !== 'path' && baseline.from !== 'path')
    return `${runtime}: ${candidate.version} vs ${baseline.version}`;
  if (candidate.version === baseline.version) return `${runtime}: ${candidate.label} vs ${baseline.label}`;
  return `${runtime}: ${candidate.label} (${candidate.version}) vs ${baseline.label} (${baseline.version})`;
}

/** One entry per runtime measured on two builds (its cells carry `builds`); ` [cold]` / ` [warm]` cells are one runtime. */
export function runtimeChangesOf(measurements: readonly CellMeasurement[]): RuntimeChange[] {
  const out = new Map<string, RuntimeChange>();
  for (const m of measurements) {
    if (!m.builds) continue;
    const runtime = measuredRuntimeKey(m).replace(/ \[(cold|warm)\]$/, '');
    if (out.has(runtime)) continue;
    out.set(runtime, {
      runtime,
      title: comparisonTitle(runtime, m.builds),
      candidate: m.builds.candidate,
      baseline: m.builds.baseline,
      identical: m.builds.candidate.sha256 === m.builds.baseline.sha256,
    });
  }
  return [...out.values()];
}

/** Both sides of each runtime change, the A/A note when they are one build, and the suite's change. */
export function renderRuntimeChanges(report: Pick<RunReport, 'runtimeChanges' | 'suiteChanges'>): string {
  const changes = report.runtimeChanges ?? [];
  if (changes.length === 0) return '';
  const changed = changes.flatMap((c) => changedLine(c));
  const lines = [...tableHeader(['Runtime', 'Side', 'Build', 'Version', 'sha256'])];
  for (const c of changes) {
    for (const [side, b] of [
      ['PR', c.candidate],
      ['baseline', c.baseline],
    ] as const) {
      lines.push(
        tableRow([
          codeSpan(truncateText(c.runtime, 100)),
          side,
          escapeMarkdown(truncateText(b.label, 100)),
          codeSpan(truncateText(b.version, 100)),
          codeSpan(b.sha256),
        ]),
      );
    }
  }
  const notes = changes
    .filter((c) => c.identical)
    .map(
      (c) =>
        `> [!NOTE]\n> ${codeSpan(truncateText(c.runtime, 100))}: the two builds are identical (same sha256), so this is an A/A run: any change shown is the runner's noise.`,
    );
  const suite = suiteLines(report);
  return [...changed, lines.join('\n'), ...notes, ...(suite ? [suite] : [])].join('\n\n');
}

/** `runtime changed: wasmtime 48.0.0 → 49.0.3` for two releases, and why when nobody asked for main's. */
function changedLine(c: RuntimeChange): string[] {
  const { candidate, baseline } = c;
  if (candidate.from === 'path' || baseline.from === 'path' || candidate.version === baseline.version) return [];
  const name = escapeMarkdown(truncateText(c.runtime, 100));
  const [from, to] = [baseline.version, candidate.version].map((v) => escapeMarkdown(truncateText(v, 100)));
  const why = baseline.noticed
    ? ` (the stored baseline was measured on ${from}: main's .wasm runs on ${from}, this PR's on ${to}, side by side)`
    : '';
  return [`**runtime changed: ${name} ${from} → ${to}**${why}`];
}

/** `Suite (geometric mean over 12 benchmarks): wall +8.1% [+6.0%, +10.3%]` per runtime and metric. */
function suiteLines(report: Pick<RunReport, 'suiteChanges'>): string {
  const rows = (report.suiteChanges ?? []).map((s) => {
    const pct = (r: number) => `${r >= 1 ? '+' : '−'}${Math.abs((r - 1) * 100).toFixed(1)}%`;
    const left = s.leftOut > 0 ? `; ${s.leftOut} left out (failed or no interval)` : '';
    return `- ${codeSpan(truncateText(s.runtime, 100))} ${escapeMarkdown(s.metric)}: **${pct(s.ratio)}** [${pct(s.interval[0])}, ${pct(s.interval[1])}] (${Math.round(s.confidence * 100)}% interval; geometric mean over ${s.cells} ${s.cells === 1 ? 'benchmark' : 'benchmarks'}${left})`;
  });
  return rows.length ? ['**Suite change** (PR ÷ baseline):', '', ...rows].join('\n') : '';
}
