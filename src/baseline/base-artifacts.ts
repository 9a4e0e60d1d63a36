// Which .wasm is "the baseline" of each benchmark when it is re-measured side by side on this runner.
import type { BenchmarkSpec } from '../model/plan.js';
import type { BaselineDoc } from './types.js';
import { writeBaselineArtifacts } from './write-artifacts.js';

export interface BaseArtifacts {
  /** benchmark id → baseline .wasm on disk */
  paths: Map<string, string>;
  /** benchmark id → its sha256 (for A/A detection) */
  sha256: Record<string, string>;
  from: 'baseline-artifacts input' | 'stored baseline' | 'none';
}

/** From the stored baseline: each benchmark's own artifact, written back to `dir`. */
export function baseArtifactsFromDoc(
  doc: BaselineDoc,
  benchmarks: readonly BenchmarkSpec[],
  dir: string,
): BaseArtifacts {
  const written = writeBaselineArtifacts(doc, dir);
  const paths = new Map<string, string>();
  const sha256: Record<string, string> = {};
  for (const b of benchmarks) {
    const entry = doc.entries.find((e) => e.benchmark === b.id);
    const path = entry && written.get(entry.artifactSha256);
    if (entry && path) {
      paths.set(b.id, path);
      sha256[b.id] = entry.artifactSha256;
    }
  }
  return { paths, sha256, from: paths.size ? 'stored baseline' : 'none' };
}

/**
 * From the `baseline-artifacts` input (built from the merge-base in this job): each candidate is matched
 * with the base file sharing the longest trailing run of path segments (`build/x/a.wasm` ↔ `base/x/a.wasm`);
 * a tie is ambiguous and left unmatched.
 */
export function matchBaseArtifacts(
  benchmarks: readonly BenchmarkSpec[],
  baseFiles: readonly string[],
  sha: (file: string) => string,
): BaseArtifacts {
  const paths = new Map<string, string>();
  const sha256: Record<string, string> = {};
  for (const b of benchmarks) {
    const best = bestMatch(b.artifact, baseFiles);
    if (best) {
      paths.set(b.id, best);
      sha256[b.id] = sha(best);
    }
  }
  return { paths, sha256, from: paths.size ? 'baseline-artifacts input' : 'none' };
}

function bestMatch(candidate: string, files: readonly string[]): string | undefined {
  const scored = files.map((f) => ({ f, n: sharedTail(candidate, f) })).filter((s) => s.n > 0);
  const top = Math.max(0, ...scored.map((s) => s.n));
  const winners = scored.filter((s) => s.n === top);
  return winners.length === 1 ? winners[0]!.f : undefined;
}

function sharedTail(a: string, b: string): number {
  const sa = a.split(/[\\/]/).reverse();
  const sb = b.split(/[\\/]/).reverse();
  let n = 0;
  while (n < sa.length && n < sb.length && sa[n] === sb[n]) n++;
  return n;
}
