// The built-in, hyperfine-style engine: warm-ups, then rounds of timed runs until the stop rule is met.
// Two arms (candidate and the re-measured baseline) run interleaved ABBA… or as a pinned duet, and every
// sample carries its round index so the statistics can pair the arms' runs.
import type { MeasureOptions } from '../config/types.js';
import { classifyOutcome } from './classify-outcome.js';
import { detectDuet, pinnedCommand, type DuetSupport } from './duet.js';
import { runProcess, type ProcessOutcome } from './process.js';
import { roundOrder, stopReason, type StopReason } from './schedule.js';
import type { ArmResult, CellMeasurement, Command, Sample } from './types.js';

export type ArmName = ArmResult['arm'];

/** Extra metric values for one timed run, read after it ended (outside the timed window). */
export type ReadExtra = (outcome: ProcessOutcome) => Record<string, number> | Promise<Record<string, number>>;

export interface ArmInput {
  arm: ArmName;
  command: Command;
  /**
   * Extension point for per-run metrics beyond wall time, e.g. the WASI launcher's `--timings FILE`
   * (see launcher-timings.ts) or numbers the program prints (outcome.stdoutHead). Not called for warm-ups.
   * Throwing records an 'output' failure for the arm.
   */
  readExtra?: ReadExtra;
  /** Before every run (warm-ups too), outside the timed window: e.g. empty the cold compiled-code cache. */
  beforeRun?: () => void;
  /** Corrects what a wrapper changed before the outcome is classified (GNU time reports signals as 128 + N). */
  reviseOutcome?: (outcome: ProcessOutcome) => ProcessOutcome;
}

export interface ProgressEvent {
  arm: ArmName;
  phase: 'warmup' | 'run';
  /** warm-up index or round index */
  index: number;
  wallMs: number;
  failed: boolean;
  elapsedMs: number;
}

export interface ArmSamples {
  candidate: Sample[];
  baseline?: Sample[];
}

export interface MeasureCellInput {
  arms: ArmInput[];
  options: MeasureOptions;
  /** exit codes that mean the guest trapped, from the runtime descriptor */
  trapExitCodes: number[];
  /** adaptive stopping, asked after each round once minRuns and minTimeMs are met; default: stop */
  shouldStop?: (state: ArmSamples) => boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** duet capability; detected (taskset on PATH, 2 usable cores) when omitted */
  duet?: DuetSupport;
}

export type CellRun = Omit<CellMeasurement, 'benchmark' | 'runtime' | 'runtimeVersion'>;

interface ArmState {
  input: ArmInput;
  result: ArmResult;
}

interface Plan {
  schedule: CellRun['schedule'];
  /** the two cores of a duet */
  cpus?: [number, number];
  taskset?: string;
  notes: string[];
}

const nowMs = (): number => Number(process.hrtime.bigint()) / 1e6;

function checkArms(arms: readonly ArmInput[]): void {
  const names = arms.map((a) => a.arm);
  if (names.filter((n) => n === 'candidate').length !== 1 || names.length > 2 || new Set(names).size !== names.length) {
    throw new Error(`measureCell: expected one candidate arm and at most one baseline arm, got [${names.join(', ')}]`);
  }
}

function choosePlan(input: MeasureCellInput): Plan {
  if (input.arms.length === 1) return { schedule: 'single', notes: [] };
  if (input.options.schedule !== 'duet') return { schedule: 'interleaved', notes: [] };
  const duet = input.duet ?? detectDuet();
  if (duet.available) return { schedule: 'duet', cpus: duet.cpus, taskset: duet.taskset, notes: [] };
  return {
    schedule: 'interleaved',
    notes: [`duet schedule unavailable (${duet.reason}); runs were interleaved instead`],
  };
}

/** What one cell's loop shares between its steps. */
interface Cell {
  input: MeasureCellInput;
  plan: Plan;
  arms: ArmState[];
  startMs: number;
}

const candidateFailed = (cell: Cell): boolean =>
  cell.arms.some((a) => a.result.arm === 'candidate' && a.result.failure);

