// Normal distribution helpers. simple-statistics' cumulativeStdNormalProbability is a 4-digit
// table (useless for p-values around alpha/200) and its probit is a ~1e-3 approximation, so
// we build on its erf (relative error < 1.2e-7) and polish probit with Newton steps.
import { erf, probit } from 'simple-statistics';

/** P(Z ≤ z). */
export function normalCdf(z: number): number {
  return 0.5 * (1 + erf(z / Math.SQRT2));
}

/**
 * P(Z ≥ z). Relative error ≈ 1e-7 down to p ≈ 1e-9 (absolute ≈ 1e-16 beyond): ample for
 * comparing p-values with alpha / cells.
 */
export function normalUpperTail(z: number): number {
  if (z < 0) return 1 - normalUpperTail(-z);
  return 0.5 * (1 - erf(z / Math.SQRT2));
}

/** Two-sided p-value for a standard normal statistic. */
export function normalTwoSidedP(z: number): number {
  return Math.min(1, 2 * normalUpperTail(Math.abs(z)));
}

/** z such that P(Z ≤ z) = p. */
export function normalQuantile(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  let z = probit(p);
  for (let i = 0; i < 3; i++) {
    const density = Math.exp(-0.5 * z * z) / Math.sqrt(2 * Math.PI);
    if (density === 0) break;
    z -= (normalCdf(z) - p) / density;
  }
  return z;
}
