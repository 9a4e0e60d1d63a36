// Human-readable caveats attached to a verdict. Wording lives here so compare.ts stays about logic.
import type { MachineFingerprint } from '../baseline/types.js';

export const percent = (x: number): string => `${(x * 100).toFixed(1)}%`;

/** Why an unpaired comparison with stored figures may carry a bias its interval cannot show. */
export function storedBaselineNotes(
  stored: MachineFingerprint,
  here: MachineFingerprint,
  storedRuntimeVersion: string,
  runtimeVersion: string,
): string[] {
  const notes = [
    'compared with stored baseline samples (not re-measured here): machine-to-machine noise is not in the interval',
  ];
  if (stored.cpuModel !== here.cpuModel) {
    notes.push(
      `baseline was measured on another CPU ("${stored.cpuModel}", this run "${here.cpuModel}"): the change includes the machine difference`,
    );
  }
  if (stored.cores !== here.cores) notes.push(`baseline machine had ${stored.cores} cores, this one ${here.cores}`);
  if (storedRuntimeVersion !== runtimeVersion) {
    notes.push(`baseline was measured with runtime ${storedRuntimeVersion}, this run with ${runtimeVersion}`);
  }
  return notes;
}

export function outlierNote(arm: 'baseline' | 'candidate', count: number, total: number): string {
  return `${arm}: ${count} of ${total} runs are outliers (hyperfine's modified z-score rule); kept, the rank statistics are robust to them`;
}

export function noiseFloorNote(interval: [number, number]): string {
  return `A/A run: candidate and baseline are byte-identical, so this interval (${percent(interval[0] - 1)} … ${percent(interval[1] - 1)}) is this runner's measured noise floor`;
}

export function tooImpreciseNote(minDetectable: number, threshold: number): string {
  return `this run could only resolve changes of about ±${percent(minDetectable)}, more than the ${percent(threshold)} threshold: more runs or a quieter runner are needed`;
}

/** A saturated history interval: the width is the runner's session-to-session spread, which no run count narrows. */
export function runnerSpreadNote(minDetectable: number, threshold: number, refreshes: number): string {
  return `judged against ${refreshes} refreshes of main, this runner's sessions differ too much to resolve changes smaller than about ±${percent(minDetectable)} (the threshold is ${percent(threshold)}), and more runs would not narrow that: re-measure the baseline beside this build (\`side-by-side: true\`, with the baseline's .wasm files) or gate a steadier metric (\`metrics: cpu\` or \`instructions\`)`;
}

/** Wall time of runs that spent much of it off the CPU: the runner was busy; CPU time still resolves small changes. */
export function busyRunnerNote(stretch: number): string {
  return `the runs spent ${percent(1 - 1 / stretch)} of their wall time off the CPU (wall ${stretch.toFixed(2)}× CPU time): this runner was busy, which blurs wall time; pin both arms to one core (\`schedule: pinned\`) or gate CPU time too (\`metrics: wall, cpu\`) to resolve small changes on such runners`;
}

export function lowConfidenceNote(achieved: number, requested: number, n: number): string {
  return `only ${n} values: the widest interval available has ${percent(achieved)} confidence, not ${percent(requested)}`;
}

export function multiplicityNote(pValue: number, adjustedP: number, cells: number, correction: string): string {
  return `p = ${pValue.toPrecision(2)} alone, but ${adjustedP.toPrecision(2)} after ${correction} correction across ${cells} cells`;
}

const STOPPED_BY: Record<string, string> = {
  'max-runs': 'the `max-runs` cap',
  'hard-max-time': 'the `hard-max-time` cap',
  'max-time': 'the `max-time` budget',
  minimum: 'the minimum run count',
  failure: 'a failed run',
};

/** Measuring ended before the rank test's p-value floor fell below alpha / cells. */
export function cutShortNote(runs: number, needed: number, cells: number, stopReason?: string): string {
  const by = stopReason && STOPPED_BY[stopReason] ? ` by ${STOPPED_BY[stopReason]}` : '';
  const need = Number.isFinite(needed) ? `at least ${needed} rounds` : 'more stored baseline samples';
  return `measuring ended after ${runs} rounds${by}: a verdict significant across ${cells} cells needs ${need}`;
}

export function sequentialNote(): string {
  return 'the arms ran one after another (engine: hyperfine), not interleaved: compared as two independent samples';
}
