// The partial report's schema. A partial report may come from a fork's job, so it is untrusted data:
// every field is typed and bounded here, and nothing in it is ever executed or used as a path.
import { z } from 'zod';
import { cellHistorySchema, entrySchema, machineSchema, storedRuntimeSchema } from '../baseline/schema.js';

export const PARTIAL_SCHEMA = 'wasm-perf-gate/partial-report';
export const PARTIAL_VERSION = 1;

const name = z.string().min(1).max(500);
const text = z.string().max(20_000);
const finite = z.number().finite();
const sha256 = z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256');

const runtimeRef = z.object({
  name,
  variant: name.optional(),
  version: name.optional(),
  path: text.optional(),
  flags: z.array(text).max(100),
  command: z.array(text).max(100).optional(),
  id: name,
});

const benchmark = z.object({
  id: name,
  artifact: text,
  artifactRel: text,
  args: z.array(text).max(1000),
  env: z.record(z.string().max(500), text),
  stdin: text.optional(),
  dir: text.optional(),
  // a benchmark gating only size metrics has no runtime (docs/size.md)
  runtimes: z.array(runtimeRef).max(100),
  threshold: finite.nonnegative(),
  metrics: z.array(name).min(1).max(50),
  programMetrics: z
    .array(
      z.object({
        name,
        pattern: text.optional(),
        json: text.optional(),
        unit: z.string().max(50),
        direction: z.enum(['lower', 'higher']),
        threshold: finite.nonnegative().optional(),
      }),
    )
    .max(50),
  thresholds: z.record(name, finite.nonnegative()),
  thresholdBytes: finite.nonnegative().optional(),
  thresholdsBytes: z.record(name, finite.nonnegative()).optional(),
  aot: z.boolean().optional(),
});

const failure = z.object({
  kind: z.enum(['exit', 'trap', 'load', 'runtime', 'timeout', 'spawn', 'output', 'wrong-output', 'cancelled']),
  exitCode: z.number().int().optional(),
  signal: z.string().max(50).optional(),
  message: text,
  stdoutHead: text,
  stdoutTail: text.optional(),
  stderrTail: text,
});

const sample = z.object({
  values: z.record(name, finite),
  exitCode: z.number().int(),
  signal: z.string().max(50).optional(),
  round: z.number().int().nonnegative(),
  context: z
    .object({ involuntaryContextSwitches: finite.nonnegative().optional(), core: z.number().int().min(0).optional() })
    .optional(),
});

const arm = z.object({
  arm: z.enum(['candidate', 'baseline']),
  samples: z.array(sample).max(100_000),
  warmups: z.number().int().nonnegative(),
  failure: failure.optional(),
  excluded: z.array(sample).max(100_000).optional(),
});

const sizeChange = z.object({
  kind: z.enum(['function', 'data']),
  name: text,
  baseline: finite.nonnegative().optional(),
  candidate: finite.nonnegative().optional(),
});
const count = z.number().int().nonnegative();
const sizeReport = z.object({
  sections: z
    .array(
      z.object({ name: text, baseline: finite.nonnegative().optional(), candidate: finite.nonnegative().optional() }),
    )
    .max(1000),
  grew: z.array(sizeChange).max(100),
  shrank: z.array(sizeChange).max(100),
  counts: z.object({ grew: count, shrank: count, added: count, removed: count }),
  names: z.enum(['names', 'stripped']),
  noBaseline: z.literal(true).optional(),
});

const aotFigures = z.object({ compileMs: z.array(finite).max(10_000), sizeBytes: finite.nonnegative() });

