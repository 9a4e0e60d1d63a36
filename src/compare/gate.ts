// Verdicts → the job's outcome. Run failures always fail the job (a benchmark that crashes is not
// a performance question); regressions — proven, or likely (whole interval past the threshold) — and
// inconclusive cells fail it when the inputs say so.
import { percent } from './notes.js';
import type { Verdict } from '../model/verdict.js';

export interface GateOptions {
  failOnRegression: boolean;
  failOnInconclusive: boolean;
  /** `likely-regressed` cells count as regressions (default true: a 5× slowdown must not pass on a p-value floor) */
  failOnLikelyRegression?: boolean;
}

export interface GateOutcome {
  headline: 'pass' | 'regressed' | 'failed';
  /** regressed cells, plus likely-regressed ones when they gate */
  regressions: number;
  /** likely-regressed cells (counted in `regressions` when they gate) */
  likelyRegressions: number;
  failed: number;
  inconclusive: number;
  shouldFail: boolean;
  /** one line per failed or regressed verdict (and inconclusive ones when they fail the job) */
  reasons: string[];
}

/** Whether a verdict counts as a regression under these options. */
export function countsAsRegression(v: Verdict, options: Pick<GateOptions, 'failOnLikelyRegression'>): boolean {
  return v.kind === 'regressed' || (v.kind === 'likely-regressed' && options.failOnLikelyRegression !== false);
}

function describe(v: Verdict): string {
  const cell = `${v.benchmark} on ${v.runtime} (${v.metric})`;
  if (v.kind === 'failed') return `${cell} failed: ${v.failure?.message ?? 'run failure'}`;
  const change = v.ratio !== undefined ? ` ${v.ratio >= 1 ? '+' : ''}${percent(v.ratio - 1)}` : '';
  const interval = v.interval ? ` [${signed(v.interval[0])}, ${signed(v.interval[1])}]` : '';
  const why =
    v.kind === 'likely-regressed'
      ? `; the whole interval lies beyond the threshold, but p${v.adjustedP !== undefined ? ` = ${v.adjustedP.toPrecision(2)} (corrected)` : ''} could not reach alpha${v.roundsNeeded ? ` in ${v.runs.candidate} of the ${v.roundsNeeded} rounds it needed` : ''}`
      : '';
  return `${cell} ${v.kind}${change}${interval} (threshold ${percent(v.threshold)}${why})`;
}

const signed = (ratio: number): string => `${ratio >= 1 ? '+' : ''}${percent(ratio - 1)}`;

export function gateOutcome(verdicts: readonly Verdict[], options: GateOptions): GateOutcome {
  const failed = verdicts.filter((v) => v.kind === 'failed');
  const regressed = verdicts.filter((v) => countsAsRegression(v, options));
  const inconclusive = verdicts.filter((v) => v.kind === 'inconclusive');
  const shouldFail =
    failed.length > 0 ||
    (options.failOnRegression && regressed.length > 0) ||
    (options.failOnInconclusive && inconclusive.length > 0);
  const explained = [...failed, ...regressed, ...(options.failOnInconclusive ? inconclusive : [])];
  return {
    headline: failed.length > 0 ? 'failed' : regressed.length > 0 ? 'regressed' : 'pass',
    regressions: regressed.length,
    likelyRegressions: verdicts.filter((v) => v.kind === 'likely-regressed').length,
    failed: failed.length,
    inconclusive: inconclusive.length,
    shouldFail,
    reasons: explained.map(describe),
  };
}
