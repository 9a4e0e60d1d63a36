import { basename, isAbsolute, relative, resolve } from 'node:path';
import { cachePrefixProblem } from './cache-prefix.js';
import { BUILTIN_METRIC_IDS, isBuiltinMetric, isSizeMetric, metricDef } from '../model/metrics.js';
import { parseRuntimeEntries, parseRuntimeSpec } from '../runtimes/spec.js';
import type { ConfigBenchmark, ConfigFile, ConfigRuntimeEntry } from './config-schema.js';
import { checkCommandSize } from './command-size.js';
import { readRunSettings } from './run-settings.js';
import { cacheTimeoutMs, readReportOptions } from './report-options.js';
import { parseShard } from './shard.js';
import { InputError } from '../model/input-error.js';
import { splitList, type RawInputs } from './inputs.js';
import { parseBool, parseCount, parseDuration, parsePercent, parseThreshold, positiveDuration } from './threshold.js';
import type {
  BenchmarkSpec,
  KernelSpec,
  MeasureOptions,
  Mode,
  Plan,
  ProgramMetricSpec,
  RuntimeBaseline,
  RuntimeRef,
} from '../model/plan.js';

export interface PlanInput {
  inputs: RawInputs;
  config?: ConfigFile;
  workspace: string;
  mode: Mode;
  /** config benchmark `artifact` pattern → matched absolute .wasm paths (expanded by the I/O edge) */
  matches: ReadonlyMap<string, string[]>;
  /** the list inputs, each globbed as one set of patterns (so `!pattern` removes what the others matched) */
  inputMatches?: InputMatches;
  defaultJsonPath: string;
  /** candidates that import bench.start/bench.end (the sightglass convention), read by the I/O edge */
  markedModules?: ReadonlySet<string>;
  /** for config benchmarks with `export:`: each matched file's exported functions and their signatures */
  exportedFunctions?: ReadonlyMap<string, ReadonlyMap<string, { params: string[]; results: string[] }>>;
}

export const KNOWN_METRICS: readonly string[] = BUILTIN_METRIC_IDS;

export interface InputMatches {
  artifacts: string[];
  baselineArtifacts: string[];
}

/** Every glob the plan needs expanded: the two list inputs as pattern sets, each config benchmark on its own. */
export function artifactPatterns(
  inputs: RawInputs,
  config?: ConfigFile,
): { artifacts: string[]; baselineArtifacts: string[]; config: string[] } {
  return {
    artifacts: splitList(inputs.artifacts),
    baselineArtifacts: splitList(inputs['baseline-artifacts']),
    config: [...new Set((config?.benchmarks ?? []).map((b) => b.artifact))],
  };
}

