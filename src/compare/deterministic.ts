// Metrics that repeat almost exactly (instruction counts, AOT sizes) are judged by whether the ranges
// separate, since a rank test cannot reach significance on 3 runs (docs/adrs/0005-deterministic-metrics.md).
import { max, median, min } from 'simple-statistics';
import type { ChangeEstimate } from '../stats/change.js';

export function rangeEstimate(baseline: readonly number[], candidate: readonly number[]): ChangeEstimate {
  const lo = min([...candidate]) / max([...baseline]);
  const hi = max([...candidate]) / min([...baseline]);
  return {
    ratio: median([...candidate]) / median([...baseline]),
    interval: [lo, hi],
    pValue: NaN,
    minDetectable: (hi - lo) / 2,
    method: 'range separation',
  };
}
