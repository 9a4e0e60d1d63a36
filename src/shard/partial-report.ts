// A shard's measured run ⇄ its partial report (the JSON a report job downloads). Building is pure;
// reading treats the bytes as hostile: size cap first, then JSON, then the schema, one clear line on failure.
import { cellKey } from '../baseline/build.js';
import { oneLine } from '../baseline/one-line.js';
import type { BaselineLoad } from '../baseline/types.js';
import type { BenchmarkSpec, Mode } from '../model/plan.js';
import type { ShardSpec } from '../config/shard.js';
import type { MeasuredRun } from '../pipeline/run-gate.js';
import type { PlannedCell } from '../pipeline/partition.js';
import { PARTIAL_SCHEMA, PARTIAL_VERSION, partialReportSchema, type PartialReport } from './partial-schema.js';

/** Far above a real shard's report (400 cells × 120 runs × 2 arms is a few MB); a bigger one is refused unread. */
export const PARTIAL_MAX_BYTES = 64 * 1024 * 1024;

export interface PartialInput {
  mode: Mode;
  shard: ShardSpec;
  partition: PlannedCell[][];
  benchmarks: BenchmarkSpec[];
  run: MeasuredRun;
  claims: { commit?: string; pullRequest?: number };
  tool: string;
}

export function buildPartial(p: PartialInput): PartialReport {
  const mine = new Set(p.partition[p.shard.index - 1]!.map((c) => cellKey(c.benchmark, c.runtime)));
  const planned = new Set(p.partition.flat().map((c) => cellKey(c.benchmark, c.runtime)));
  // Shard 1 also carries the stored cells no shard plans, so the report can call them `missing`.
  const keep = (key: string) => mine.has(key) || (p.shard.index === 1 && !planned.has(key));
  return {
    schema: PARTIAL_SCHEMA,
    version: PARTIAL_VERSION,
    tool: p.tool,
    mode: p.mode,
    shard: { index: p.shard.index, count: p.shard.count },
    partition: p.partition,
    claims: p.claims,
    benchmarks: p.benchmarks,
    artifacts: [...p.run.artifacts].map(([path, a]) => ({
      path,
      rel: a.rel,
      sha256: a.sha256,
      ...(p.mode === 'baseline' ? { base64: Buffer.from(a.bytes).toString('base64') } : {}),
    })),
    runtimes: p.run.runtimes,
    baseline: baselinePart(p.run.loaded, keep),
    base: p.run.base,
    measurements: p.run.measurements,
    // a refresh: the `under-test` builds this shard measured, stored with the baseline by the report job
    ...(p.mode === 'baseline' && p.run.storedRuntimes ? { storedRuntimes: p.run.storedRuntimes } : {}),
    machine: p.run.machine,
    warnings: p.run.warnings,
    startedAt: p.run.startedAt,
  };
}

function baselinePart(loaded: BaselineLoad, keep: (key: string) => boolean): PartialReport['baseline'] {
  const doc = loaded.doc;
  if (!doc) return undefined;
  return {
    source: loaded.source,
    createdAt: doc.createdAt,
    ...(doc.commit ? { commit: doc.commit } : {}),
    machine: doc.machine,
    entries: doc.entries.filter((e) => keep(cellKey(e.benchmark, e.runtime))),
    ...(doc.history ? { history: doc.history.filter((h) => keep(cellKey(h.benchmark, h.runtime))) } : {}),
  };
}

export type ParsedPartial = { report: PartialReport; problem?: undefined } | { report?: undefined; problem: string };

/** Untrusted bytes → a partial report, or one line saying what is wrong with it (`where` names the artifact). */
export function parsePartial(bytes: Uint8Array, where: string, maxBytes = PARTIAL_MAX_BYTES): ParsedPartial {
  if (bytes.length > maxBytes) {
    return {
      problem: `${where} is ${mib(bytes.length)}, over the ${mib(maxBytes)} limit of a partial report: refused unread`,
    };
  }
  let raw: unknown;
  try {
    raw = JSON.parse(Buffer.from(bytes).toString('utf8'));
  } catch (e) {
    return { problem: `${where} is not JSON (${oneLine(e).slice(0, 120)}): refused` };
  }
  const head = raw as { schema?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || head.schema !== PARTIAL_SCHEMA) {
    return {
      problem: `${where} is not a wasm-perf-gate partial report (no "${PARTIAL_SCHEMA}" schema field): refused`,
    };
  }
  if (head.version !== PARTIAL_VERSION) {
    return {
      problem: `${where} has partial-report version ${String(head.version).slice(0, 20)}, this action reads ${PARTIAL_VERSION}: use the same wasm-perf-gate version in the shard and report jobs`,
    };
  }
  const result = partialReportSchema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    const path = issue.path.map(String).join('.').slice(0, 120) || '(document)';
    return {
      problem: `${where} does not match the partial-report schema at ${path} (${oneLine(issue.message).slice(0, 120)}): refused`,
    };
  }
  return { report: result.data };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
