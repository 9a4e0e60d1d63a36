// The metric table: every metric a Sample can carry is one data row (after hyperfine's src/metric.rs).
// Sample.values is keyed by `id`; stats, verdicts and reports read labels, units and directions from here.
import type { Direction, ProgramMetricSpec } from '../config/types.js';

export interface MetricDef {
  id: string;
  label: string;
  unit: string;
  direction: Direction;
  /** where the value comes from: the process runner, the WASI launcher's --timings, or the program's stdout */
  source: 'process' | 'launcher' | 'program';
}

export const BUILTIN_METRICS: readonly MetricDef[] = [
  { id: 'wall', label: 'Wall time', unit: 'ms', direction: 'lower', source: 'process' },
  { id: 'user', label: 'User CPU time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'sys', label: 'System CPU time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'cpu', label: 'CPU time (user + sys)', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'peak-rss', label: 'Peak resident memory', unit: 'bytes', direction: 'lower', source: 'launcher' },
  { id: 'compile', label: 'Compile time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'instantiate', label: 'Instantiate time', unit: 'ms', direction: 'lower', source: 'launcher' },
  { id: 'execute', label: 'Execute time', unit: 'ms', direction: 'lower', source: 'launcher' },
];

const BY_ID: ReadonlyMap<string, MetricDef> = new Map(BUILTIN_METRICS.map((m) => [m.id, m]));

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
