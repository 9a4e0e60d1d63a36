// The job summary's compiled-code cache section (measure.cache cold or both): per benchmark and runtime,
// the median wall time cold and warm and the speed-up a warm cache gives; runtimes that keep no compiled
// code between runs say so. Shown only when cold runs were asked for. Pure.
import type { CellMeasurement } from '../model/measurement.js';
import { describeCache } from '../measure/code-cache.js';
import { codeSpan, escapeMarkdown } from './escape.js';
import { formatValue } from '../model/format.js';
import { metricMedian, tableHeader, tableRow } from './markdown-parts.js';
import type { RunReport } from './types.js';

const TEMPERATURE = / \[(cold|warm)\]/;

/** '' unless some cell was measured with `cache: cold` or `both`. */
export function cacheTable(report: RunReport): string {
  const cells = report.measurements.filter((m) => m.cache && m.cache.requested !== 'warm');
  if (cells.length === 0) return '';
  const groups = new Map<string, CellMeasurement[]>();
  for (const m of cells) {
    const key = `${m.benchmark}\u0000${m.runtime.replace(TEMPERATURE, '')}`;
    groups.set(key, [...(groups.get(key) ?? []), m]);
  }
  const rows = [...groups.values()].map((group) => row(group));
  return [
    '### Compiled-code cache',
    '',
    ...tableHeader(['Benchmark', 'Runtime', 'Cold', 'Warm', 'Speed-up (cold / warm)', 'How']),
    ...rows,
  ].join('\n');
}

function row(group: CellMeasurement[]): string {
  const first = group[0]!;
  const runtime = first.runtime.replace(TEMPERATURE, '');
  const wall = (mode: 'cold' | 'warm') => {
    const m = group.find((c) => c.cache?.mode === mode);
    return m ? metricMedian(m.candidate.samples, 'wall') : undefined;
  };
  const [cold, warm] = [wall('cold'), wall('warm')];
  const speedUp = cold !== undefined && warm !== undefined && warm > 0 ? `${(cold / warm).toFixed(2)}×` : '–';
  const how = group.map((c) => describeCache(c.cache!, runtimeName(runtime))).join('; ');
  return tableRow([
    codeSpan(first.benchmark),
    codeSpan(runtime),
    escapeMarkdown(formatValue(cold, 'ms')),
    escapeMarkdown(formatValue(warm, 'ms')),
    speedUp,
    escapeMarkdown(how),
  ]);
}

/** `node@20.1.0` → `node`, `wasmtime:winch@48.0.0` → `wasmtime`. */
function runtimeName(id: string): string {
  return id.split(/[:@]/)[0] ?? id;
}