/** inputs + config + matched files → the typed Plan. Pure. */
export function buildPlan(p: PlanInput): Plan {
  const { inputs, config } = p;
  const runtimes = parseRuntimeList(
    config?.runtimes ?? splitList(inputs.runtimes),
    config?.runtimes ? 'config: runtimes' : 'runtimes',
  );
  const given = parseThreshold(
    config?.threshold ?? inputs.threshold,
    config?.threshold !== undefined ? 'config: threshold' : 'threshold',
  );
  const threshold = given.relative ?? DEFAULT_THRESHOLD;
  const metrics = checkMetrics(config?.metrics ?? splitList(inputs.metrics), 'metrics');
  const defaults = {
    runtimes,
    threshold,
    metrics,
    ...(given.bytes !== undefined ? { thresholdBytes: given.bytes } : {}),
  };
  // A benchmark gating only size metrics runs on no runtime: nothing is installed or executed for it.
  const benchmarks = withBaselineRuntimes(
    [...configBenchmarks(p, defaults), ...inputBenchmarks(p, defaults)],
    splitList(inputs['baseline-runtimes'] ?? ''),
  ).map((b) => (b.metrics.every(isSizeMetric) ? { ...b, runtimes: [] } : b));
  uniqueIds(benchmarks);
  if (benchmarks.length === 0) {
    const patterns = splitList(inputs.artifacts).join(', ') || '(none given)';
    throw new InputError(
      'artifacts',
      `no .wasm files matched ${patterns} in ${p.workspace}`,
      'Build the .wasm files before this step and check the glob (relative to the workspace), e.g. `build/**/*.wasm`.',
    );
  }
  // The key also names the PR comment's marker, so it is checked even with baseline-path.
  const keyProblem = cachePrefixProblem(inputs['baseline-key']);
  if (keyProblem) throw new InputError('baseline-key', keyProblem.problem, keyProblem.fix);
  const baselineArtifacts = p.inputMatches?.baselineArtifacts ?? [];
  const settings = readRunSettings(inputs);
  const historyBranch = settings.historyBranch;
  return {
    mode: p.mode,
    settings,
    workspace: p.workspace,
    benchmarks,
    runtimes: distinctRuntimes(benchmarks),
    measure: measureOptions(inputs, config),
    baseline: {
      path: inputs['baseline-path'] ? resolve(p.workspace, inputs['baseline-path']) : undefined,
      cacheKeyPrefix: inputs['baseline-key'],
      artifacts: baselineArtifacts.length ? baselineArtifacts : undefined,
      ...(inputs['baseline-artifacts'] ? { artifactPatterns: splitList(inputs['baseline-artifacts']) } : {}),
      sideBySide: parseBool(inputs['side-by-side'], 'side-by-side'),
      cacheTimeoutMs: cacheTimeoutMs(inputs),
      ...(historyBranch ? { historyBranch } : {}),
    },
    report: readReportOptions(inputs, p.workspace, p.defaultJsonPath),
    runtimeMirror: runtimeMirror(inputs['runtime-mirror']),
    downloadTimeoutMs: positiveDuration(inputs['download-timeout'], 'download-timeout', '5m'),
    ...(inputs.shard ? { shard: parseShard(inputs.shard) } : {}),
  };
}

/** An http(s) base URL without query or fragment (release paths are appended to it), or undefined. */
function runtimeMirror(value: string): string | undefined {
  if (!value) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new InputError(
      'runtime-mirror',
      `'${value}' is not an http(s) base URL`,
      'Give the mirror root that stands in for https://github.com, e.g. https://ghes.example.com (no query, no credentials).',
    );
  }
  return value;
}

interface Defaults {
  runtimes: RuntimeRef[];
  threshold: number;
  thresholdBytes?: number;
  metrics: string[];
}

/** The relative threshold of metrics not in bytes when `threshold` is given in bytes. */
const DEFAULT_THRESHOLD = 0.05;

/** A benchmark's `threshold` and `thresholds`: each in percent, or in bytes for a metric measured in bytes. */
function benchmarkThresholds(
  e: ConfigBenchmark,
  d: Defaults,
  programMetrics: ProgramMetricSpec[],
  where: string,
): Pick<BenchmarkSpec, 'threshold' | 'thresholds' | 'thresholdBytes' | 'thresholdsBytes'> {
  const own = e.threshold !== undefined ? parseThreshold(e.threshold, `${where}.threshold`) : undefined;
  const thresholds: Record<string, number> = {};
  const thresholdsBytes: Record<string, number> = {};
  for (const [k, v] of Object.entries(e.thresholds ?? {})) {
    const t = parseThreshold(v, `${where}.thresholds.${k}`);
    if (t.relative !== undefined) thresholds[k] = t.relative;
    else if (metricDef(k, programMetrics)?.unit !== 'bytes')
      throw new InputError(
        `${where}.thresholds.${k}`,
        `'${String(v)}' is a size, but ${k} is not measured in bytes`,
        `Give ${k} a percentage such as '5%'; sizes apply to size, size-gzip, size-brotli, code-size, data-size, aot-size and peak-rss.`,
      );
    else thresholdsBytes[k] = t.bytes;
  }
  const bytes = own ? own.bytes : d.thresholdBytes;
  return {
    threshold: own?.relative ?? d.threshold,
    thresholds,
    ...(bytes !== undefined ? { thresholdBytes: bytes } : {}),
    ...(Object.keys(thresholdsBytes).length ? { thresholdsBytes } : {}),
  };
}

