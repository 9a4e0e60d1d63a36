// A runtime change in the report: the comparison in the title, each side's build (version, sha256), and the
// suite's geometric-mean change. Pure: measurements / RunReport in, data or Markdown out.
import { measuredRuntimeKey } from '../baseline/build.js';
import type { CellEffect, CellMeasurement, RuntimeBuild } from '../model/measurement.js';
import type { Verdict } from '../model/verdict.js';
import { withoutEffectTag } from '../measure/split-effects.js';
import { percent } from '../compare/notes.js';
import { codeSpan, escapeMarkdown, truncateText } from './escape.js';
import { tableHeader, tableRow } from './markdown-parts.js';
import type { EffectPart, RunReport, RuntimeChange } from './types.js';

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
    const runtime = runtimeOf(m);
    if (out.has(runtime)) continue;
    out.set(runtime, {
      runtime,
      title: comparisonTitle(runtime, m.builds),
      candidate: m.builds.candidate,
      baseline: m.builds.baseline,
      identical: m.builds.candidate.sha256 === m.builds.baseline.sha256,
    });
  }
  for (const change of out.values()) {
    const split = splitOf(change, measurements);
    if (split) change.split = split;
  }
  return [...out.values()];
}

/** The runtime a cell belongs to: its key without the cache temperature and the runtime-change cell's tag. */
function runtimeOf(m: CellMeasurement): string {
  return withoutEffectTag(measuredRuntimeKey(m)).replace(/ \[(cold|warm)\]$/, '');
}

/** The two effects of a noticed upgrade whose PR changed some .wasm too, when its cells were split. */
function splitOf(change: RuntimeChange, measurements: readonly CellMeasurement[]): RuntimeChange['split'] {
  const mine = measurements.filter((m) => m.effect && runtimeOf(m) === change.runtime);
  if (mine.length === 0) return undefined;
  const part = (effect: CellEffect, title: string, arms: string): EffectPart => {
    const cells = mine.filter((m) => m.effect === effect);
    return {
      title,
      arms,
      benchmarks: [...new Set(cells.map((m) => m.benchmark))],
      runtimes: [...new Set(cells.map((m) => m.runtime))],
    };
  };
  const [from, to] = [change.baseline.version, change.candidate.version];
  return {
    program: part(
      'program',
      `program change on ${change.runtime} ${to}`,
      `this PR's .wasm against main's, both on ${change.runtime} ${to}`,
    ),
    runtime: part(
      'runtime',
      `runtime change ${change.runtime} ${from} → ${to} on main's programs`,
      `main's .wasm on ${to} against main's .wasm on ${from}`,
    ),
  };
}

/** Both sides of each runtime change, the A/A note when they are one build, and the suite's change. */
export function renderRuntimeChanges(
  report: Pick<RunReport, 'runtimeChanges' | 'suiteChanges'> & Partial<Pick<RunReport, 'verdicts'>>,
): string {
  const changes = report.runtimeChanges ?? [];
  if (changes.length === 0) return '';
  const changed = changes.flatMap((c) => [...changedLine(c), ...splitLines(c, report.verdicts ?? [])]);
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
  const why = !baseline.noticed
    ? ''
    : c.split
      ? ` (the stored baseline was measured on ${from})`
      : ` (the stored baseline was measured on ${from}: main's .wasm runs on ${from}, this PR's on ${to}, side by side)`;
  return [`**runtime changed: ${name} ${from} → ${to}**${why}`];
}

/** At most this many benchmarks named per effect; the tables below have every cell. */
const SPLIT_SHOWN = 10;

/**
 * A split runtime change: each effect's title, what its arms ran, and each benchmark's verdict on the first
 * metric it gates (all metrics are in the tables below, under the runtime ids named here).
 */
function splitLines(c: RuntimeChange, verdicts: readonly Verdict[]): string[] {
  if (!c.split) return [];
  const { program, runtime } = c.split;
  const names = program.benchmarks.slice(0, SPLIT_SHOWN).map((b) => codeSpan(truncateText(b, 100)));
  const more = program.benchmarks.length > SPLIT_SHOWN ? ` and ${program.benchmarks.length - SPLIT_SHOWN} more` : '';
  const head = `**The .wasm changed too** (${names.join(', ')}${more}), **so each effect is measured apart** on those benchmarks; both go through the same paired engine, with every cell under one multiple-comparison correction, and both gate:`;
  return [[head, '', effectLine(program, verdicts), effectLine(runtime, verdicts)].join('\n')];
}

function effectLine(part: EffectPart, verdicts: readonly Verdict[]): string {
  const ids = part.runtimes.map((r) => codeSpan(truncateText(r, 100))).join(', ');
  const cells = part.benchmarks.slice(0, SPLIT_SHOWN).map((b) => {
    const v = verdicts.find((x) => x.benchmark === b && part.runtimes.includes(x.runtime));
    return `${codeSpan(truncateText(b, 100))} ${v ? verdictText(v) : 'not judged'}`;
  });
  return `- **${escapeMarkdown(truncateText(part.title, 200))}** (${escapeMarkdown(truncateText(part.arms, 200))}; rows ${ids}): ${cells.join('; ') || 'no cells'}`;
}

function verdictText(v: Verdict): string {
  const signed = (r: number) => `${r >= 1 ? '+' : '−'}${percent(Math.abs(r - 1))}`;
  const change = v.ratio !== undefined ? ` ${signed(v.ratio)}` : '';
  const interval = v.interval ? ` [${signed(v.interval[0])}, ${signed(v.interval[1])}]` : '';
  return `${escapeMarkdown(v.metric)}${change}${interval} **${v.kind}**`;
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