/** Records one finished run: a warm-up, a timed sample (plus the arm's extra values), or the arm's failure. */
async function record(cell: Cell, arm: ArmState, raw: ProcessOutcome, phase: ProgressEvent['phase'], index: number) {
  const outcome = arm.input.reviseOutcome?.(raw) ?? raw;
  let failure = classifyOutcome(outcome, cell.input.trapExitCodes, cell.input.options.timeoutMs);
  if (!failure && phase === 'warmup') arm.result.warmups++;
  if (!failure && phase === 'run') {
    try {
      const extra = (await arm.input.readExtra?.(outcome)) ?? {};
      arm.result.samples.push({ values: { ...extra, wall: outcome.wallMs }, exitCode: 0, round: index });
    } catch (e) {
      const message = `reading the run's metrics failed: ${e instanceof Error ? e.message : String(e)}`;
      failure = { kind: 'output', message, stdoutHead: outcome.stdoutHead, stderrTail: outcome.stderrTail };
    }
  }
  if (failure) arm.result.failure = failure;
  const elapsedMs = nowMs() - cell.startMs;
  cell.input.onProgress?.({ arm: arm.result.arm, phase, index, wallMs: outcome.wallMs, failed: !!failure, elapsedMs });
}

/** Both arms at once, pinned; cores swap every round so a faster core does not favour one arm. */
async function playDuet(cell: Cell, pair: ArmState[], index: number, phase: ProgressEvent['phase']) {
  const { cpus, taskset } = cell.plan;
  if (!cpus || !taskset) throw new Error('playDuet: no duet plan');
  const cpuOf = (a: ArmState) => cpus[(cell.arms.indexOf(a) + index) % 2]!;
  const timeoutMs = cell.input.options.timeoutMs;
  for (const a of pair) a.input.beforeRun?.();
  const outcomes = await Promise.all(
    pair.map((a) => runProcess(pinnedCommand(a.input.command, taskset, cpuOf(a)), { timeoutMs })),
  );
  // Extras are read only after both ended, so reading one arm's file never overlaps the other's run.
  for (const [i, a] of pair.entries()) await record(cell, a, outcomes[i]!, phase, index);
}

/** One round: every still-healthy arm runs once, in ABBA order or as a pinned pair. */
async function playRound(cell: Cell, index: number, phase: ProgressEvent['phase']) {
  const healthy = roundOrder(index, cell.arms.length)
    .map((i) => cell.arms[i]!)
    .filter((a) => !a.result.failure);
  if (cell.plan.schedule === 'duet' && healthy.length === 2) return playDuet(cell, healthy, index, phase);
  for (const a of healthy) {
    if (candidateFailed(cell)) return;
    a.input.beforeRun?.();
    await record(cell, a, await runProcess(a.input.command, { timeoutMs: cell.input.options.timeoutMs }), phase, index);
  }
}

/** Timed rounds until the stop rule says so; a failed candidate ends the cell at once. */
async function measureRounds(cell: Cell): Promise<StopReason> {
  const measuringStart = nowMs();
  const { options, shouldStop } = cell.input;
  for (let round = 0; ; round++) {
    if (candidateFailed(cell)) return 'failure';
    await playRound(cell, round, 'run');
    if (candidateFailed(cell)) return 'failure';
    const healthy = cell.arms.filter((a) => !a.result.failure);
    const state = {
      runs: Math.min(...healthy.map((a) => a.result.samples.length)),
      elapsedMs: nowMs() - cell.startMs,
      measuringMs: nowMs() - measuringStart,
    };
    const reason = stopReason(state, options, shouldStop && (() => shouldStop(samplesOf(cell.arms))));
    if (reason) return reason;
  }
}

/** Measures one benchmark × runtime with the built-in engine. */
export async function measureCell(input: MeasureCellInput): Promise<CellRun> {
  checkArms(input.arms);
  const cell: Cell = {
    input,
    plan: choosePlan(input),
    arms: input.arms.map((a) => ({ input: a, result: { arm: a.arm, samples: [], warmups: 0 } })),
    startMs: nowMs(),
  };
  for (let w = 0; w < input.options.warmup && !candidateFailed(cell); w++) await playRound(cell, w, 'warmup');
  const reason = await measureRounds(cell);
  return {
    candidate: cell.arms.find((a) => a.result.arm === 'candidate')!.result,
    ...withBaseline(cell.arms),
    schedule: cell.plan.schedule,
    elapsedMs: nowMs() - cell.startMs,
    stopReason: reason,
    ...(cell.plan.notes.length ? { notes: cell.plan.notes } : {}),
  };
}

function samplesOf(arms: readonly ArmState[]): ArmSamples {
  const candidate = arms.find((a) => a.result.arm === 'candidate')!.result.samples;
  const baseline = arms.find((a) => a.result.arm === 'baseline')?.result.samples;
  return baseline ? { candidate, baseline } : { candidate };
}

function withBaseline(arms: readonly ArmState[]): { baseline?: ArmResult } {
  const baseline = arms.find((a) => a.result.arm === 'baseline');
  return baseline ? { baseline: baseline.result } : {};
}
