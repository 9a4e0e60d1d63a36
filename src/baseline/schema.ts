// The baseline document's schema and the one entry point that turns stored text into a
// trusted BaselineDoc. Anything wrong becomes a one-line `problem` (never a throw): a bad
// baseline must not break a PR run, it is reported and treated as absent.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { HISTORY_MAX_POINTS } from '../model/history.js';
import { oneLine } from './one-line.js';
import { migrate, MIGRATIONS, type Migration, type RawDoc } from './migrate.js';
import { BASELINE_SCHEMA, BASELINE_VERSION, STORED_RUNTIME_MAX_BYTES, type BaselineDoc } from './types.js';

export const machineSchema = z.object({
  cpuModel: z.string(),
  cores: z.number().int().nonnegative(),
  os: z.string(),
  arch: z.string(),
  memory: z.number().nonnegative(),
  runner: z.string().optional(),
  image: z.string().optional(),
  imageVersion: z.string().optional(),
});

const metricSummarySchema = z.object({
  unit: z.string(),
  direction: z.enum(['lower', 'higher']),
  n: z.number().int().positive(),
  median: z.number(),
  mean: z.number(),
  stddev: z.number().nonnegative(),
  min: z.number(),
  max: z.number(),
  samples: z.array(z.number()).min(1),
});

export const entrySchema = z.object({
  benchmark: z.string().min(1),
  runtime: z.string().min(1),
  runtimeVersion: z.string(),
  artifactRel: z.string(),
  artifactSha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected a lowercase hex sha256'),
  args: z.array(z.string()),
  metrics: z.record(z.string(), metricSummarySchema),
});

const historyPointSchema = z.object({
  commit: z.string().optional(),
  date: z.iso.datetime(),
  runtimeVersion: z.string(),
  machine: z.string(),
  median: z.number(),
  interval: z.tuple([z.number(), z.number()]),
  n: z.number().int().positive(),
});

export const cellHistorySchema = z.object({
  benchmark: z.string().min(1),
  runtime: z.string().min(1),
  metric: z.string().min(1),
  points: z.array(historyPointSchema).max(HISTORY_MAX_POINTS),
  changePoints: z.array(z.string()).optional(),
  pending: z
    .array(z.object({ date: z.iso.datetime(), since: z.iso.datetime() }))
    .max(HISTORY_MAX_POINTS)
    .optional(),
  reported: z
    .array(
      z.object({
        date: z.iso.datetime(),
        path: z.enum(['fast', 'permutation']),
        pValue: z.number().min(0).max(1),
        ratio: z.number().positive(),
        fromCommit: z.string().optional(),
        commit: z.string().optional(),
      }),
    )
    .max(HISTORY_MAX_POINTS)
    .optional(),
});

const artifactSchema = z.object({ path: z.string(), base64: z.string() });

/** An `under-test` build stored with the baseline (also carried by a sharded refresh's partial reports). */
export const storedRuntimeSchema = z.object({
  name: z.string().max(100),
  version: z.string().max(200),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().nonnegative().max(STORED_RUNTIME_MAX_BYTES),
  base64: z.string().max(Math.ceil(STORED_RUNTIME_MAX_BYTES / 3) * 4 + 4),
});

export const baselineDocSchema = z
  .object({
    schema: z.literal(BASELINE_SCHEMA),
    version: z.literal(BASELINE_VERSION),
    createdAt: z.iso.datetime(),
    commit: z.string().optional(),
    ref: z.string().optional(),
    runId: z.string().optional(),
    machine: machineSchema,
    artifacts: z.record(z.string(), artifactSchema),
    entries: z.array(entrySchema),
    history: z.array(cellHistorySchema).optional(),
    // digests are checked where the build is written out, right before it runs (baseline/stored-build.ts)
    runtimes: z.record(z.string().max(200), storedRuntimeSchema).optional(),
  })
  .superRefine((doc, ctx) => {
    for (const [sha, a] of Object.entries(doc.artifacts)) {
      const problem = artifactProblem(sha, a.base64);
      if (problem) ctx.addIssue({ code: 'custom', path: ['artifacts', sha], message: problem });
    }
    const seen = new Set<string>();
    doc.entries.forEach((e, i) => {
      const cell = `${e.benchmark} on ${e.runtime}`;
      if (seen.has(cell))
        ctx.addIssue({ code: 'custom', path: ['entries', i], message: `duplicate entry for ${cell}` });
      seen.add(cell);
      if (!(e.artifactSha256 in doc.artifacts)) {
        ctx.addIssue({
          code: 'custom',
          path: ['entries', i, 'artifactSha256'],
          message: 'no artifact with this sha256 in `artifacts`',
        });
      }
      for (const [id, m] of Object.entries(e.metrics)) {
        if (m.samples.length !== m.n) {
          ctx.addIssue({
            code: 'custom',
            path: ['entries', i, 'metrics', id, 'n'],
            message: `n is ${m.n} but there are ${m.samples.length} samples`,
          });
        }
      }
    });
  }) satisfies z.ZodType<BaselineDoc>;