function parseRuntimeList(entries: ConfigRuntimeEntry[], input: string): RuntimeRef[] {
  if (entries.length === 0) throw new InputError(input, 'no runtime given', "Name at least one runtime, e.g. 'node'.");
  return parseRuntimeEntries(entries, input);
}

function checkMetrics(metrics: string[], input: string, programMetrics: ProgramMetricSpec[] = []): string[] {
  const known = [...KNOWN_METRICS, ...programMetrics.map((m) => m.name)];
  for (const m of metrics) {
    if (!known.includes(m)) throw new InputError(input, `unknown metric '${m}'`, `Use one of: ${known.join(', ')}.`);
  }
  return metrics.length ? metrics : ['wall'];
}

function configBenchmarks(p: PlanInput, d: Defaults): BenchmarkSpec[] {
  return (p.config?.benchmarks ?? []).flatMap((entry, i) => {
    const files = p.matches.get(entry.artifact) ?? [];
    const where = `config: benchmarks[${i}]`;
    if (files.length === 0) {
      throw new InputError(
        where,
        `artifact '${entry.artifact}' matched no .wasm file`,
        'Build it before this step or fix the path (relative to the workspace).',
      );
    }
    return files.map((file) => configBenchmark(p, d, entry, file, files.length > 1, where));
  });
}

function configBenchmark(
  p: PlanInput,
  d: Defaults,
  e: ConfigBenchmark,
  file: string,
  many: boolean,
  where: string,
): BenchmarkSpec {
  const rel = relPath(p.workspace, file);
  const programMetrics = (e['program-metrics'] ?? []).map((m) => programMetric(m, `${where}.program-metrics`));
  const base = e.name ?? defaultId(rel);
  const args = (e.args ?? []).map(String);
  kernelKeys(e, where);
  const kernel = e.export === undefined ? undefined : kernelOf(p, e, file, args, where);
  const env = Object.fromEntries(Object.entries(e.env ?? {}).map(([k, v]) => [k, String(v)]));
  checkCommandSize(args, env, where);
  const metrics = e.metrics
    ? checkMetrics(e.metrics, `${where}.metrics`, programMetrics)
    : [...defaultMetrics(p, file, d, kernel !== undefined), ...programMetrics.map((m) => m.name)];
  return {
    id: e.name && many ? `${e.name}/${basename(file, '.wasm')}` : base,
    artifact: file,
    artifactRel: rel,
    args,
    env,
    stdin: e.stdin ? resolve(p.workspace, e.stdin) : undefined,
    dir: e.dir ? resolve(p.workspace, e.dir) : undefined,
    runtimes: e.runtimes ? parseRuntimeList(e.runtimes, `${where}.runtimes`) : d.runtimes,
    metrics,
    programMetrics,
    ...benchmarkThresholds(e, d, programMetrics, where),
    ...regionOf(p, file),
    ...(kernel ? { kernel, region: true } : {}),
    ...(e['expect-result'] !== undefined && !e['expect-stdout']
      ? {
          expectStdout: {
            text: `${String(e['expect-result'])}
`,
            source: 'expect-result',
          },
        }
      : {}),
    ...(e.aot !== undefined ? { aot: e.aot } : {}),
    ...expected(p.workspace, e, 'stdout', where),
    ...expected(p.workspace, e, 'stderr', where),
  };
}