const measurement = z.object({
  benchmark: name,
  runtime: name,
  runtimeVersion: z.string().max(200),
  runtimeKey: name.optional(),
  candidate: arm,
  baseline: arm.optional(),
  builds: z
    .object({
      candidate: z.object({
        label: text,
        version: z.string().max(200),
        sha256,
        from: z.enum(['path', 'version', 'default']),
      }),
      baseline: z.object({
        label: text,
        version: z.string().max(200),
        sha256,
        from: z.enum(['path', 'version', 'default']),
        noticed: z.boolean().optional(),
      }),
    })
    .optional(),
  noBaseline: text.optional(),
  effect: z.enum(['program', 'runtime']).optional(),
  schedule: z.enum(['single', 'interleaved', 'duet', 'pinned', 'sequential']),
  elapsedMs: finite.nonnegative(),
  stopReason: z.enum(['minimum', 'converged', 'max-runs', 'max-time', 'hard-max-time', 'failure']).optional(),
  notes: z.array(text).max(100).optional(),
  cache: z
    .object({
      requested: z.enum(['cold', 'warm', 'both']),
      mode: z.enum(['cold', 'warm', 'none']),
      how: z.enum(['fresh-dir', 'off', 'primed-dir', 'default', 'none']),
    })
    .optional(),
  aot: aotFigures.extend({ baseline: aotFigures.optional() }).optional(),
  instructions: z
    .object({
      source: z.enum(['perf', 'cachegrind']),
      candidate: z.array(finite).max(10_000),
      baseline: z.array(finite).max(10_000).optional(),
    })
    .optional(),
  disturbance: z.object({ excluded: z.number().int().nonnegative(), kept: z.number().int().nonnegative() }).optional(),
  budget: z.object({ firstPassMs: finite.nonnegative(), resumed: z.literal(true) }).optional(),
  gated: z.array(name).max(50).optional(),
  usage: z.enum(['launcher', 'gnu-time', 'bsd-time']).optional(),
  size: sizeReport.optional(),
});

const cell = z.object({ benchmark: name, runtime: name });

export const partialReportSchema = z.object({
  schema: z.literal(PARTIAL_SCHEMA),
  version: z.literal(PARTIAL_VERSION),
  tool: z.string().max(50),
  mode: z.enum(['compare', 'baseline']),
  shard: z.object({ index: z.number().int().min(1).max(256), count: z.number().int().min(1).max(256) }),
  /** every shard's cells as this shard computed the partition (so a missing shard's cells can be named) */
  partition: z.array(z.array(cell).max(100_000)).max(256),
  /** what the shard's job claims about its trigger: compared with the trusted event, never believed */
  claims: z.object({ commit: z.string().max(100).optional(), pullRequest: z.number().int().optional() }),
  benchmarks: z.array(benchmark).max(100_000),
  /** candidate artifacts: sha256 always; bytes (base64) only when building a baseline */
  artifacts: z.array(z.object({ path: text, rel: text, sha256, base64: z.string().optional() })).max(100_000),
  runtimes: z.array(z.object({ id: name, version: z.string().max(200), exe: text })).max(100),
  baseline: z
    .object({
      source: z.object({ kind: z.enum(['file', 'actions-cache']), location: text }),
      createdAt: z.iso.datetime(),
      commit: z.string().max(100).optional(),
      machine: machineSchema,
      /** the stored entries of this shard's cells (shard 1 also carries those no shard plans) */
      entries: z.array(entrySchema).max(100_000),
      /** the stored history of the same cells, so a sharded refresh carries main's history forward */
      history: z.array(cellHistorySchema).max(100_000).optional(),
    })
    .optional(),
  base: z.object({
    sha256: z.record(name, sha256),
    from: z.enum(['baseline-artifacts input', 'stored baseline', 'none']),
  }),
  measurements: z.array(measurement).max(100_000),
  /**
   * A refresh: the `under-test` builds this shard measured, by runtime key, to store with the baseline. Trusted
   * only as far as the refresh is (the report job refuses a refresh unless its event may write the baseline);
   * a PR runs one only after its bytes hash to the stored sha256 (baseline/stored-build.ts).
   */
  storedRuntimes: z.record(name, storedRuntimeSchema).optional(),
  machine: machineSchema,
  warnings: z.array(text).max(1000),
  startedAt: finite,
});

export type PartialReport = z.infer<typeof partialReportSchema>;