/** Why stored artifact bytes cannot be trusted, or undefined when they decode to the named sha256. */
function artifactProblem(sha256: string, base64: string): string | undefined {
  const bytes = Buffer.from(base64, 'base64');
  if (bytes.toString('base64') !== base64) return 'artifact bytes are not valid base64';
  const actual = createHash('sha256').update(bytes).digest('hex');
  return actual === sha256 ? undefined : `artifact bytes hash to ${actual}, not to their key`;
}

export interface ParsedBaseline {
  doc?: BaselineDoc;
  /** one line: what is wrong and what to do */
  problem?: string;
}

/** The advice in every problem below; a terminal's is the CLI's own command (REFRESH_ON_A_TERMINAL). */
export const REFRESH = 'refresh the baseline (run the workflow on the default branch)';
export const REFRESH_ON_A_TERMINAL = 'refresh the baseline (run `wasm-perf-gate baseline`)';

/**
 * Stored text → a current-version BaselineDoc, or a `problem`. `where` names the baseline in
 * messages ("baseline at /path", "baseline in Actions cache key K").
 */
export function parseBaseline(
  text: string,
  where = 'the baseline',
  steps: Readonly<Record<number, Migration>> = MIGRATIONS,
  current: number = BASELINE_VERSION,
): ParsedBaseline {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    return { problem: `${where} is not valid JSON (${oneLine(e)}): ${REFRESH}, or delete it` };
  }
  if (!isRecord(raw) || raw['schema'] !== BASELINE_SCHEMA) {
    const got = isRecord(raw) && typeof raw['schema'] === 'string' ? `schema "${raw['schema']}"` : 'no schema field';
    return {
      problem: `${where} is not a wasm-perf-gate baseline (${got}, expected "${BASELINE_SCHEMA}"): point the action at its own baseline or ${REFRESH}`,
    };
  }
  const version = raw['version'];
  if (typeof version !== 'number' || !Number.isInteger(version)) {
    return { problem: `${where} has no integer schema version: ${REFRESH}` };
  }
  if (version > current) {
    return {
      problem: `${where} has schema version ${version}, this action reads ${current}: ${REFRESH} or upgrade wasm-perf-gate`,
    };
  }
  let lifted: RawDoc;
  try {
    lifted = migrate(raw, version, current, steps);
  } catch (e) {
    return {
      problem: `${where} has schema version ${version}, which this action cannot read (${oneLine(e)}): ${REFRESH}`,
    };
  }
  return validate(lifted, where);
}

function validate(lifted: RawDoc, where: string): ParsedBaseline {
  const result = baselineDocSchema.safeParse(lifted);
  if (result.success) return { doc: result.data };
  return { problem: `${where} is malformed — ${describeIssues(result.error.issues)}: ${REFRESH}` };
}

/** Why `doc` is not a valid baseline (checked before writing, so we never store one we could not read back). */
export function baselineDocProblem(doc: BaselineDoc): string | undefined {
  const result = baselineDocSchema.safeParse(doc);
  return result.success ? undefined : describeIssues(result.error.issues);
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const shown = issues.slice(0, 3).map((i) => `${formatPath(i.path)}: ${oneLine(i.message)}`);
  const more = issues.length > 3 ? ` (+${issues.length - 3} more)` : '';
  return shown.join('; ') + more;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(document)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('');
}

function isRecord(x: unknown): x is RawDoc {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
