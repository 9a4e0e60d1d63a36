// The built-in, hyperfine-style engine: warm-ups, then rounds of timed runs until the stop rule is met.
// Two arms (candidate and the re-measured baseline) run interleaved ABBA… or as a pinned duet, and every
// sample carries its round index so the statistics can pair the arms' runs.
import type { MeasureOptions } from '../model/plan.js';
import { classifyOutcome, WRONG_OUTPUT_FIX } from './classify-outcome.js';
import { checkedRun, EXPECTED_OUTPUT_LIMIT_BYTES } from './expected-output.js';
import { isDisturbed, mayExclude, splitContext } from './disturbance.js';
import { detectDuet, pinnedCommand, type DuetSupport } from './duet.js';
import { runProcess, type ProcessOutcome } from './process.js';
import { roundOrder, stopReason, type StopReason } from './schedule.js';
import type { ArmResult, CellMeasurement, Command, RunFailure, Sample, StderrPattern } from '../model/measurement.js';

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
  /**
   * Checks a clean run's output (expected-output.ts): a message makes the arm fail as `wrong-output`. Asked
   * on the arm's first run and one in CHECK_EVERY after it; those runs read their whole output back.
   */
  checkOutput?: (outcome: ProcessOutcome) => string | undefined;
  /** Corrects what a wrapper changed before the outcome is classified (GNU time reports signals as 128 + N). */
  reviseOutcome?: (outcome: ProcessOutcome) => ProcessOutcome;
}

export interface ProgressEvent {
  arm: ArmName;
  /** 'excluded': the round's run, reported before as 'run', was left out as disturbed and will be replayed */
  phase: 'warmup' | 'run' | 'excluded';
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
  /** stderr lines that name a trap, a load failure or a runtime error, from the runtime descriptor */
  stderrPatterns?: readonly StderrPattern[];
  /** adaptive stopping, asked after each round once minRuns and minTimeMs are met; default: stop */
  shouldStop?: (state: ArmSamples) => boolean;
  onProgress?: (event: ProgressEvent) => void;
  /** duet capability; detected (taskset on PATH, 2 usable cores) when omitted */
  duet?: DuetSupport;
  /**
   * A cell measured before (the time budget's second pass): its samples are kept, rounds continue after
   * its last one, one warm-up round runs first, and max-time / max-runs count over both passes.
   */
  resume?: CellRun;
}

export type CellRun = Omit<CellMeasurement, 'benchmark' | 'runtime' | 'runtimeVersion'>;

interface ArmState {
  input: ArmInput;
  result: ArmResult;
  /** runs started so far, warm-ups included (which of them are output-checked) */
  runs: number;
}

