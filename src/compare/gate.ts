// Verdicts → the job's outcome. Run failures always fail the job (a benchmark that crashes is not
// a performance question); regressions and inconclusive cells fail it when the inputs say so.
import { percent } from './notes.js';
import type { Verdict } from './types.js';

export interface GateOptions {
  failOnRegression: boolean;
  failOnInconclusive: boolean;
}

export interface GateOutcome {
  headline: 'pass' | 'regressed' | 'failed';
  regressions: number;
  failed: number;
  inconclusive: number;
  shouldFail: boolean;
  /** one line per failed or regressed verdict (and inconclusive ones when they fail the job) */
  reasons: string[];
}

function describe(v: Verdict): string {
  const cell = `${v.benchmark} on ${v.runtime} (${v.metric})`;
  if (v.kind === 'failed') return `${cell} failed: ${v.failure?.message ?? 'run failure'}`;
  const change = v.ratio !== undefined ? ` ${v.ratio >= 1 ? '+' : ''}${percent(v.ratio - 1)}` : '';
  return `${cell} ${v.kind}${change} (threshold ${percent(v.threshold)})`;
}

export function gateOutcome(verdicts: readonly Verdict[], options: GateOptions): GateOutcome {
  const failed = verdicts.filter((v) => v.kind === 'failed');
  const regressed = verdicts.filter((v) => v.kind === 'regressed');
  const inconclusive = verdicts.filter((v) => v.kind === 'inconclusive');
  const shouldFail =
    failed.length > 0 ||
    (options.failOnRegression && regressed.length > 0) ||
    (options.failOnInconclusive && inconclusive.length > 0);
  const explained = [...failed, ...regressed, ...(options.failOnInconclusive ? inconclusive : [])];
  return {
    headline: failed.length > 0 ? 'failed' : regressed.length > 0 ? 'regressed' : 'pass',
    regressions: regressed.length,
    failed: failed.length,
    inconclusive: inconclusive.length,
    shouldFail,
    reasons: explained.map(describe),
  };
}
