// A round in which either arm's run was clearly disturbed (wall stretched past CPU time, preempted more than
// usual) is left out and played again, within a bound. Pure; why: docs/adrs/0012-disturbed-rounds.md.
import type { Sample } from '../model/measurement.js';

/** Keys under which readers report a run's context; the engine moves them from values to Sample.context. */
export const CONTEXT = { invcsw: 'ctx:invcsw', core: 'ctx:core' } as const;

/** A run counts as disturbed when wall ÷ CPU exceeds its arm's median by more than this share (see isDisturbed). */
export const STRETCH_LIMIT = 0.1;
/** Runs of an arm needed before a median can be trusted. */
export const MIN_HISTORY = 3;
/** At most this share of the rounds played so far may be left out (then disturbed rounds are kept). */
export const MAX_EXCLUDED_SHARE = 0.25;

/** Splits a reader's record into metric values and the run's context. */
export function splitContext(extra: Record<string, number>): {
  values: Record<string, number>;
  context?: NonNullable<Sample['context']>;
} {
  const values: Record<string, number> = {};
  const context: NonNullable<Sample['context']> = {};
  for (const [k, v] of Object.entries(extra)) {
    if (k === CONTEXT.invcsw) context.involuntaryContextSwitches = v;
    else if (k === CONTEXT.core) context.core = v;
    else values[k] = v;
  }
  return Object.keys(context).length ? { values, context } : { values };
}

/** wall ÷ CPU time of a run: how far the machine stretched it beyond its own work. */
function stretch(s: Sample): number | undefined {
  const [wall, cpu] = [s.values['wall'], s.values['cpu']];
  return wall !== undefined && cpu !== undefined && cpu > 0 ? wall / cpu : undefined;
}

function median(xs: readonly number[]): number | undefined {
  if (xs.length === 0) return undefined;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const defined = (x: number | undefined): x is number => x !== undefined;

/**
 * Whether `run` was clearly disturbed, judged against the arm's earlier runs (`history`): its wall ÷ CPU
 * above their median by more than STRETCH_LIMIT, and (where counted) more preemptions than their median.
 * Each arm is judged against itself, so a candidate that is simply slower is never "disturbed".
 */
export function isDisturbed(run: Sample, history: readonly Sample[]): boolean {
  const own = stretch(run);
  const typical = median(history.map(stretch).filter(defined));
  if (own === undefined || typical === undefined || history.length < MIN_HISTORY) return false;
  if (own <= typical * (1 + STRETCH_LIMIT)) return false;
  const preempted = run.context?.involuntaryContextSwitches;
  const usual = median(history.map((s) => s.context?.involuntaryContextSwitches).filter(defined));
  return preempted === undefined || usual === undefined || preempted > usual;
}

/** Whether one more round may be left out, given how many were left out among the rounds played. */
export function mayExclude(excluded: number, played: number): boolean {
  return excluded + 1 <= Math.floor(MAX_EXCLUDED_SHARE * played);
}
