// A runtime change is judged on its whole suite: the geometric mean of the cells' ratios (PR ÷ baseline) with
// an interval, per runtime and metric (libsodium's benchmark and sightglass normalise the same way). Pure.
import { normalQuantile } from '../stats/normal.js';
import type { Verdict } from '../model/verdict.js';

export interface SuiteChange {
  /** the runtime's key (its id in the config) */
  runtime: string;
  metric: string;
  /** geometric mean of the cells' ratios (candidate ÷ baseline) */
  ratio: number;
  /** interval for `ratio` at `confidence` */
  interval: [number, number];
  confidence: number;
  /** cells the mean is over (those with a ratio and an interval) */
  cells: number;
  /** cells of this runtime and metric left out (failed, new, no interval) */
  leftOut: number;
}

/**
 * Per (runtime, metric): exp(mean of ln ratio) with the interval from each cell's own interval, read as a
 * normal interval on the log scale (se = width ÷ 2z) and the cells taken as independent: se of the mean =
 * √Σse² ÷ n. `keyOf` says which runtime a verdict's cell belongs to; only the keys in `runtimes` are summed.
 */
export function suiteChanges(
  verdicts: readonly Verdict[],
  runtimes: readonly string[],
  keyOf: (v: Verdict) => string,
  confidence: number,
): SuiteChange[] {
  const out: SuiteChange[] = [];
  for (const runtime of runtimes) {
    const mine = verdicts.filter((v) => keyOf(v) === runtime);
    for (const metric of [...new Set(mine.map((v) => v.metric))]) {
      const cells = mine.filter((v) => v.metric === metric);
      const usable = cells.filter(hasInterval);
      if (usable.length === 0) continue;
      const z = normalQuantile(1 - (1 - confidence) / 2);
      const logs = usable.map((v) => Math.log(v.ratio!));
      const ses = usable.map((v) => {
        const own = v.confidence ?? confidence;
        const zOwn = normalQuantile(1 - (1 - own) / 2);
        return (Math.log(v.interval![1]) - Math.log(v.interval![0])) / (2 * zOwn);
      });
      const n = usable.length;
      const mean = logs.reduce((a, b) => a + b, 0) / n;
      const se = Math.sqrt(ses.reduce((a, s) => a + s * s, 0)) / n;
      out.push({
        runtime,
        metric,
        ratio: Math.exp(mean),
        interval: [Math.exp(mean - z * se), Math.exp(mean + z * se)],
        confidence,
        cells: n,
        leftOut: cells.length - n,
      });
    }
  }
  return out;
}

function hasInterval(v: Verdict): boolean {
  const [lo, hi] = v.interval ?? [NaN, NaN];
  return v.ratio !== undefined && v.ratio > 0 && Number.isFinite(v.ratio) && lo > 0 && hi >= lo && Number.isFinite(hi);
}
