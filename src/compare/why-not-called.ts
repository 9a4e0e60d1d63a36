// One line for a cell whose estimate lies beyond its threshold but that was not called regressed or
// improved: which part of the verdict rule (compare/classify.ts) it missed. The report lists these
// cells right after the regressions, so a +400% never hides behind "no regressions".
import type { ClassifyInput } from './classify.js';
import { percent } from './notes.js';
import type { Verdict } from '../model/verdict.js';

const signed = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${percent(ratio - 1)}`;

/** Whether the point estimate lies beyond ±threshold. */
export function estimateBeyondThreshold(v: Pick<Verdict, 'ratio' | 'threshold'>): boolean {
  return v.ratio !== undefined && Number.isFinite(v.ratio) && Math.abs(v.ratio - 1) > v.threshold;
}

export function whyNotCalled(
  verdict: Verdict,
  rule: ClassifyInput,
  cells: number,
  correction: string,
): string | undefined {
  if (!estimateBeyondThreshold(verdict)) return undefined;
  if (verdict.kind === 'regressed' || verdict.kind === 'improved') return undefined;
  const [lo, hi] = rule.interval;
  const t = rule.threshold;
  const reasons: string[] = [];
  if (!(lo > 1 + t || hi < 1 - t)) {
    reasons.push(`its interval [${signed(lo)}, ${signed(hi)}] reaches inside the ±${percent(t)} threshold`);
  }
  if (rule.adjustedP >= rule.alpha) {
    const p = verdict.pValue !== undefined ? `p = ${verdict.pValue.toPrecision(2)}` : 'the p-value';
    const rounds =
      verdict.roundsNeeded !== undefined && Number.isFinite(verdict.roundsNeeded)
        ? ` (${verdict.runs.candidate} rounds measured, ${verdict.roundsNeeded} needed for that)`
        : '';
    reasons.push(
      `${p} is ${rule.adjustedP.toPrecision(2)} after ${correction} over ${cells} cells, not below ${rule.alpha}${rounds}`,
    );
  }
  if (rule.intervalConfident === false) reasons.push('too few runs for an interval at full confidence');
  return reasons.length > 0 ? reasons.join('; ') : undefined;
}
