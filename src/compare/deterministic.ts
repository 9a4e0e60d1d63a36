// Metrics that repeat to well within any threshold (instruction counts: ~0.2% spread under node;
// AOT output sizes: exact). A rank test cannot reach significance with the few runs they need (3 runs
// give p ≥ 0.25), so they are judged on the ranges instead: the interval runs from the smallest to the
// largest ratio any candidate value has to any baseline value. It lies wholly past 1 only when the
// ranges separate, and the usual rule then asks the change to exceed the threshold as well.
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