/** `expect-stdout` / `expect-stderr`: a workspace-relative file, or `{ regex }` (checked to compile here). */
function expected(
  workspace: string,
  e: ConfigBenchmark,
  stream: 'stdout' | 'stderr',
  where: string,
): Pick<BenchmarkSpec, 'expectStdout' | 'expectStderr'> {
  const value = e[`expect-${stream}`];
  if (value === undefined) return {};
  const key = stream === 'stdout' ? 'expectStdout' : 'expectStderr';
  if (typeof value === 'string') return { [key]: { file: resolve(workspace, value) } };
  try {
    new RegExp(value.regex);
  } catch (err) {
    throw new InputError(
      `${where}.expect-${stream}`,
      `regex is not a valid regular expression: ${(err as Error).message}`,
      'Fix the regular expression (JavaScript syntax).',
    );
  }
  return { [key]: { regex: value.regex } };
}

function programMetric(m: NonNullable<ConfigBenchmark['program-metrics']>[number], where: string): ProgramMetricSpec {
  if (isBuiltinMetric(m.name)) {
    throw new InputError(
      where,
      `program metric '${m.name}' has the name of a built-in metric`,
      `Rename it, e.g. 'program-${m.name}'.`,
    );
  }
  if (m.pattern !== undefined) {
    let re: RegExp;
    try {
      re = new RegExp(m.pattern);
    } catch (e) {
      throw new InputError(
        where,
        `pattern for '${m.name}' is not a valid regular expression: ${(e as Error).message}`,
        'Fix the regular expression.',
      );
    }
    if (!/\(\?<value>/.test(re.source)) {
      throw new InputError(
        where,
        `pattern for '${m.name}' has no named group 'value'`,
        "Capture the number as (?<value>…), e.g. 'score: (?<value>[0-9.]+)'.",
      );
    }
  }
  return {
    name: m.name,
    pattern: m.pattern,
    json: m.json,
    unit: m.unit,
    direction: m.direction,
    threshold: m.threshold !== undefined ? parsePercent(m.threshold, `${where}.threshold`) : undefined,
  };
}

/** Files from the `artifacts` input that no config entry already covers get default benchmarks. */
function inputBenchmarks(p: PlanInput, d: Defaults): BenchmarkSpec[] {
  const covered = new Set((p.config?.benchmarks ?? []).flatMap((b) => p.matches.get(b.artifact) ?? []));
  const files = [...new Set(p.inputMatches?.artifacts ?? [])].filter((f) => !covered.has(f));
  return files.sort().map((file) => {
    const rel = relPath(p.workspace, file);
    return {
      id: defaultId(rel),
      artifact: file,
      artifactRel: rel,
      args: [],
      env: {},
      runtimes: d.runtimes,
      threshold: d.threshold,
      ...(d.thresholdBytes !== undefined ? { thresholdBytes: d.thresholdBytes } : {}),
      metrics: defaultMetrics(p, file, d),
      programMetrics: [],
      thresholds: {},
      ...regionOf(p, file),
    };
  });
}

/** A module that marks its region: `region: true` (it runs in its own directory, see measure/prepare-arm.ts). */
function regionOf(p: PlanInput, file: string): Pick<BenchmarkSpec, 'region'> {
  return p.markedModules?.has(file) ? { region: true } : {};
}

/** The run's metrics; for a module that marks its region, `region` instead of the default `wall`. */
function defaultMetrics(p: PlanInput, file: string, d: Defaults, kernel = false): string[] {
  const isDefault = d.metrics.length === 1 && d.metrics[0] === 'wall';
  return isDefault && (kernel || p.markedModules?.has(file)) ? ['region'] : d.metrics;
}

/** `iterations` and `expect-result` belong to a kernel; `expect-result` is its expected stdout. */
function kernelKeys(e: ConfigBenchmark, where: string): void {
  for (const key of ['iterations', 'expect-result'] as const)
    if (e[key] !== undefined && e.export === undefined)
      throw new InputError(
        `${where}.${key}`,
        `${key} without export`,
        'Name the exported function to call with `export:`, or remove it.',
      );
  if (e['expect-result'] !== undefined && e['expect-stdout'] !== undefined)
    throw new InputError(
      `${where}.expect-result`,
      'expect-result and expect-stdout both say what stdout must be',
      'Keep one: expect-result checks the printed return value, expect-stdout the whole stdout.',
    );
}

const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$|^[+-]?(inf|infinity|nan)$/i;
const INTEGER = /^[+-]?\d+$/;

/** `export:` with `args` checked against the export's signature; the error names the export, its signature and the args. */
function kernelOf(p: PlanInput, e: ConfigBenchmark, file: string, args: string[], where: string): KernelSpec {
  const name = e.export!;
  const functions = p.exportedFunctions?.get(file);
  const rel = relPath(p.workspace, file);
  const sig = functions?.get(name);
  if (!sig) {
    const known = functions ? [...functions.keys()].filter((n) => !n.startsWith('_')).slice(0, 10) : [];
    throw new InputError(
      `${where}.export`,
      `${rel} exports no function '${name}'${known.length ? ` (it exports ${known.join(', ')})` : ''}`,
      'Name an exported function, or export it from the module (e.g. `__attribute__((export_name("…")))` in C).',
    );
  }
  const shown = `${name}: (${sig.params.join(', ')}) -> (${sig.results.join(', ')})`;
  const fits =
    args.length === sig.params.length &&
    sig.params.every((t, i) =>
      t === 'i32' || t === 'i64' ? INTEGER.test(args[i]!) : (t === 'f32' || t === 'f64') && NUMBER.test(args[i]!),
    );
  if (!fits) {
    throw new InputError(
      `${where}.args`,
      `args [${args.join(', ')}] do not fit ${shown} in ${rel}`,
      'Give one number per parameter: integers for i32/i64, numbers for f32/f64 (only these types can be passed).',
    );
  }
  if (sig.results.some((t) => !['i32', 'i64', 'f32', 'f64'].includes(t))) {
    throw new InputError(
      `${where}.export`,
      `${shown} in ${rel} returns a type that cannot be printed`,
      'Benchmark a function returning numbers (or nothing).',
    );
  }
  return { export: name, params: sig.params, results: sig.results, iterations: e.iterations ?? 1 };
}

function relPath(workspace: string, file: string): string {
  const rel = relative(workspace, file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel.split('\\').join('/');
}

function defaultId(rel: string): string {
  return rel.replace(/\.wasm$/, '');
}

function uniqueIds(benchmarks: BenchmarkSpec[]): void {
  const seen = new Set<string>();
  for (const b of benchmarks) {
    if (seen.has(b.id))
      throw new InputError('config', `two benchmarks are named '${b.id}'`, 'Give each benchmark a distinct `name`.');
    seen.add(b.id);
  }
}

/**
 * The `baseline-runtimes` input: each entry (`name[:variant]@version` or `@/path`) becomes the baseline side of
 * the runtime with that id in every benchmark; an entry that names no measured runtime is an error.
 */
function withBaselineRuntimes(benchmarks: BenchmarkSpec[], entries: readonly string[]): BenchmarkSpec[] {
  if (entries.length === 0) return benchmarks;
  const input = 'baseline-runtimes';
  const sides = new Map<string, RuntimeBaseline>();
  for (const text of entries) {
    const ref = parseRuntimeSpec(text, input);
    const side =
      ref.path !== undefined ? { path: ref.path } : ref.version !== undefined ? { version: ref.version } : undefined;
    if (side === undefined || ref.version === 'path')
      throw new InputError(
        input,
        `"${text}" names no other build`,
        `Write ${ref.id}@<version> (another release) or ${ref.id}@/path/to/exe (another build).`,
      );
    const checked = parseRuntimeEntries(
      [{ name: ref.name, ...(ref.variant ? { variant: ref.variant } : {}), ...baselineKeys(side) }],
      input,
    )[0]!.baseline!;
    if (sides.has(ref.id)) throw new InputError(input, `${ref.id} is listed twice`, 'Give each runtime one baseline.');
    sides.set(ref.id, checked);
  }
  const measured = new Set(benchmarks.flatMap((b) => b.runtimes.map((r) => r.id)));
  for (const id of sides.keys())
    if (!measured.has(id))
      throw new InputError(
        input,
        `${id} is not one of the runtimes measured (${[...measured].join(', ')})`,
        'Name a runtime listed in `runtimes` (same name and variant).',
      );
  return benchmarks.map((b) => ({
    ...b,
    runtimes: b.runtimes.map((r) => {
      const side = sides.get(r.id);
      return side === undefined || r.baseline !== undefined ? r : { ...r, baseline: side };
    }),
  }));
}

function baselineKeys(side: RuntimeBaseline): { 'baseline-path': string } | { 'baseline-version': string } {
  return 'path' in side ? { 'baseline-path': side.path } : { 'baseline-version': side.version };
}

function distinctRuntimes(benchmarks: BenchmarkSpec[]): RuntimeRef[] {
  const byId = new Map<string, RuntimeRef>();
  for (const r of benchmarks.flatMap((b) => b.runtimes)) if (!byId.has(r.id)) byId.set(r.id, r);
  return [...byId.values()];
}

/** `time-budget`: empty = none; otherwise a positive duration. */
function timeBudget(p: { value: unknown; input: string }): { timeBudgetMs?: number } {
  const text = String(p.value ?? '').trim();
  if (text === '') return {};
  const ms = parseDuration(text, p.input);
  if (ms <= 0)
    throw new InputError(p.input, `'${text}' leaves no time to measure`, "Write e.g. '10m', or leave it empty.");
  return { timeBudgetMs: ms };
}

function measureOptions(inputs: RawInputs, config?: ConfigFile): MeasureOptions {
  const m = config?.measure ?? {};
  const pick = <K extends keyof typeof m & keyof RawInputs>(k: K) => ({
    value: m[k] ?? inputs[k],
    input: m[k] !== undefined ? `config: measure.${k}` : k,
  });
  const count = (k: 'warmup' | 'min-runs' | 'max-runs', min: number) =>
    parseCount(pick(k).value as string, pick(k).input, min);
  const duration = (k: 'min-time' | 'max-time' | 'hard-max-time' | 'timeout') =>
    parseDuration(pick(k).value as string, pick(k).input);
  const hardMaxTime = String(pick('hard-max-time').value).trim();
  const engine = String(pick('engine').value);
  const schedule = String(pick('schedule').value);
  if (engine !== 'builtin' && engine !== 'hyperfine')
    throw new InputError(pick('engine').input, `unknown engine '${engine}'`, "Use 'builtin' or 'hyperfine'.");
  if (schedule !== 'auto' && schedule !== 'interleaved' && schedule !== 'duet' && schedule !== 'pinned')
    throw new InputError(
      pick('schedule').input,
      `unknown schedule '${schedule}'`,
      "Use 'auto', 'interleaved', 'duet' or 'pinned'.",
    );
  const options: MeasureOptions = {
    engine,
    schedule,
    warmup: count('warmup', 0),
    minRuns: count('min-runs', 2),
    maxRuns: count('max-runs', 2),
    minTimeMs: duration('min-time'),
    maxTimeMs: duration('max-time'),
    timeoutMs: duration('timeout'),
    ...(hardMaxTime !== '' ? { hardMaxTimeMs: duration('hard-max-time') } : {}),
    ...timeBudget(pick('time-budget')),
    cache: m.cache ?? 'warm',
    ...(m['instruction-runs'] !== undefined
      ? { instructionRuns: parseCount(String(m['instruction-runs']), 'config: measure.instruction-runs', 1) }
      : {}),
  };
  if (options.timeoutMs <= 0) {
    throw new InputError(
      pick('timeout').input,
      `'${String(pick('timeout').value)}' would kill every run at once`,
      "Give each run a positive time limit, e.g. '120s' (the default).",
    );
  }
  if (options.maxRuns < options.minRuns) {
    throw new InputError(
      'max-runs',
      `max-runs (${options.maxRuns}) is below min-runs (${options.minRuns})`,
      'Raise max-runs or lower min-runs.',
    );
  }
  return options;
}
