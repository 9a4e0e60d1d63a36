// Shards of a platform matrix (pure): each platform is its own set of cells with its own baseline. Several
// platforms' merged shards become one run whose cells carry their platform, judged together (Holm over all).
import type { BaselineDoc, BaselineLoad } from '../baseline/types.js';
import type { CellMeasurement } from '../model/measurement.js';
import type { GateResult } from '../pipeline/run-gate.js';
import type { MergedShards } from './merge.js';

/**
 * A cell's runtime when several platforms are present: `node (linux-arm64)@22.1.0`. The platform goes before
 * the version, since cells are keyed by the runtime id up to its `@`.
 */
export function runtimeOnPlatform(runtime: string, platform: string): string {
  const at = runtime.indexOf('@');
  return at < 0 ? `${runtime} (${platform})` : `${runtime.slice(0, at)} (${platform})${runtime.slice(at)}`;
}

/** One run from each platform's merged shards; every runtime id gets its platform so cells never collide. */
export function combinePlatforms(groups: readonly { platform: string; merged: MergedShards }[]): MergedShards {
  const renamed = groups.map(({ platform, merged }) => tagPlatform(merged, platform));
  const first = renamed[0]!;
  const benchmarks = new Map<string, MergedShards['benchmarks'][number]>();
  for (const g of renamed) {
    for (const b of g.benchmarks) {
      const seen = benchmarks.get(b.id);
      if (seen) seen.runtimes.push(...b.runtimes.filter((r) => !seen.runtimes.some((s) => s.id === r.id)));
      else benchmarks.set(b.id, { ...b, runtimes: [...b.runtimes] });
    }
  }
  const runs = renamed.map((g) => g.run);
  return {
    mode: first.mode,
    benchmarks: [...benchmarks.values()],
    missingShards: renamed.flatMap((g) => g.missingShards),
    run: {
      startedAt: Math.min(...runs.map((r) => r.startedAt)),
      warnings: runs.flatMap((r) => r.warnings),
      runtimes: runs.flatMap((r) => r.runtimes),
      artifacts: new Map(runs.flatMap((r) => [...r.artifacts])),
      loaded: combinedBaseline(runs.map((r) => r.loaded)),
      base: {
        sha256: Object.assign({}, ...runs.map((r) => r.base.sha256)),
        from: runs.find((r) => r.base.from !== 'none')?.base.from ?? 'none',
      },
      measurements: runs.flatMap((r) => r.measurements),
      machine: first.run.machine,
    },
  };
}

function tagPlatform(m: MergedShards, platform: string): MergedShards {
  const rt = (id: string) => runtimeOnPlatform(id, platform);
  const doc = m.run.loaded.doc;
  return {
    ...m,
    benchmarks: m.benchmarks.map((b) => ({ ...b, runtimes: b.runtimes.map((r) => ({ ...r, id: rt(r.id) })) })),
    run: {
      ...m.run,
      warnings: m.run.warnings.map((w) => `${platform}: ${w}`),
      runtimes: m.run.runtimes.map((r) => ({ ...r, id: rt(r.id) })),
      measurements: m.run.measurements.map((c) => onPlatform(c, platform)),
      loaded: doc
        ? { ...m.run.loaded, doc: { ...doc, entries: doc.entries.map((e) => ({ ...e, runtime: rt(e.runtime) })) } }
        : m.run.loaded,
    },
  };
}

/** A measurement relabelled for a multi-platform report: display id and cell key both carry the platform. */
export function onPlatform(c: CellMeasurement, platform: string): CellMeasurement {
  const rt = (id: string) => runtimeOnPlatform(id, platform);
  return { ...c, runtime: rt(c.runtime), ...(c.runtimeKey ? { runtimeKey: rt(c.runtimeKey) } : {}), platform };
}

/** The platform a relabelled cell's runtime names, among `platforms`. */
export function platformOfRuntime(runtime: string, platforms: readonly string[]): string | undefined {
  return platforms.find((p) => runtime.includes(` (${p})`));
}

function combinedBaseline(loads: readonly BaselineLoad[]): BaselineLoad {
  const docs = loads.map((l) => l.doc).filter((d): d is BaselineDoc => d !== undefined);
  const first = loads.find((l) => l.doc) ?? loads[0]!;
  if (!first.doc) return first;
  return { ...first, doc: { ...first.doc, entries: docs.flatMap((d) => d.entries) } };
}

/** Platforms judged one by one (a refresh saves one baseline each) → one result for the report. */
export function combineResults(results: readonly GateResult[]): GateResult {
  const first = results[0]!;
  if (results.length === 1) return first;
  const worst = results.find((r) => r.report.headline !== 'baseline-saved') ?? first;
  const outcomes = results.map((r) => r.outcome);
  return {
    report: {
      ...worst.report,
      measurements: results.flatMap((r) => r.report.measurements),
      verdicts: results.flatMap((r) => r.report.verdicts),
      warnings: results.flatMap((r) => r.report.warnings),
    },
    outcome: {
      ...worst.outcome,
      regressions: sum(outcomes.map((o) => o.regressions)),
      likelyRegressions: sum(outcomes.map((o) => o.likelyRegressions)),
      failed: sum(outcomes.map((o) => o.failed)),
      inconclusive: sum(outcomes.map((o) => o.inconclusive)),
      shouldFail: outcomes.some((o) => o.shouldFail),
      reasons: outcomes.flatMap((o) => o.reasons),
    },
    errors: results.flatMap((r) => r.errors),
  };
}

function sum(xs: readonly number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}
