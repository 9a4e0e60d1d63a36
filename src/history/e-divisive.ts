// Binary segmentation with a permutation test, in the scheme of E-divisive means (Matteson & James, JASA 2014)
// as MongoDB runs it on its CI history (Daly et al., ICPE 2020): split where a two-sample statistic peaks,
// keep the split when a permutation test says so, then look for more splits on each side.
// The default statistic is the drop in quantile (pinball) loss at q = 0.2 from fitting each side its own
// 20th percentile. Why: timing noise is one-sided — interference makes a session slower, never faster than
// the code — so a side's low quantile is what its code costs, and a slow session costs a split only q, not
// 1 − q. The energy statistic (exponent 1, κ = segment end, MongoDB's simplification; each segment winsorized
// at median ± 3·MAD) weighs a 5%-slow session before a +5% step like a point after it and so placed such
// splits 2 early and found them late (ADR 0014, "Measured"). Permutations come from a seeded PRNG.
import { mad, median } from 'simple-statistics';
import { createPrng, seedFromData, type Random } from '../stats/prng.js';

export interface EDivisiveOptions {
  /** significance level of each split's permutation test */
  alpha: number;
  /** permutations per test (more resolve smaller p-values; a test stops early once p > alpha is certain) */
  permutations: number;
  /** fewest points on each side of a split */
  minSize: number;
  /** seed; default: derived from the series, so a history always gives the same answer */
  seed?: number;
  /** split statistic: drop in quantile loss (default) or the energy statistic Q of E-divisive */
  statistic?: 'quantile' | 'energy';
  /** quantile of the quantile statistic. Default 0.2 */
  quantile?: number;
}

export interface Split {
  /** index of the first point after the change */
  index: number;
  /** permutation p-value of the split within its segment */
  pValue: number;
  /** the split statistic at the split (quantile-loss drop, or energy Q) */
  q: number;
}

export const DEFAULT_EDIVISIVE: EDivisiveOptions = {
  alpha: 0.005,
  permutations: 999,
  minSize: 3,
  statistic: 'quantile',
  quantile: 0.2,
};

/** Significant change points of `series`, sorted by index. */
export function eDivisive(series: readonly number[], options: Partial<EDivisiveOptions> = {}): Split[] {
  const opts = { ...DEFAULT_EDIVISIVE, ...options };
  const random = createPrng(opts.seed ?? seedFromData(series));
  const found: Split[] = [];
  const segments: [number, number][] = [[0, series.length]];
  while (segments.length > 0) {
    const [start, end] = segments.pop()!;
    if (end - start < 2 * opts.minSize) continue;
    const segment = series.slice(start, end);
    // the energy statistic needs slow outliers clamped; the quantile loss is linear in them already
    const values = opts.statistic === 'energy' ? winsorize(segment) : segment;
    const best = splitOf(values, opts);
    if (!best) continue;
    const pValue = permutationP(values, best.q, opts, random);
    if (pValue > opts.alpha) continue;
    found.push({ index: start + best.index, pValue, q: best.q });
    segments.push([start, start + best.index], [start + best.index, end]);
  }
  return found.sort((a, b) => a.index - b.index);
}

function splitOf(values: readonly number[], opts: EDivisiveOptions): { index: number; q: number } | undefined {
  return opts.statistic === 'energy'
    ? bestSplit(values, opts.minSize)
    : quantileSplit(values, opts.minSize, opts.quantile ?? 0.2);
}

/**
 * The split τ (minSize ≤ τ ≤ n − minSize) maximising L(all) − L(left) − L(right), where L is the pinball loss
 * Σ ρ_q(x − ℓ) at the side's own q-quantile ℓ; O(n²).
 */
