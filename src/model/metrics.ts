// The metric table: every metric a Sample can carry is one data row (after hyperfine's src/metric.rs).
// Sample.values is keyed by `id`; stats, verdicts and reports read labels, units and directions from here.
import type { Direction, ProgramMetricSpec } from './plan.js';

export interface MetricDef {
  id: string;
  label: string;
  unit: string;
  direction: Direction;
  /**
   * Where the value comes from:
   * - process: the process runner (wall clock around spawn → exit)
   * - launcher: the node/bun/deno WASI launcher's `--timings` (phases exist only there)
   * - rusage: the kernel's accounting of the finished process — the launcher's own getrusage on
   *   node/bun/deno, GNU time's wait4 for every other runtime (see rusage.ts)
   * - program: numbers the program prints (program-metrics)
   * - counter: separate counted runs outside the timed loop (perf stat / valgrind, see instructions.ts)
   * - aot: the ahead-of-time compile step before the timed loop (see aot.ts)
   * - artifact: the .wasm file's bytes, read without running anything (see size.ts)
   */
  source: 'process' | 'launcher' | 'rusage' | 'program' | 'counter' | 'aot' | 'artifact';
  /**
   * Repeats to well within any threshold (instruction counts, output sizes): a few runs suffice, and a
   * change is judged by whether the two ranges separate beyond the threshold (see compare/deterministic.ts).
   */
  deterministic?: true;
}

/** Read from every timed run. */
export const BUILTIN_METRICS: readonly MetricDef[] = [
  { id: 'wall', label: 'Wall time', unit: 'ms', direction: 'lower', source: 'process' },
  { id: 'user', label: 'User CPU time', unit: 'ms', direction: 'lower', source: 'rusage' },
  { id: 'sys', label: 'System CPU time', unit: 'ms', direction: 'lower', source: 'rusage' },
  { id: 'cpu', label: 'CPU time (user + sys)', unit: 'ms', direction: 'lower', source: 'rusage' },
  { id: 'peak-rss', label: 'Peak resident memory', unit: 'bytes', direction: 'lower', source: 'rusage' },
  { id: 'compile', label: 'Compile time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'instantiate', label: 'Instantiate time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'execute', label: 'Execute time', unit: 'ms', direction: 'lower', source: 'launcher' },
  // The sightglass measured region: bench.start → bench.end, summed over the run (bench-markers.ts).
  { id: 'region', label: 'Measured region', unit: 'ms', direction: 'lower', source: 'launcher' },
];

/**
 * Measured in runs of their own, outside the timed loop, so they never distort wall times; their values
 * are attached to the first samples of each arm by round (see side-values.ts), so compare and the
 * baseline read them like any other metric.
 */
export const SIDE_METRICS: readonly MetricDef[] = [
  {
    id: 'instructions',
    label: 'Instructions (user space)',
    unit: 'count',
    direction: 'lower',
    source: 'counter',
    deterministic: true,
  },
  { id: 'aot-compile', label: 'AOT compile time', unit: 'ms', direction: 'lower', source: 'aot' },
  { id: 'aot-size', label: 'AOT output size', unit: 'bytes', direction: 'lower', source: 'aot', deterministic: true },
];

/**
 * Read from the .wasm file itself (docs/size.md): no runtime, no run. A benchmark gating them gets one cell
 * of its own on the pseudo-runtime `static`; its runtime cells gate the other metrics.
 */
export const SIZE_METRICS: readonly MetricDef[] = [
  { id: 'size', label: 'Module size', unit: 'bytes', direction: 'lower', source: 'artifact', deterministic: true },
  {
    id: 'size-gzip',
    label: 'Module size, gzip -9',
    unit: 'bytes',
    direction: 'lower',
    source: 'artifact',
    deterministic: true,
  },
  {
    id: 'size-brotli',
    label: 'Module size, brotli -q 11',
    unit: 'bytes',
    direction: 'lower',
    source: 'artifact',
    deterministic: true,
  },
  {
    id: 'code-size',
    label: 'Code section',
    unit: 'bytes',
    direction: 'lower',
    source: 'artifact',
    deterministic: true,
  },
  {
    id: 'data-size',
    label: 'Data section',
    unit: 'bytes',
    direction: 'lower',
    source: 'artifact',
    deterministic: true,
  },
];

/** The runtime id of a benchmark's size cell: read from the file, nothing runs. */
export const STATIC_RUNTIME = 'static';

const BY_ID: ReadonlyMap<string, MetricDef> = new Map(
  [...BUILTIN_METRICS, ...SIDE_METRICS, ...SIZE_METRICS].map((m) => [m.id, m]),
);

/** Whether a metric is read from the .wasm file alone (size metrics). */
export function isSizeMetric(id: string): boolean {
  return BY_ID.get(id)?.source === 'artifact';
}

/** The metrics one cell of a benchmark gates: the size cell the size metrics, a runtime cell the rest. */
export function cellMetrics(metrics: readonly string[], runtimeKey: string): string[] {
  const size = runtimeKey === STATIC_RUNTIME;
  return metrics.filter((m) => isSizeMetric(m) === size);
}

/** Every built-in metric id, per-run and side metrics (what `metrics` accepts besides program metrics). */
export const BUILTIN_METRIC_IDS: readonly string[] = [...BY_ID.keys()];

/** The definition of a built-in metric or of a program-reported one declared in the benchmark; undefined if unknown. */
export function metricDef(id: string, programMetrics: readonly ProgramMetricSpec[] = []): MetricDef | undefined {
  const builtin = BY_ID.get(id);
  if (builtin) return builtin;
  const program = programMetrics.find((p) => p.name === id);
  if (!program) return undefined;
  return { id: program.name, label: program.name, unit: program.unit, direction: program.direction, source: 'program' };
}

/** Whether `id` names a built-in metric (program metrics must not shadow these). */
export function isBuiltinMetric(id: string): boolean {
  return BY_ID.has(id);
}

/** The sources a benchmark's gated metrics draw on. */
export function metricSources(
  metrics: readonly string[],
  programMetrics: readonly ProgramMetricSpec[] = [],
): Set<MetricDef['source']> {
  return new Set(metrics.flatMap((m) => metricDef(m, programMetrics)?.source ?? []));
}
