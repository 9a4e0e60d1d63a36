// A t-test on log ratios, asked only when every pair agrees in sign (paired) or the two samples do not
// overlap (unpaired). There the rank tests sit at their floor (2^(1−n), 2/C(m+n, n)), which Holm over
// many cells cannot get under, while a 5× slowdown's t statistic is enormous. The cell's p-value is the
// smaller of the two; below the rank floor only the t-test can reject, and only on data where the sign
// test also says "all one way". Why that keeps the error rate: docs/adrs/0011-significance-within-reach.md.
import { mean, sampleVariance } from 'simple-statistics';
import { studentTTwoSidedP as twoSidedT } from './student-t.js';

/** One-sample t-test of mean(d) = 0, when all d are non-zero and of one sign; undefined otherwise. */
export function agreeingPairsT(d: readonly number[]): number | undefined {
  if (d.length < 3) return undefined;
  const allUp = d.every((x) => x > 0);
  const allDown = d.every((x) => x < 0);
  if (!allUp && !allDown) return undefined;
  const sd = Math.sqrt(sampleVariance([...d]));
  if (sd === 0) return 0;
  return twoSidedT(mean([...d]) / (sd / Math.sqrt(d.length)), d.length - 1);
}

/** Welch's t-test of y against x, when the samples do not overlap at all; undefined otherwise. */
export function separatedSamplesT(x: readonly number[], y: readonly number[]): number | undefined {
  if (x.length < 3 || y.length < 3) return undefined;
  const separated = Math.max(...x) < Math.min(...y) || Math.max(...y) < Math.min(...x);
  if (!separated) return undefined;
  const vx = sampleVariance([...x]) / x.length;
  const vy = sampleVariance([...y]) / y.length;
  const se = Math.sqrt(vx + vy);
  if (se === 0) return 0;
  const df = (vx + vy) ** 2 / (vx ** 2 / (x.length - 1) + vy ** 2 / (y.length - 1));
  return twoSidedT((mean([...y]) - mean([...x])) / se, df);
}
