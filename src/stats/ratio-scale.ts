// Where shifts are estimated. Timings and sizes are positive and noise is multiplicative, so
// shifts are estimated on log values and exp(shift) is the ratio. Metrics that can be zero or
// negative (sys time of a tiny program, a score) fall back to raw differences, expressed relative
// to the baseline median.
import { median } from 'simple-statistics';
import type { ChangeEstimate, ShiftEstimate } from './change.js';

export interface RatioScale {
  kind: 'log' | 'raw';
  transform: (x: number) => number;
  /** a shift on the transformed scale → candidate/baseline ratio */
  toRatio: (shift: number) => number;
}

export function ratioScale(baseline: readonly number[], candidate: readonly number[]): RatioScale {
  const positive = baseline.every((x) => x > 0) && candidate.every((x) => x > 0);
  if (positive) return { kind: 'log', transform: Math.log, toRatio: Math.exp };
  const reference = Math.abs(median(baseline));
  return {
    kind: 'raw',
    transform: (x) => x,
    // 0/0 (no change at a zero baseline) is "no change"; anything else at a zero baseline is undefined.
    toRatio: (shift) => (shift === 0 ? 1 : reference === 0 ? NaN : 1 + shift / reference),
  };
}

/** Relative half-width of a shift interval, as a fraction (0.02 = ±2%). */
export function relativeHalfWidth(scale: RatioScale, lo: number, hi: number): number {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return Infinity;
  const halfWidth = (hi - lo) / 2;
  return Math.abs(scale.toRatio(halfWidth) - 1);
}

/** A shift estimated on the scale's transformed values, reported back as a candidate/baseline ratio. */
export function shiftToChange(scale: RatioScale, shift: ShiftEstimate, label: 'paired' | 'unpaired'): ChangeEstimate {
  return {
    ratio: scale.toRatio(shift.estimate),
    interval: [scale.toRatio(shift.interval[0]), scale.toRatio(shift.interval[1])],
    pValue: shift.pValue,
    minDetectable: relativeHalfWidth(scale, shift.interval[0], shift.interval[1]),
    method: `${label} ${shift.method}${scale.kind === 'raw' ? ' (raw differences)' : ''}`,
    achievedConfidence: shift.achievedConfidence,
  };
}
