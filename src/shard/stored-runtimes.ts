// A sharded refresh stores the `under-test` builds with the baseline as an unsharded one does: each shard's
// partial report carries the builds it measured, and the report job merges them (pure). The report job only
// gets here for a refresh when the trusted event may write the baseline (report-job.ts); still, every build is
// checked against its own sha256 and size before it is kept, and a PR runs it only after the same check
// (baseline/stored-build.ts).
import { createHash } from 'node:crypto';
import type { StoredRuntime } from '../baseline/types.js';
import type { PartialReport } from './partial-schema.js';

export interface MergedStoredRuntimes {
  /** by runtime key; undefined when no shard carried one */
  runtimes?: Record<string, StoredRuntime>;
  /** one line per build left out, or per runtime whose shards measured different builds */
  warnings: string[];
}

/**
 * The builds of the shards' partial reports (in shard order): a build whose bytes do not hash to its sha256 or
 * size is left out; when shards carry different builds of one runtime (each job built its own), the lowest
 * shard's is stored and a warning says so.
 */
export function mergeStoredRuntimes(partials: readonly PartialReport[]): MergedStoredRuntimes {
  const out: Record<string, StoredRuntime> = {};
  const from: Record<string, number> = {};
  const warnings: string[] = [];
  const ordered = [...partials].sort((a, b) => a.shard.index - b.shard.index);
  for (const p of ordered) {
    if (p.mode !== 'baseline') continue;
    for (const [key, build] of Object.entries(p.storedRuntimes ?? {})) {
      const who = `shard ${p.shard.index}/${p.shard.count}`;
      const problem = digestProblem(build);
      if (problem) {
        warnings.push(`${who}: the build of ${key} to store with the baseline was left out: ${problem}`);
        continue;
      }
      const kept = out[key];
      if (!kept) {
        out[key] = build;
        from[key] = p.shard.index;
      } else if (kept.sha256 !== build.sha256) {
        warnings.push(
          `${who} measured another build of ${key} (sha256 ${build.sha256.slice(0, 12)}) than shard ${from[key]} (sha256 ${kept.sha256.slice(0, 12)}): shard ${from[key]}'s is stored with the baseline; build the runtime once and hand the same binary to every shard`,
        );
      }
    }
  }
  return { ...(Object.keys(out).length > 0 ? { runtimes: out } : {}), warnings };
}

function digestProblem(build: StoredRuntime): string | undefined {
  const bytes = Buffer.from(build.base64, 'base64');
  const digest = createHash('sha256').update(bytes).digest('hex');
  if (digest === build.sha256 && bytes.length === build.size) return undefined;
  return `its bytes hash to ${digest} (${bytes.length} bytes), but the partial report says sha256 ${build.sha256} (${build.size} bytes)`;
}
