// The I/O edge of a shard: measure this shard's cells (the first half of the pipeline), write the partial
// report, upload it as an artifact. No comment, no check, no gate: only its own failures fail the step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan } from '../model/plan.js';
import { platformLabel } from '../baseline/platform.js';
import { partialArtifactName, uploadPartial } from '../github/artifacts.js';
import { measureRun, type GateIO } from '../pipeline/run-gate.js';
import { TOOL_VERSION } from '../model/version.js';
import { buildPartial, PARTIAL_MAX_BYTES } from './partial-report.js';
import { InputError } from '../model/input-error.js';
import type { StoredRuntime } from '../baseline/types.js';
import { partitionCells, plannedCells } from '../pipeline/partition.js';

export interface ShardJobResult {
  /** cells whose candidate failed to run (a crashed runtime, a trap) */
  failed: string[];
  artifact: string;
}

export async function shardJob(
  full: Plan & { shard: NonNullable<Plan['shard']> },
  io: GateIO,
  opts: { key: string; claims: { commit?: string; pullRequest?: number }; upload: boolean },
): Promise<ShardJobResult> {
  const { plan, run } = await measureRun(full, io);
  const partition = partitionCells(plannedCells(full), full.shard.count, run.loaded.doc);
  const partial = buildPartial({
    mode: full.mode,
    shard: full.shard,
    partition,
    benchmarks: plan.benchmarks,
    run,
    claims: opts.claims,
    tool: TOOL_VERSION,
  });
  const name = partialArtifactName(opts.key, platformLabel(run.machine), full.shard.index, full.shard.count);
  const text = JSON.stringify(partial);
  if (partial.storedRuntimes && text.length > PARTIAL_MAX_BYTES)
    throw tooBigToStore(partial.storedRuntimes, text.length);
  mkdirSync(dirname(full.report.jsonPath), { recursive: true });
  writeFileSync(full.report.jsonPath, text);
  if (opts.upload) {
    const r = await uploadPartial(name, text, dirname(full.report.jsonPath) + '/partial-upload');
    io.log(`uploaded ${name} (${r.size ?? text.length} bytes, artifact ${r.id ?? '?'})`);
  }
  const failed = run.measurements.filter((m) => m.candidate.failure).map((m) => `${m.benchmark} on ${m.runtime}`);
  return { failed, artifact: name };
}

/** A refresh's partial report must reach the report job whole: the builds it carries count against its bound. */
function tooBigToStore(builds: Record<string, StoredRuntime>, bytes: number): InputError {
  const mib = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const sizes = Object.entries(builds).map(([key, b]) => `${key} ${mib(b.size)}`);
  return new InputError(
    'under-test',
    `this shard's partial report is ${mib(bytes)} with the build${sizes.length === 1 ? '' : 's'} it stores (${sizes.join(', ')}), over the ${mib(PARTIAL_MAX_BYTES)} bound of a partial report`,
    'Store a stripped release build (strip, no debug info), or refresh the baseline without shard: k/n.',
  );
}
