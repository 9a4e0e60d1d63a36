import { z } from 'zod';

// The optional YAML config file (`config` input). Keys are kebab-case like action inputs.
const scalar = z.union([z.string(), z.number()]);
// Same grammar as parsePercent, so editors flag `threshold: five` before a run does.
const percent = z.union([
  z.number().positive(),
  z.string().regex(/^\s*\d+(?:\.\d+)?\s*%?\s*$/, "not a percentage: write e.g. '5%' or '2.5%'"),
]);
// Same grammar as parseThreshold: a percentage, or bytes for the metrics measured in bytes (docs/size.md).
const threshold = z.union([
  percent,
  z
    .string()
    .regex(/^\s*\d+(?:\.\d+)?\s*(B|kB|KB|KiB|MB|MiB)\s*$/i, "not a percentage or a size: write e.g. '1%' or '2KiB'"),
]);

// A downloaded build's digest: `sha256:<hex>` or bare hex; one for this platform, or one per platform (a matrix).
const sha256Hex = z.string().regex(/^(sha256:)?[0-9A-Fa-f]{64}$/, 'write sha256:<64 hex digits>');
const PLATFORMS = ['linux-x64', 'linux-arm64', 'darwin-x64', 'darwin-arm64', 'win32-x64', 'win32-arm64'] as const;
const pinnedSha256 = z.union([sha256Hex, z.partialRecord(z.enum(PLATFORMS), sha256Hex)]);

const runtimeEntry = z.union([
  z.string(),
  z
    .object({
      name: z.string(),
      variant: z.string().optional(),
      version: z.string().optional(),
      path: z.string().optional(),
      flags: z.array(z.string()).optional(),
      command: z.array(z.string()).optional(),
      id: z.string().optional(),
      sha256: pinnedSha256.optional(),
      // a runtime change: the baseline arm runs this build (an executable) or this release of the runtime
      'baseline-path': z.string().optional(),
      'baseline-version': z.string().optional(),
      // a runtime the repository builds itself: main's build is stored with the baseline, a PR's measured against it
      'under-test': z.boolean().optional(),
    })
    .strict(),
]);

const programMetric = z
  .object({
    name: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'use letters, digits, - _ .'),
    pattern: z.string().optional(),
    json: z.string().optional(),
    unit: z.string().default(''),
    direction: z.enum(['lower', 'higher']).default('lower'),
    threshold: percent.optional(),
  })
  .strict()
  .refine((m) => (m.pattern === undefined) !== (m.json === undefined), 'give exactly one of `pattern` or `json`');

// A benchmark name reaches the job summary, the comment and the baseline: no NUL or other control character.
const benchmarkName = z.string().regex(
  // eslint-disable-next-line no-control-regex
  /^[^\u0000-\u001f\u007f]*$/,
  'contains a control character (a NUL, tab, line break or escape): use printable characters only',
);
// What a benchmark must print: a file to compare line by line, or a regular expression to find in it.
const expectedOutput = z.union([z.string(), z.object({ regex: z.string() }).strict()]);

const benchmark = z
  .object({
    name: benchmarkName.optional(),
    artifact: z.string(),
    args: z.array(scalar).optional(),
    env: z.record(z.string(), scalar).optional(),
    stdin: z.string().optional(),
    dir: z.string().optional(),
    runtimes: z.array(runtimeEntry).optional(),
    threshold: threshold.optional(),
    metrics: z.array(z.string()).optional(),
    thresholds: z.record(z.string(), threshold).optional(),
    'program-metrics': z.array(programMetric).optional(),
    aot: z.boolean().optional(),
    'expect-stdout': expectedOutput.optional(),
    // an exported-function kernel: `args` are the call's arguments, typed by the export's signature
    export: z.string().min(1).optional(),
    iterations: z.number().int().positive().max(1_000_000_000).optional(),
    'expect-result': scalar.optional(),
    'expect-stderr': expectedOutput.optional(),
  })
  .strict();

const measure = z
  .object({
    engine: z.enum(['builtin', 'hyperfine']).optional(),
    schedule: z.enum(['auto', 'interleaved', 'duet', 'pinned']).optional(),
    warmup: scalar.optional(),
    'min-runs': scalar.optional(),
    'max-runs': scalar.optional(),
    'min-time': scalar.optional(),
    'max-time': scalar.optional(),
    'hard-max-time': scalar.optional(),
    'time-budget': scalar.optional(),
    timeout: scalar.optional(),
    cache: z.enum(['cold', 'warm', 'both']).optional(),
    'instruction-runs': scalar.optional(),
  })
  .strict();

export const configSchema = z
  .object({
    version: z.literal(1).optional(),
    // an artifact symlink whose real path leaves the workspace is refused unless this says so
    'allow-outside-workspace': z.boolean().optional(),
    threshold: threshold.optional(),
    runtimes: z.array(runtimeEntry).optional(),
    metrics: z.array(z.string()).optional(),
    measure: measure.optional(),
    benchmarks: z.array(benchmark).optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configSchema>;
export type ConfigRuntimeEntry = z.infer<typeof runtimeEntry>;
export type ConfigBenchmark = z.infer<typeof benchmark>;
