// An alternative ChangeEstimator: percentile bootstrap with a seeded PRNG (reproducible verdicts).
// Paired: median of per-round log ratios; unpaired: ratio of medians. Not the default: the
// percentile interval of a median under-covers at small n (see paired.ts / unpaired.ts); it is
// here for users who prefer it and to show that the statistic is one replaceable function.
import { median } from 'simple-statistics';
import type { ChangeEstimate, ChangeEstimator } from './change.js';
import { undefinedChange } from './change.js';
import { createPrng, seedFromData, type Random } from './prng.js';

export interface BootstrapOptions {
  resamples?: number;
  /** fixed seed; by default derived from the data, so equal inputs give equal answers */
  seed?: number;
}

function resample(xs: readonly number[], random: Random): number[] {
  return xs.map(() => xs[Math.floor(random() * xs.length)] as number);
}

/** Percentile interval and bootstrap p-value (share of replicates on the far side of 0, doubled). */
function percentileSummary(
  replicates: Float64Array,
  estimate: number,
  confidence: number,
): Omit<ChangeEstimate, 'minDetectable'> {
  const sorted = replicates.sort();
  const at = (p: number): number =>
    sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(p * sorted.length)))] as number;
  const tail = (1 - confidence) / 2;
  const lo = at(tail);
  const hi = at(1 - tail);
  const below = sorted.filter((r) => r <= 0).length;
  const above = sorted.filter((r) => r >= 0).length;
  const pValue = Math.min(1, (2 * (Math.min(below, above) + 1)) / (sorted.length + 1));
  return { ratio: Math.exp(estimate), interval: [Math.exp(lo), Math.exp(hi)], pValue };
}

export function createBootstrapEstimator(options: BootstrapOptions = {}): ChangeEstimator {
  const resamples = options.resamples ?? 2000;
  return ({ baseline, candidate, paired, confidence }) => {
    if (baseline.length < 2 || candidate.length < 2) return undefinedChange('bootstrap: fewer than 2 values per arm');
    if (![...baseline, ...candidate].every((x) => x > 0)) return undefinedChange('bootstrap: non-positive values');
    const random = createPrng(options.seed ?? seedFromData(baseline, candidate));
    const replicates = new Float64Array(resamples);
    let estimate: number;
    if (paired) {
      const logRatios = candidate.slice(0, baseline.length).map((c, i) => Math.log(c / (baseline[i] as number)));
      estimate = median(logRatios);
      for (let r = 0; r < resamples; r++) replicates[r] = median(resample(logRatios, random));
    } else {
      estimate = Math.log(median(candidate) / median(baseline));
      for (let r = 0; r < resamples; r++) {
        replicates[r] = Math.log(median(resample(candidate, random)) / median(resample(baseline, random)));
      }
    }
    const summary = percentileSummary(replicates, estimate, confidence);
    const [lo, hi] = summary.interval;
    return {
      ...summary,
      minDetectable: Math.expm1((Math.log(hi) - Math.log(lo)) / 2),
      method: `${paired ? 'paired' : 'unpaired'} bootstrap-percentile (${resamples})`,
      achievedConfidence: confidence,
    };
  };
}
