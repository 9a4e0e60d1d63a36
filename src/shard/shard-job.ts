// The I/O edge of a shard: measure this shard's cells (the first half of the pipeline), write the partial
// report, upload it as an artifact. No comment, no check, no gate: only its own failures fail the step.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Plan } from '../model/plan.js';
import { platformLabel } from '../baseline/platform.js';
import { partialArtifactName, uploadPartial } from '../github/artifacts.js';
import { measureRun, type GateIO } from '../pipeline/run-gate.js';
import { TOOL_VERSION } from '../model/version.js';
import { buildPartial } from './partial-report.js';
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
  mkdirSync(dirname(full.report.jsonPath), { recursive: true });
  writeFileSync(full.report.jsonPath, text);
  if (opts.upload) {
    const r = await uploadPartial(name, text, dirname(full.report.jsonPath) + '/partial-upload');
    io.log(`uploaded ${name} (${r.size ?? text.length} bytes, artifact ${r.id ?? '?'})`);
  }
  const failed = run.measurements.filter((m) => m.candidate.failure).map((m) => `${m.benchmark} on ${m.runtime}`);
  return { failed, artifact: name };
}