export function quantileSplit(
  values: readonly number[],
  minSize: number,
  quantile: number,
): { index: number; q: number } | undefined {
  const n = values.length;
  const lo = Math.max(2, minSize);
  if (n < 2 * lo) return undefined;
  // loss of every prefix and every suffix, each kept sorted by insertion
  const prefix = new Float64Array(n + 1);
  const suffix = new Float64Array(n + 1);
  const left: number[] = [];
  const right: number[] = [];
  for (let t = 0; t < n; t++) {
    insertSorted(left, values[t]!);
    prefix[t + 1] = quantileLoss(left, quantile);
    insertSorted(right, values[n - 1 - t]!);
    suffix[n - 1 - t] = quantileLoss(right, quantile);
  }
  let best: { index: number; q: number } | undefined;
  for (let m = lo; m <= n - lo; m++) {
    const q = prefix[n]! - prefix[m]! - suffix[m]!;
    if (!best || q > best.q) best = { index: m, q };
  }
  return best;
}

/** Σ ρ_q(x − ℓ) over a sorted sample at its minimiser ℓ = x_(⌈q·m⌉) (the loss is then exactly the smallest). */
function quantileLoss(sorted: readonly number[], q: number): number {
  const level = sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
  let loss = 0;
  for (const x of sorted) loss += x >= level ? q * (x - level) : (1 - q) * (level - x);
  return loss;
}

function insertSorted(sorted: number[], x: number): void {
  let i = sorted.length;
  sorted.push(x);
  while (i > 0 && sorted[i - 1]! > x) {
    sorted[i] = sorted[i - 1]!;
    i--;
  }
  sorted[i] = x;
}

/** The split τ (minSize ≤ τ ≤ n − minSize) maximising Q = (m·k/n)·(2·B/(m·k) − W_L/C(m,2) − W_R/C(k,2)); O(n²). */
export function bestSplit(values: readonly number[], minSize: number): { index: number; q: number } | undefined {
  const n = values.length;
  const lo = Math.max(2, minSize);
  if (n < 2 * lo) return undefined;
  // Start with everything on the right, then move points left one by one, updating the three sums.
  let within = { left: 0, right: 0 };
  let between = 0;
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) within.right += Math.abs(values[i]! - values[j]!);
  let best: { index: number; q: number } | undefined;
  for (let t = 0; t < n - lo; t++) {
    // point t moves from the right side to the left: tau becomes t + 1
    let toLeft = 0;
    let toRight = 0;
    const v = values[t]!;
    for (let i = 0; i < t; i++) toLeft += Math.abs(v - values[i]!);
    for (let j = t + 1; j < n; j++) toRight += Math.abs(v - values[j]!);
    within = { left: within.left + toLeft, right: within.right - toRight };
    between += toRight - toLeft;
    const m = t + 1;
    const k = n - m;
    if (m < lo) continue;
    const e = (2 * between) / (m * k) - within.left / ((m * (m - 1)) / 2) - within.right / ((k * (k - 1)) / 2);
    const q = ((m * k) / n) * e;
    if (!best || q > best.q) best = { index: m, q };
  }
  return best;
}

/** (1 + #{permuted max Q ≥ observed}) / (1 + R), stopping as soon as the answer must exceed alpha. */
function permutationP(values: readonly number[], observed: number, opts: EDivisiveOptions, random: Random): number {
  const shuffled = [...values];
  const limit = opts.alpha * (opts.permutations + 1);
  let exceed = 0;
  for (let r = 1; r <= opts.permutations; r++) {
    shuffle(shuffled, random);
    const q = splitOf(shuffled, opts)?.q ?? -Infinity;
    // a relative tolerance so float noise in equal statistics counts as "as extreme"
    if (q >= observed - 1e-12 * Math.abs(observed)) exceed++;
    if (exceed + 1 > limit) return (exceed + 1) / (r + 1);
  }
  return (exceed + 1) / (opts.permutations + 1);
}

/** Values clamped to median ± 3 · 1.4826 · MAD (a robust 3σ); unchanged when MAD is 0. */
export function winsorize(xs: readonly number[]): number[] {
  const center = median([...xs]);
  const spread = 3 * 1.4826 * mad([...xs]);
  if (!(spread > 0)) return [...xs];
  return xs.map((x) => Math.min(center + spread, Math.max(center - spread, x)));
}

function shuffle(xs: number[], random: Random): void {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
}
