// The fast path for a clear step (pure): the newest three refreshes all sit outside the current regime's
// prediction band — the stored-mode verdict's band (history/stored-verdict.ts): the regime's session-to-session
// spread plus each refresh's own interval — beyond every refresh of the regime, and together they clear the band
// by more than the cell's threshold.
// Then the change point is reported at once, at the first of them (two refreshes after the step); subtler
// shifts wait for the permutation path (docs/adrs/0014-history-and-change-points.md, "The fast path").
import { mean, median } from 'simple-statistics';
import { studentTQuantile, studentTTwoSidedP } from '../stats/student-t.js';
import {
  MAX_HISTORY_POINTS,
  MIN_HISTORY_POINTS,
  medianLogVariance,
  newSessionsVariance,
  regimeSpread,
} from './stored-verdict.js';
import { isDisturbed, usualWidth } from './disturbed.js';
import type { HistoryPoint } from '../model/history.js';

export { DISTURBED_WIDTH } from './disturbed.js';

/**
 * Refreshes in a row that must sit past the band. Two were measured too: on the recorded quiet CPU-time noise
 * a +7.5% session drawn twice in a row cleared a tight early regime's band by the 5% threshold, 2.6 false
 * change points per 100 flat cells against 0.1 with three (ADR 0014, "The fast path").
 */
export const FAST_REFRESHES = 3;

export interface FastStep {
  /** index (into the points) of the step's first refresh: the first of the three, or a refresh just before them at their level */
  index: number;
  /** the refreshes' mean shift from the regime's mean, as a ratio */
  ratio: number;
  /** prediction interval of that ratio (the regime's band around the refreshes' mean) */
  interval: [number, number];
  /** the largest of the refreshes' two-sided t p-values against the band: each is at least this surprising */
  pValue: number;
  /** refreshes in the regime the band was built from */
  regimePoints: number;
  regimeMedian: number;
  afterMedian: number;
}

/**
 * The fast path at this look: `points` are the cell's comparable refreshes, oldest first, and `regimeStart`
 * the index of the current regime's first point (the last reported change point, or 0).
 */
export function fastStep(
  points: readonly HistoryPoint[],
  regimeStart: number,
  threshold: number,
  confidence = 0.95,
  refreshes = FAST_REFRESHES,
): FastStep | undefined {
  const first = points.length - refreshes;
  const start = Math.max(0, regimeStart);
  if (first - start < MIN_HISTORY_POINTS || !(threshold >= 0)) return undefined;
  const fresh = points.slice(first);
  const level = mean(fresh.map((p) => Math.log(p.median)));
  // A refresh just before the three that sits nearer their level than the regime's is the step's own (a
  // disturbed first refresh of it, kept off the path below): it starts the step and stays out of the band.
  // Two such: the step is older than this look (a history seen late) — the permutation path's.
  const atLevel = (i: number): boolean => {
    if (i < start) return false;
    const x = Math.log(points[i]!.median);
    const before = mean(points.slice(start, i).map((p) => Math.log(p.median)));
    return i - start >= MIN_HISTORY_POINTS && Math.abs(x - level) < Math.abs(x - before);
  };
  let end = first;
  if (atLevel(end - 1)) end--;
  if (atLevel(end - 1)) return undefined;
  const regime = points.slice(start, end).slice(-MAX_HISTORY_POINTS);
  const logs = regime.map((p) => Math.log(p.median));
  const center = mean(logs);
  const model = regimeSpread(regime);
  const t = studentTQuantile(1 - (1 - confidence) / 2, regime.length - 1);
  const usual = usualWidth(regime);
  const judged = fresh.map((p) => {
    const own = medianLogVariance(p);
    const disturbed = isDisturbed(p, usual);
    const shift = Math.log(p.median) - center;
    const sd = Math.sqrt(Math.max(newSessionsVariance(model, [{ n: p.n, own }]), 1e-18));
    return {
      own,
      disturbed,
      shift,
      past: Math.abs(shift) > t * sd,
      p: studentTTwoSidedP(shift / sd, regime.length - 1),
    };
  });
  const up = judged.every((j) => j.shift > 0);
  const down = judged.every((j) => j.shift < 0);
  if (!(up || down) || judged.some((j) => j.disturbed || !j.past)) return undefined;
  // Beyond every refresh of the regime, too: the band is Gaussian, but recorded session noise is not (on the
  // loaded wall time a quarter of sessions are 34–56% slow), and a regime that already holds a session as far
  // out as one of these has seen such sessions before. Under exchangeable noise of any shape, k regime
  // refreshes and 3 new ones are all beyond the k by chance with probability 1 / C(k + 3, 3) (ADR 0014).
  const edge = up ? Math.max(...logs) : Math.min(...logs);
  if (!fresh.every((p) => (up ? Math.log(p.median) > edge : Math.log(p.median) < edge))) return undefined;
  // each refresh nearer the others' level than the regime's, so a high refresh before the step is not its start
  const others = (i: number) => mean(judged.filter((_, k) => k !== i).map((j) => j.shift));
  if (judged.some((j, i) => Math.abs(j.shift - others(i)) >= Math.abs(j.shift))) return undefined;
  // the refreshes' mean against the band of a mean of as many new sessions: its near end must clear the threshold
  const shift = mean(judged.map((j) => j.shift));
  const sd = Math.sqrt(
    Math.max(
      newSessionsVariance(
        model,
        fresh.map((p, i) => ({ n: p.n, own: judged[i]!.own })),
      ),
      1e-18,
    ),
  );
  const interval: [number, number] = [Math.exp(shift - t * sd), Math.exp(shift + t * sd)];
  if (!(up ? interval[0] > 1 + threshold : interval[1] < 1 - threshold)) return undefined;
  return {
    index: end,
    ratio: Math.exp(shift),
    interval,
    pValue: Math.max(...judged.map((j) => j.p)),
    regimePoints: regime.length,
    regimeMedian: median(regime.map((p) => p.median)),
    afterMedian: median(fresh.map((p) => p.median)),
  };
}
