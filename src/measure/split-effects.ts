// A noticed runtime upgrade whose PR changed the .wasm too: each changed benchmark's cell becomes two, so the
// reader sees which change moved the number (docs/adrs/0019-program-and-runtime-effects.md). Pure.
//   program change: this PR's .wasm against main's, both on the PR's runtime version (an ordinary PR's cell)
//   runtime change: main's .wasm on the PR's version against main's .wasm on main's version
// Both are ordinary side-by-side cells of the paired, interleaved engine, judged with every other cell (Holm).
import type { CellEffect } from '../model/measurement.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import type { CellJob } from './measuring-loop.js';

/** What the runtime-change cell's runtime id carries (before `@version`): its candidate arm runs main's .wasm. */
export const MAIN_PROGRAMS_TAG = " [main's programs]";

/** The runtime key without the runtime-change cell's tag: the runtime the split belongs to. */
export function withoutEffectTag(key: string): string {
  return key.endsWith(MAIN_PROGRAMS_TAG) ? key.slice(0, -MAIN_PROGRAMS_TAG.length) : key;
}

/**
 * Splits each cell of a noticed upgrade whose benchmark's .wasm changed (`changed`: benchmark ids whose PR
 * artifact differs from main's) into the program-change cell and the runtime-change cell; other cells as they were.
 */
export function splitEffects(jobs: readonly CellJob[], changed: ReadonlySet<string>): CellJob[] {
  return jobs.flatMap((job): CellJob[] => {
    if (!splits(job, changed)) return [job];
    const { baseRuntime: _other, builds: _builds, ...plain } = job;
    const program: CellJob = { ...plain, effect: 'program' };
    const runtime: CellJob = {
      ...job,
      // the candidate arm runs main's .wasm on the PR's version; the baseline arm main's .wasm on main's
      bench: { ...job.bench, artifact: job.baseArtifact! },
      runtime: taggedRuntime(job.runtime),
      effect: 'runtime',
    };
    return [program, runtime];
  });
}

function splits(job: CellJob, changed: ReadonlySet<string>): boolean {
  return (
    job.builds?.baseline.noticed === true &&
    job.baseRuntime !== undefined &&
    job.baseArtifact !== undefined &&
    !job.size &&
    changed.has(job.bench.id)
  );
}

/** `wazero@1.12.0` → `wazero [main's programs]@1.12.0`, its key `wazero` → `wazero [main's programs]`. */
function taggedRuntime(runtime: ResolvedRuntime): ResolvedRuntime {
  const suffix = `@${runtime.version}`;
  const id = runtime.id.endsWith(suffix)
    ? `${runtime.id.slice(0, -suffix.length)}${MAIN_PROGRAMS_TAG}${suffix}`
    : `${runtime.id}${MAIN_PROGRAMS_TAG}`;
  return { ...runtime, id, ref: { ...runtime.ref, id: `${runtime.ref.id}${MAIN_PROGRAMS_TAG}` } };
}

/** The benchmarks split, per runtime key, for the log line. */
export function splitSummary(jobs: readonly CellJob[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const j of jobs) {
    if (j.effect !== ('runtime' satisfies CellEffect)) continue;
    const key = withoutEffectTag(j.runtime.ref.id).replace(/ \[(cold|warm)\]$/, '');
    const list = out.get(key) ?? [];
    if (!list.includes(j.bench.id)) list.push(j.bench.id);
    out.set(key, list);
  }
  return out;
}
