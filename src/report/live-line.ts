// The live progress line of one cell while it is measured, e.g.
//   nbody on node  round 14/120  +1.8% ±0.9%  stops at ±1%  ETA 12s
// Pure: progress events in, one line of text out. The change is the stop rule's own paired estimate
// (Hodges–Lehmann at its 99% confidence); "stops at ±H%" is how narrow the interval must get before the
// rule can call it (H = distance from the estimate to the threshold); the ETA extrapolates 1/√n.
import { median } from 'simple-statistics';
import { STOPPING_DEFAULTS } from '../compare/stopping.js';
import type { ProgressEvent } from '../measure/engine.js';
import { pairedShift } from '../stats/paired.js';
import { formatMs, formatPercent, formatSignedPercent } from '../model/format.js';
import { padEnd, plainText } from './terminal-style.js';

export interface LiveCell {
  /** `nbody on node` (control characters already removed) */
  label: string;
  threshold: number;
  minRuns: number;
  maxRuns: number;
  maxTimeMs: number;
  /** the stop rule may end the cell before its caps (compare mode) */
  adaptive: boolean;
  candidate: Map<number, number>;
  baseline: Map<number, number>;
  warmups: number;
  elapsedMs: number;
}

export function liveCell(
  benchmark: string,
  runtime: string,
  limits: Pick<LiveCell, 'threshold' | 'minRuns' | 'maxRuns' | 'maxTimeMs' | 'adaptive'>,
): LiveCell {
  return {
    label: plainText(`${benchmark} on ${runtime}`),
    ...limits,
    candidate: new Map(),
    baseline: new Map(),
    warmups: 0,
    elapsedMs: 0,
  };
}

export function recordProgress(cell: LiveCell, e: ProgressEvent): void {
  cell.elapsedMs = e.elapsedMs;
  if (e.phase === 'warmup') cell.warmups = Math.max(cell.warmups, e.index + 1);
  else if (e.phase === 'excluded') (e.arm === 'candidate' ? cell.candidate : cell.baseline).delete(e.index);
  else if (!e.failed) (e.arm === 'candidate' ? cell.candidate : cell.baseline).set(e.index, e.wallMs);
}

/** Per-round log ratios candidate/baseline of the rounds both arms finished. */
function logRatios(cell: LiveCell): number[] {
  const d: number[] = [];
  for (const [round, c] of cell.candidate) {
    const b = cell.baseline.get(round);
    if (b !== undefined && b > 0 && c > 0) d.push(Math.log(c / b));
  }
  return d;
}

interface Estimate {
  change: number;
  halfWidth: number;
}

function estimate(cell: LiveCell): Estimate | undefined {
  const d = logRatios(cell);
  if (d.length < 2) return undefined;
  const shift = pairedShift(d, STOPPING_DEFAULTS.confidence);
  const [lo, hi] = shift.interval.map(Math.exp) as [number, number];
  return { change: Math.exp(shift.estimate) - 1, halfWidth: (hi - lo) / 2 };
}

/** Rounds still to go before a cap: max-runs, or the time budget at the pace so far. */
function roundsToCap(cell: LiveCell, rounds: number, perRoundMs: number): number {
  const byRuns = cell.maxRuns - rounds;
  const byTime = perRoundMs > 0 ? Math.ceil((cell.maxTimeMs - cell.elapsedMs) / perRoundMs) : byRuns;
  return Math.max(0, Math.min(byRuns, byTime));
}

/** Rounds the interval needs to shrink from `halfWidth` to `target`, as ±1/√n predicts. */
function roundsToTarget(rounds: number, halfWidth: number, target: number): number {
  if (target <= 0) return Infinity;
  return Math.max(0, Math.ceil(rounds * (halfWidth / target) ** 2) - rounds);
}

export function formatEta(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '?';
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s}s` : `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
}

export function liveLine(cell: LiveCell): string {
  const rounds = cell.candidate.size;
  if (rounds === 0) return `${padEnd(cell.label, 24)}  warm-up ${cell.warmups}`;
  const perRound = cell.elapsedMs / rounds;
  const cap = roundsToCap(cell, rounds, perRound);
  const parts = [padEnd(cell.label, 24), `round ${rounds}/${cell.maxRuns}`];
  const est = cell.adaptive ? estimate(cell) : undefined;
  let left = Math.max(cell.minRuns - rounds, cell.adaptive ? cap : 0);
  if (est) {
    const target = Math.abs(Math.abs(est.change) - cell.threshold);
    parts.push(`${formatSignedPercent(est.change)} ±${formatPercent(est.halfWidth)}`);
    parts.push(`stops at ±${formatPercent(target)}`);
    left = Math.max(cell.minRuns - rounds, Math.min(cap, roundsToTarget(rounds, est.halfWidth, target)));
  } else {
    parts.push(`median ${formatMs(median([...cell.candidate.values()]))}`);
  }
  parts.push(`ETA ${est || !cell.adaptive ? '' : '≤'}${formatEta(left * perRound)}`);
  return parts.join('  ');
}