/** The spawn options of the arm's next run: a checked run reads its whole output back. */
function runOptions(cell: Cell, a: ArmState): { timeoutMs: number; fullOutputBytes?: number } {
  const timeoutMs = cell.input.options.timeoutMs;
  const checked = a.input.checkOutput !== undefined && checkedRun(a.runs++);
  return checked ? { timeoutMs, fullOutputBytes: EXPECTED_OUTPUT_LIMIT_BYTES } : { timeoutMs };
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

async function choosePlan(input: MeasureCellInput): Promise<Plan> {
  const asked = input.options.schedule;
  const pinning = asked === 'pinned' || asked === 'auto';
  if (input.arms.length === 1 && !pinning) return { schedule: 'single', notes: [] };
  if (asked === 'interleaved') return { schedule: 'interleaved', notes: [] };
  const cores = input.duet ?? (await detectDuet());
  const wanted = asked === 'auto' ? 'pinned' : asked;
  // pinned: one core for every run of both arms (the second allowed one: the first takes most interrupts).
  if (cores.available) return { schedule: wanted, cpus: cores.cpus, taskset: cores.taskset, notes: [] };
  // auto asked for nothing in particular: falling back is the plan, not news.
  const notes =
    asked === 'auto' ? [] : [`${wanted} schedule unavailable (${cores.reason}); runs were interleaved instead`];
  return { schedule: input.arms.length === 1 ? 'single' : 'interleaved', notes };
}

/** The arm's command, on the pinned schedule's core. */
function commandOf(cell: Cell, a: ArmState): Command {
  const { cpus, taskset } = cell.plan;
  return cell.plan.schedule === 'pinned' && cpus && taskset
    ? pinnedCommand(a.input.command, taskset, cpus[1])
    : a.input.command;
}

/** What one cell's loop shares between its steps. */
interface Cell {
  input: MeasureCellInput;
  plan: Plan;
  arms: ArmState[];
  startMs: number;
  /** the first timed round's index (after a resumed cell's rounds) */
  firstRound: number;
  /** time already spent on a resumed cell */
  spentMs: number;
  /** disturbed rounds left out / kept because the bound was reached */
  disturbed: { excluded: number; kept: number };
}

/** Time spent on the cell so far, a resumed cell's earlier pass included. */
const elapsedOf = (cell: Cell): number => cell.spentMs + nowMs() - cell.startMs;

const candidateFailed = (cell: Cell): boolean =>
  cell.arms.some((a) => a.result.arm === 'candidate' && a.result.failure);

/** Records one finished run: a warm-up, a timed sample (plus the arm's extra values), or the arm's failure. */
async function record(cell: Cell, arm: ArmState, raw: ProcessOutcome, phase: ProgressEvent['phase'], index: number) {
  const outcome = arm.input.reviseOutcome?.(raw) ?? raw;
  const { trapExitCodes, options, stderrPatterns } = cell.input;
  let failure = classifyOutcome(outcome, trapExitCodes, options.timeoutMs, stderrPatterns);
  const wrong = !failure && outcome.fullOutputRead && arm.input.checkOutput?.(outcome);
  if (wrong) failure = wrongOutput(wrong, outcome);
  if (!failure && phase === 'warmup') arm.result.warmups++;
  if (!failure && phase === 'run') {
    try {
      const { values, context } = splitContext((await arm.input.readExtra?.(outcome)) ?? {});
      const sample = { values: { ...values, wall: outcome.wallMs }, exitCode: 0, round: index };
      arm.result.samples.push(context ? { ...sample, context } : sample);
    } catch (e) {
      const message = `reading the run's metrics failed: ${e instanceof Error ? e.message : String(e)}`;
      failure = { kind: 'output', message, stdoutHead: outcome.stdoutHead, stderrTail: outcome.stderrTail };
    }
  }
  if (failure) arm.result.failure = failure;
  const elapsedMs = elapsedOf(cell);
  cell.input.onProgress?.({ arm: arm.result.arm, phase, index, wallMs: outcome.wallMs, failed: !!failure, elapsedMs });
}

function wrongOutput(message: string, outcome: ProcessOutcome): RunFailure {
  return {
    kind: 'wrong-output',
    message: `wrong output: ${message}. ${WRONG_OUTPUT_FIX}.`,
    stdoutHead: outcome.stdoutHead,
    ...(outcome.stdoutTail ? { stdoutTail: outcome.stdoutTail } : {}),
    stderrTail: outcome.stderrTail,
  };
}

/** Both arms at once, pinned; cores swap every round so a faster core does not favour one arm. */
async function playDuet(cell: Cell, pair: ArmState[], index: number, phase: ProgressEvent['phase']) {
  const { cpus, taskset } = cell.plan;
  if (!cpus || !taskset) throw new Error('playDuet: no duet plan');
  const cpuOf = (a: ArmState) => cpus[(cell.arms.indexOf(a) + index) % 2]!;
  for (const a of pair) a.input.beforeRun?.();
  const outcomes = await Promise.all(
    pair.map((a) => runProcess(pinnedCommand(a.input.command, taskset, cpuOf(a)), runOptions(cell, a))),
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
    await record(cell, a, await runProcess(commandOf(cell, a), runOptions(cell, a)), phase, index);
  }
}

/** Timed rounds until the stop rule says so; a failed candidate ends the cell at once. */
async function measureRounds(cell: Cell): Promise<StopReason> {
  const measuringStart = nowMs();
  const { options, shouldStop } = cell.input;
  for (let round = cell.firstRound; ; round++) {
    if (candidateFailed(cell)) return 'failure';
    await playRound(cell, round, 'run');
    if (candidateFailed(cell)) return 'failure';
    const healthy = cell.arms.filter((a) => !a.result.failure);
    judgeRound(cell, healthy, round);
    const state = {
      runs: Math.min(...healthy.map((a) => a.result.samples.length)),
      elapsedMs: elapsedOf(cell),
      measuringMs: cell.spentMs + nowMs() - measuringStart,
    };
    const reason = stopReason(state, options, shouldStop && (() => shouldStop(samplesOf(cell.arms))));
    if (reason) return reason;
  }
}

/**
 * Leaves the round out when either arm's run was clearly disturbed (disturbance.ts), while the bound
 * allows: its runs move to `excluded` and the loop plays another round in its place.
 */
function judgeRound(cell: Cell, arms: readonly ArmState[], round: number): void {
  const runs = arms.map((a) => ({ a, run: a.result.samples.at(-1) }));
  if (runs.some(({ run }) => run?.round !== round)) return;
  const disturbed = runs.some(({ a, run }) =>
    isDisturbed(run!, [...a.result.samples.slice(0, -1), ...(a.result.excluded ?? [])]),
  );
  if (!disturbed) return;
  const played = Math.max(...arms.map((a) => a.result.samples.length + (a.result.excluded?.length ?? 0)));
  if (!mayExclude(cell.disturbed.excluded, played)) {
    cell.disturbed.kept++;
    return;
  }
  cell.disturbed.excluded++;
  const elapsedMs = elapsedOf(cell);
  for (const { a, run } of runs) {
    a.result.samples.pop();
    a.result.excluded = [...(a.result.excluded ?? []), run!];
    // The live line counts kept rounds only, so it agrees with the final count and never passes max-runs.
    const wallMs = run!.values.wall ?? 0;
    cell.input.onProgress?.({ arm: a.result.arm, phase: 'excluded', index: round, wallMs, failed: false, elapsedMs });
  }
}

/** Measures one benchmark × runtime with the built-in engine. */
export async function measureCell(input: MeasureCellInput): Promise<CellRun> {
  checkArms(input.arms);
  const prior = input.resume;
  const cell: Cell = {
    input,
    plan: await choosePlan(input),
    arms: input.arms.map((a) => ({ input: a, result: priorResult(prior, a.arm), runs: 0 })),
    startMs: nowMs(),
    firstRound: nextRound(prior),
    spentMs: prior?.elapsedMs ?? 0,
    disturbed: { excluded: prior?.disturbance?.excluded ?? 0, kept: prior?.disturbance?.kept ?? 0 },
  };
  reportPriorRounds(cell);
  const warmups = prior ? Math.min(1, input.options.warmup) : input.options.warmup;
  for (let w = 0; w < warmups && !candidateFailed(cell); w++) await playRound(cell, w, 'warmup');
  const reason = await measureRounds(cell);
  return {
    candidate: cell.arms.find((a) => a.result.arm === 'candidate')!.result,
    ...withBaseline(cell.arms),
    schedule: cell.plan.schedule,
    elapsedMs: elapsedOf(cell),
    stopReason: reason,
    ...(cell.disturbed.excluded + cell.disturbed.kept > 0 ? { disturbance: { ...cell.disturbed } } : {}),
    ...(cell.plan.notes.length ? { notes: cell.plan.notes } : {}),
  };
}

/**
 * A resumed cell first reports the rounds it already has, so a progress display counts (and estimates from)
 * all of them, as the stop rule and the final count do, not only this pass's.
 */
function reportPriorRounds(cell: Cell): void {
  for (const { result } of cell.arms)
    for (const s of result.samples) {
      const event = { arm: result.arm, phase: 'run', index: s.round, failed: false, elapsedMs: cell.spentMs } as const;
      cell.input.onProgress?.({ ...event, wallMs: s.values.wall ?? 0 });
    }
}

/** A copy of the arm's earlier result to add to, or a fresh one. */
function priorResult(prior: CellRun | undefined, arm: ArmName): ArmResult {
  const before = arm === 'candidate' ? prior?.candidate : prior?.baseline;
  return before ? { ...before, samples: [...before.samples] } : { arm, samples: [], warmups: 0 };
}

function nextRound(prior: CellRun | undefined): number {
  const arms = [prior?.candidate, prior?.baseline];
  const rounds = arms.flatMap((a) => [...(a?.samples ?? []), ...(a?.excluded ?? [])]).map((s) => s.round);
  return rounds.length ? Math.max(...rounds) + 1 : 0;
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
