// Sensitivity bench (a script, not a test): how often does the gate catch an exact, known regression,
// how often does it cry wolf on A/A, and how many runs / seconds does a verdict cost?
//
//   npx tsx bench/sensitivity.ts [--trials K] [--sizes 0,2] [--stored-sizes 0,5] [--modes paired,duet,stored] [--workload nbody]
//                                [--threshold 1] [--stored-threshold 2.5] [--target-ms 200] [--quick]
//   npx tsx bench/sensitivity.ts --replay bench/results/sensitivity-<stamp>.raw.jsonl [--min-runs 6 --max-runs 60 --metric cpu ...]
//   --load [N]   measure under a background load: N busy node processes (a busy loop; default one per core),
//                started before calibration and stopped at the end; the 1-minute load average is printed.
//   --schedule S the schedule of every trial but duet and of the refresh sessions: auto (the gate's default:
//                pinned to one core where taskset and a second core exist), pinned or interleaved. Calibration
//                runs on it too, so that a size is realised on the schedule it is judged on.
//   --history K  record K refresh sessions (warm-up + baseline-runs, as a refresh measures) before the trials; the
//                stored trials are then judged a second time ("stored+history" rows) as the gate judges a stored
//                baseline that has history: against the medians of the refreshes before it (the K seeds and every
//                earlier trial's stored session), src/history/stored-verdict.ts. Each of those refreshes looked
//                for change points as a refresh does, so a trial judges the regime since the last one reported;
//                `--change-points off` judges it against all of them.
//
// Disturbed rounds (src/measure/disturbance.ts): every round is recorded, left-out ones too, with each run's
// CPU time and involuntary context switches; the replay judges each trial twice on the same samples, as
// recorded ("rule off") and with the disturbed-round rule applied causally, as the engine does ("rule on").
//
// Workload: examples/wasm/nbody.wasm on the `node` runtime (the WASI launcher), steps from argv, so the
// same .wasm does exactly more work with a larger argument. Sizes are changes of WALL time: steps are
// calibrated (wall = startup + slope·steps) so that candidate/baseline ≈ 1 + size; the realised ratio is
// re-estimated from the pooled paired trials and printed.
//
// Modes (each trial measured through the real engine, measureCell):
//   paired  baseline and candidate re-measured side by side, interleaved ABBA (the default schedule)
//   duet    the same, both at once pinned to the two cores (Bulej et al., ICPE 2020)
//   stored  baseline measured alone in an earlier session (baseline mode: warm-up + min-runs), the
//           candidate alone later (other trials run in between), compared unpaired with the stored figures
//
// Every trial is RECORDED to max-runs rounds (no early stop) and written to a raw .jsonl file; the stop
// rule is then REPLAYED on the prefixes with the real schedule.stopReason + compare/stopping.decisive, and
// the verdict is the real compareAll on the prefix where the engine would have stopped. Because the stop
// rule cannot influence the rounds before it fires, this is what the engine would have produced — and it
// lets the stop rule, a fixed hyperfine-style count and the naive "ratio of means > threshold" rule be
// judged on the very same samples (the old rule: see bench/README.md).
import { appendFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBaseline } from '../src/baseline/build.js';
import { machineFingerprint } from '../src/baseline/machine.js';
import type { BaselineDoc, MachineFingerprint } from '../src/baseline/types.js';
import { compareAll } from '../src/compare/compare.js';
import { detectNewChangePoints } from '../src/history/change-points.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import { decisive, type StoppingState } from '../src/compare/stopping.js';
import type { BenchmarkSpec, MeasureOptions } from '../src/model/plan.js';
import { isDisturbed, mayExclude } from '../src/measure/disturbance.js';
import { detectDuet } from '../src/measure/duet.js';
import { measureCell, type ProgressEvent } from '../src/measure/engine.js';
import { launcherTimingsReader } from '../src/measure/launcher-timings.js';
import { stopReason, type StopLimits } from '../src/measure/schedule.js';
import { scrubEnv } from '../src/measure/scrub-env.js';
import { signTestInterval } from '../src/stats/paired.js';
import type { CellMeasurement, Command, Sample } from '../src/model/measurement.js';
import { resolveRuntime } from '../src/runtimes/install.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';

type Mode = 'paired' | 'duet' | 'stored' | 'stored+history';

interface Args {
  trials: number;
  sizes: number[]; // percent, paired + duet
  storedSizes: number[]; // percent, stored
  modes: Mode[];
  workload: string;
  threshold: number; // percent, paired + duet
  storedThreshold: number; // percent, stored
  targetMs: number;
  record: number; // rounds recorded per trial
  baselineRuns: number;
  limits: StopLimits;
  warmup: number;
  replay?: string;
  /** replay only trials whose robust noise (1.4826·MAD of the per-round log ratios) is at most this */
  maxNoise?: number;
  /** metric judged: wall (default) or one the launcher reports (cpu, execute, user) */
  metric: string;
  out: string;
  quick: boolean;
  /** busy background processes while recording (0 = none) */
  load: number;
  /** schedule of the paired and stored trials, the refresh sessions and the calibration */
  schedule: MeasureOptions['schedule'];
  /** refresh sessions recorded before the trials, the seed of the stored trials' history */
  history: number;
  /** stored+history rows judge the regime since the last change point a refresh would have reported */
  changePoints: boolean;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv: string[]): Args {
  const flags = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('--')) throw new Error(`unexpected argument ${a}`);
    const next = argv[i + 1];
    if (next === undefined || next.startsWith('--')) flags.set(a.slice(2), 'true');
    else flags.set(a.slice(2), (i++, next));
  }
  const quick = flags.get('quick') === 'true';
  const num = (k: string, d: number) => (flags.has(k) ? Number(flags.get(k)) : d);
  const list = (k: string, d: string) =>
    (flags.get(k) ?? d)
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
  const maxRuns = num('max-runs', 60);
  const stamp = new Date().toISOString().slice(0, 16).replace(/[:T]/g, '-');
  return {
    trials: num('trials', quick ? 3 : 40),
    sizes: list('sizes', '0,2').map(Number),
    storedSizes: list('stored-sizes', flags.get('sizes') ?? '0,5').map(Number),
    modes: list('modes', 'paired,duet,stored') as Mode[],
    workload: flags.get('workload') ?? 'nbody',
    threshold: num('threshold', 1),
    storedThreshold: num('stored-threshold', 2.5),
    targetMs: num('target-ms', 200),
    record: num('record', quick ? Math.min(30, maxRuns) : maxRuns),
    baselineRuns: num('baseline-runs', 10),
    warmup: num('warmup', 1),
    limits: {
      minRuns: num('min-runs', 10),
      maxRuns,
      minTimeMs: num('min-time', 0) * 1000,
      maxTimeMs: num('max-time', 60) * 1000,
    },
    replay: flags.get('replay'),
    metric: flags.get('metric') ?? 'wall',
    ...(flags.has('max-noise') ? { maxNoise: Number(flags.get('max-noise')) } : {}),
    out: flags.get('out') ?? join(root, 'bench', 'results', `sensitivity-${stamp}${quick ? '-quick' : ''}`),
    quick,
    load: flags.get('load') === 'true' ? availableParallelism() : num('load', 0),
    schedule: (flags.get('schedule') ?? 'auto') as MeasureOptions['schedule'],
    history: num('history', 0),
    changePoints: flags.get('change-points') !== 'off',
  };
}

// ---------------------------------------------------------------- measuring

interface Round {
  /** wall ms of the baseline / candidate run of this round (baseline absent in stored mode) */
  b?: number;
  c: number;
  /** the launcher's other metrics (cpu = user + sys, execute, …) of the same runs */
  bx?: Record<string, number>;
  cx?: Record<string, number>;
  /** the candidate's wall ms when c holds another metric (--metric) */
  wall?: number;
  /** involuntary context switches of the baseline / candidate run */
  bi?: number;
  ci?: number;
  /** ms since the cell started (warm-ups included) when the round ended */
  at: number;
}

interface Trial {
  mode: Mode;
  size: number;
  k: number;
  steps: { baseline: number; candidate: number };
  warmupMs: number;
  rounds: Round[];
  /** stored mode: the earlier session's baseline values (and their other metrics) */
  stored?: number[];
  storedX?: Record<string, number>[];
  storedAt?: string;
  /** stored+history: the refresh sessions before this trial's stored one, oldest first (values of the judged metric) */
  history?: Session[];
  startedAt: string;
  schedule: string;
  /** replay with the disturbed-round rule: rounds it left out */
  excludedRounds?: number;
}

/** One refresh session: its runs' wall values (and their other metrics), when it was measured. */
interface Session {
  at: string;
  values: number[];
  extra: Record<string, number>[];
}

interface Workload {
  runtime: ResolvedRuntime;
  wasm: string;
  command: (steps: number, timingsFile?: string) => Command;
}

async function loadWorkload(name: string): Promise<Workload> {
  if (name !== 'nbody') throw new Error(`workload ${name}: only nbody (steps from argv, exact work) is supported`);
  const runtime = await resolveRuntime({ name: 'node', flags: [], id: 'node' }, { log: () => {}, warn: () => {} });
  const wasm = join(root, 'examples', 'wasm', 'nbody.wasm');
  const env = scrubEnv(process.env);
  return {
    runtime,
    wasm,
    command: (steps, timingsFile) => {
      const cmd = runtime.command({
        wasm,
        args: [String(steps)],
        env: {},
        cwd: root,
        ...(timingsFile ? { timingsFile } : {}),
      });
      return { ...cmd, env: { ...env, ...cmd.env } };
    },
  };
}

function options(rounds: number, schedule: MeasureOptions['schedule'], warmup: number): MeasureOptions {
  return {
    engine: 'builtin',
    schedule,
    warmup,
    minRuns: rounds,
    maxRuns: rounds,
    minTimeMs: 0,
    maxTimeMs: 10 * 60_000,
    timeoutMs: 60_000,
    cache: 'warm',
  };
}

async function measure(
  w: Workload,
  arms: { arm: 'candidate' | 'baseline'; steps: number }[],
  rounds: number,
  schedule: MeasureOptions['schedule'],
  warmup: number,
) {
  const events: ProgressEvent[] = [];
  const scratch = mkdtempSync(join(tmpdir(), 'wpg-sens-'));
  const run = await measureCell({
    arms: arms.map((a) => {
      const file = join(scratch, `${a.arm}.json`);
      return { arm: a.arm, command: w.command(a.steps, file), readExtra: launcherTimingsReader(file) };
    }),
    options: options(rounds, schedule, warmup),
    trapExitCodes: w.runtime.trapExitCodes,
    onProgress: (e) => events.push(e),
  });
  rmSync(scratch, { recursive: true, force: true });
  const failure = run.candidate.failure ?? run.baseline?.failure;
  if (failure) throw new Error(`measuring failed: ${failure.kind} ${failure.message}`);
  const warmupMs = Math.max(0, ...events.filter((e) => e.phase === 'warmup').map((e) => e.elapsedMs));
  const at = (r: number) =>
    Math.max(...events.filter((e) => e.phase === 'run' && e.index === r).map((e) => e.elapsedMs));
  // Every round played, the ones the engine left out as disturbed too: the replay judges both ways.
  const all = (a: typeof run.candidate | undefined) => [...(a?.samples ?? []), ...(a?.excluded ?? [])];
  const [cs, bs] = [all(run.candidate), run.baseline && all(run.baseline)];
  const find = (s: Sample[] | undefined, r: number) => s?.find((x) => x.round === r);
  const wall = (s: Sample[] | undefined, r: number) => find(s, r)?.values['wall'];
  const extra = (s: Sample[] | undefined, r: number) => {
    const v = find(s, r)?.values;
    return v && Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'wall'));
  };
  const invcsw = (s: Sample[] | undefined, r: number) => find(s, r)?.context?.involuntaryContextSwitches;
  const out: Round[] = [];
  for (const r of [...new Set(cs.map((x) => x.round))].sort((x, y) => x - y)) {
    const c = wall(cs, r);
    if (c === undefined) continue;
    const b = wall(bs, r);
    const bx = extra(bs, r);
    const [bi, ci] = [invcsw(bs, r), invcsw(cs, r)];
    out.push({
      ...(b === undefined ? {} : { b, bx }),
      c,
      cx: extra(cs, r),
      ...(bi === undefined ? {} : { bi }),
      ...(ci === undefined ? {} : { ci }),
      at: at(r),
    });
  }
  return { rounds: out, warmupMs, schedule: run.schedule };
}

/**
 * wall = startup + slope·steps: a coarse fit from runs at 0 and 2M steps, then the local line through the
 * target and 20% more work, on the trials' schedule (the coarse unpinned line realised +2% as +1.55% under load).
 */
async function calibrate(
  w: Workload,
  targetMs: number,
  schedule: MeasureOptions['schedule'],
  log: (s: string) => void,
) {
  const fit = async (lo: number, hi: number, rounds: number) => {
    const m = await measure(
      w,
      [
        { arm: 'candidate', steps: hi },
        { arm: 'baseline', steps: lo },
      ],
      rounds,
      schedule,
      1,
    );
    // Per-round differences, as the verdict pairs them (a ratio of medians would miss by the skew).
    const slope = median(m.rounds.map((r) => r.c - r.b!)) / (hi - lo);
    return { slope, startup: median(m.rounds.map((r) => r.b!)) - slope * lo };
  };
  const coarse = await fit(0, 2_000_000, 12);
  const steps = Math.max(1000, Math.round((targetMs - coarse.startup) / coarse.slope));
  const { startup, slope } = await fit(steps, Math.round(steps * 1.2), 30);
  log(
    `calibration (${schedule}): ${steps} steps ≈ ${targetMs} ms; locally startup ${startup.toFixed(1)} ms, ${(slope * 1e6).toFixed(1)} ms per 1M steps`,
  );
  return {
    startup,
    slope,
    steps,
    stepsFor: (size: number) => Math.round(steps + ((size / 100) * (startup + slope * steps)) / slope),
  };
}

async function record(args: Args, rawFile: string, log: (s: string) => void): Promise<Trial[]> {
  const w = await loadWorkload(args.workload);
  const duet = await detectDuet();
  log(
    `runtime ${w.runtime.id} (${w.runtime.exe}); duet: ${duet.available ? `cores ${duet.cpus.join('+')}` : duet.reason}`,
  );
  const cal = await calibrate(w, args.targetMs, args.schedule, log);
  const cells = args.modes.flatMap((mode) =>
    (mode === 'stored' ? args.storedSizes : args.sizes).map((size) => ({ mode, size })),
  );
  writeFileSync(
    rawFile,
    JSON.stringify({
      kind: 'meta',
      args,
      calibration: { startup: cal.startup, slope: cal.slope, steps: cal.steps },
      machine: machineFingerprint(),
      startedAt: new Date().toISOString(),
    }) + '\n',
  );
  const trials: Trial[] = [];
  const save = (t: Trial) => (trials.push(t), appendFileSync(rawFile, JSON.stringify({ kind: 'trial', ...t }) + '\n'));
  const started = Date.now();
  // One refresh of the unchanged program, as baseline mode measures it (warm-up + baseline-runs).
  const refreshSession = async (): Promise<Session> => {
    const at = new Date().toISOString();
    const { rounds } = await measure(
      w,
      [{ arm: 'candidate', steps: cal.steps }],
      args.baselineRuns,
      args.schedule,
      args.warmup,
    );
    return { at, values: rounds.map((r) => r.c), extra: rounds.map((r) => r.cx ?? {}) };
  };
  for (let i = 0; i < args.history; i++) {
    const session = await refreshSession();
    appendFileSync(rawFile, JSON.stringify({ kind: 'session', ...session }) + '\n');
    log(`history session ${i + 1}/${args.history}: median ${median(session.values).toFixed(1)} ms`);
  }
  for (let k = 0; k < args.trials; k++) {
    // Stored baselines first, then the side-by-side trials in a shuffled order, then the stored
    // candidates: the candidate session comes minutes after its baseline, as in CI.
    const stored = new Map<number, Session>();
    for (const c of cells.filter((c) => c.mode === 'stored')) stored.set(c.size, await refreshSession());
    const sideBySide = shuffle(
      cells.filter((c) => c.mode !== 'stored'),
      k + 1,
    );
    for (const c of [...sideBySide, ...cells.filter((c) => c.mode === 'stored')]) {
      const steps = { baseline: cal.steps, candidate: cal.stepsFor(c.size) };
      const startedAt = new Date().toISOString();
      const arms =
        c.mode === 'stored'
          ? [{ arm: 'candidate' as const, steps: steps.candidate }]
          : [
              { arm: 'candidate' as const, steps: steps.candidate },
              { arm: 'baseline' as const, steps: steps.baseline },
            ];
      const schedule = c.mode === 'duet' ? 'duet' : args.schedule;
      const m = await measure(w, arms, args.record, schedule, args.warmup);
      const s = stored.get(c.size);
      save({
        mode: c.mode,
        size: c.size,
        k,
        steps,
        warmupMs: m.warmupMs,
        rounds: m.rounds,
        startedAt,
        schedule: m.schedule,
        ...(c.mode === 'stored' && s ? { stored: s.values, storedX: s.extra, storedAt: s.at } : {}),
      });
      const ratio =
        median(m.rounds.map((r) => r.c)) /
        median(
          m.rounds
            .map((r) => r.b ?? NaN)
            .filter(Number.isFinite)
            .concat(s?.values ?? []),
        );
      log(
        `trial ${k + 1}/${args.trials} ${c.mode} +${c.size}%: ${m.rounds.length} rounds, median ratio ${ratio.toFixed(4)}, ${((Date.now() - started) / 60000).toFixed(1)} min so far`,
      );
    }
  }
  return trials;
}

// ---------------------------------------------------------------- replaying rules and verdicts

type Rule = (state: StoppingState, threshold: number) => boolean;
const RULES: Record<string, Rule> = {
  new: (s, t) => decisive(s, t, 'wall', { cells: 1 }),
};

const samples = (values: readonly number[]): Sample[] =>
  values.map((v, round) => ({ values: { wall: v }, exitCode: 0, round }));

const spec = (threshold: number): BenchmarkSpec => ({
  id: 'nbody',
  artifact: '/bench/nbody.wasm',
  artifactRel: 'nbody.wasm',
  args: [],
  env: {},
  runtimes: [{ name: 'node', flags: [], id: 'node' }],
  threshold,
  metrics: ['wall'],
  programMetrics: [],
  thresholds: {},
});

const info = () => ({ unit: 'ms', direction: 'lower' as const });

function storedDoc(
  values: readonly number[],
  machine: MachineFingerprint,
  threshold: number,
  history?: readonly Session[],
): BaselineDoc {
  const m: CellMeasurement = {
    benchmark: 'nbody',
    runtime: 'node@x',
    runtimeVersion: 'x',
    candidate: { arm: 'candidate', samples: samples(values), warmups: 1 },
    schedule: 'single',
    elapsedMs: 0,
  };
  const artifacts = new Map([['/bench/nbody.wasm', { sha256: 'base', bytes: new Uint8Array(), rel: 'nbody.wasm' }]]);
  const doc = buildBaseline({
    measurements: [m],
    benchmarks: [spec(threshold)],
    artifacts,
    machine,
    now: new Date(),
    metricInfo: info,
  });
  if (!history) return doc;
  return { ...doc, history: [benchHistory(values, history, doc.entries[0]!.runtime)] };
}

/** The refreshes before this one, then this one: the points a refresh-by-refresh history would hold. */
function benchHistory(values: readonly number[], history: readonly Session[], runtime = 'node'): CellHistory {
  const point = (v: readonly number[], date: string): HistoryPoint => ({
    date,
    runtimeVersion: 'x',
    machine: 'bench',
    median: median(v),
    interval: signTestInterval(v, 0.95).interval, // as baseline/append-history.ts records it
    n: v.length,
  });
  const points = [...history.map((h) => point(h.values, h.at)), point(values, new Date().toISOString())];
  if (!changePointsOn) return { benchmark: 'nbody', runtime, metric: 'wall', points };
  return { ...refreshed(points), runtime };
}

/** `--change-points off` judges every trial against all its refreshes, as before the regimes were emulated. */
let changePointsOn = true;
const refreshedMemo = new Map<string, CellHistory>();

/**
 * The history after refreshes that each appended one of `points` and looked for change points, as a refresh
 * does (history/refresh.ts): a stored verdict then judges the regime since the last one (currentRegime).
 */
function refreshed(points: readonly HistoryPoint[]): CellHistory {
  const key = points.map((p) => `${p.date}:${p.median}`).join('|');
  const hit = refreshedMemo.get(key);
  if (hit) return hit;
  const before: CellHistory =
    points.length > 1
      ? refreshed(points.slice(0, -1))
      : { benchmark: 'nbody', runtime: 'node', metric: 'wall', points: [] };
  const [after] = detectNewChangePoints([{ ...before, points: [...before.points, points.at(-1)!] }]).history;
  refreshedMemo.set(key, after!);
  return after!;
}

function verdictOn(t: Trial, n: number, threshold: number, machine: MachineFingerprint) {
  const rounds = t.rounds.slice(0, n);
  const m: CellMeasurement = {
    benchmark: 'nbody',
    runtime: 'node@x',
    runtimeVersion: 'x',
    candidate: { arm: 'candidate', samples: samples(rounds.map((r) => r.c)), warmups: 1 },
    schedule: t.stored ? 'single' : t.mode === 'duet' ? 'duet' : 'interleaved',
    elapsedMs: rounds.at(-1)?.at ?? 0,
  };
  if (!t.stored) m.baseline = { arm: 'baseline', samples: samples(rounds.map((r) => r.b!)), warmups: 1 };
  const baseline = t.stored ? storedDoc(t.stored, machine, threshold, t.history) : undefined;
  const [v] = compareAll({
    measurements: [m],
    benchmarks: [spec(threshold)],
    machine,
    metricInfo: info,
    ...(baseline ? { baseline } : {}),
  });
  return v!;
}

/** Where the engine would have stopped with `rule`: the real stopReason, fed the recorded clock. */
function stopAt(
  t: Trial,
  rule: Rule | undefined,
  threshold: number,
  limits: StopLimits,
): { n: number; reason: string } {
  // stopping judges a stored cell with history against it, as the gate does (pipeline/run-gate.ts stopRuleFor)
  const history = t.stored && t.history ? { history: benchHistory(t.stored, t.history) } : {};
  for (let n = 1; n <= t.rounds.length; n++) {
    const at = t.rounds[n - 1]!.at;
    const state = { runs: n, elapsedMs: at, measuringMs: at - t.warmupMs };
    const prefix = t.rounds.slice(0, n);
    const converged =
      rule &&
      (() =>
        rule(
          t.stored
            ? { candidate: samples(prefix.map((r) => r.c)), stored: t.stored, ...history }
            : { candidate: samples(prefix.map((r) => r.c)), baseline: samples(prefix.map((r) => r.b!)) },
          threshold,
        ));
    const reason = stopReason(state, limits, converged);
    if (reason) return { n, reason };
  }
  return { n: t.rounds.length, reason: 'recorded' };
}

interface Outcome {
  kind: string;
  n: number;
  seconds: number;
  reason: string;
}

function outcome(
  t: Trial,
  rule: Rule | undefined,
  threshold: number,
  limits: StopLimits,
  machine: MachineFingerprint,
): Outcome {
  const { n, reason } = stopAt(t, rule, threshold, limits);
  return { kind: verdictOn(t, n, threshold, machine).kind, n, seconds: t.rounds[n - 1]!.at / 1000, reason };
}

/** hyperfine's default: at least 10 runs and at least 3 s per command. */
const hyperfineRuns = (t: Trial) =>
  Math.min(t.rounds.length, Math.max(10, Math.ceil(3000 / median(t.rounds.map((r) => r.wall ?? r.c)))));

function naive(t: Trial, n: number, threshold: number): boolean {
  const rounds = t.rounds.slice(0, n);
  const base = t.stored ?? rounds.map((r) => r.b!);
  return mean(rounds.map((r) => r.c)) / mean(base) > 1 + threshold;
}

/** The trial as the engine's disturbed-round rule would have kept it (causal: each round judged on the runs before it). */
function ruleApplied(t: Trial): Trial {
  const asSample = (wall: number, x: Record<string, number> | undefined, inv: number | undefined, round: number) => ({
    values: { wall, ...(x?.['cpu'] !== undefined ? { cpu: x['cpu'] } : {}) },
    exitCode: 0,
    round,
    ...(inv === undefined ? {} : { context: { involuntaryContextSwitches: inv } }),
  });
  const seen: { c: Sample[]; b: Sample[] } = { c: [], b: [] };
  const kept: Round[] = [];
  let excluded = 0;
  for (const [i, r] of t.rounds.entries()) {
    const c = asSample(r.c, r.cx, r.ci, i);
    const b = r.b === undefined ? undefined : asSample(r.b, r.bx, r.bi, i);
    const disturbed = isDisturbed(c, seen.c) || (b !== undefined && isDisturbed(b, seen.b));
    seen.c.push(c);
    if (b) seen.b.push(b);
    if (disturbed && mayExclude(excluded, i + 1)) excluded++;
    else kept.push(r);
  }
  return { ...t, mode: `${t.mode}+rule` as Mode, rounds: kept, excludedRounds: excluded };
}

// ---------------------------------------------------------------- the table

interface Row {
  mode: Mode;
  size: number;
  threshold: number;
  k: number;
  rules: Record<string, Outcome[]>;
  fixed: Outcome[];
  naive: boolean[];
  hyperfine: number;
  realised: number;
}

function analyse(trials: Trial[], args: Args, machine: MachineFingerprint): Row[] {
  const keys = [...new Set(trials.map((t) => `${t.mode}|${t.size}`))];
  const rows: Row[] = [];
  for (const key of keys) {
    const ts = trials.filter((t) => `${t.mode}|${t.size}` === key);
    const { mode, size } = ts[0]!;
    const thresholds = [(mode.startsWith('stored') ? args.storedThreshold : args.threshold) / 100];
    // "Runs for a verdict on a stable benchmark": the A/A trials again at the default 5% threshold.
    if (size === 0 && !thresholds.includes(0.05)) thresholds.push(0.05);
    for (const threshold of thresholds) rows.push(row(ts, mode, size, threshold, args, machine));
  }
  return rows;
}

function row(ts: Trial[], mode: Mode, size: number, threshold: number, args: Args, machine: MachineFingerprint): Row {
  const rules = Object.fromEntries(
    Object.entries(RULES).map(([name, rule]) => [
      name,
      ts.map((t) => outcome(t, rule, threshold, args.limits, machine)),
    ]),
  );
  const fixed = ts.map((t) => {
    const h = hyperfineRuns(t);
    return {
      kind: verdictOn(t, h, threshold, machine).kind,
      n: h,
      seconds: t.rounds[h - 1]!.at / 1000,
      reason: 'fixed',
    };
  });
  // Realised ratio: median over trials of the per-trial median ratio (all recorded rounds).
  const realised = median(
    ts.map((t) =>
      t.stored ? median(t.rounds.map((r) => r.c)) / median(t.stored) : median(t.rounds.map((r) => r.c / r.b!)),
    ),
  );
  return {
    mode,
    size,
    threshold,
    k: ts.length,
    rules,
    fixed,
    naive: ts.map((t) => naive(t, hyperfineRuns(t), threshold)),
    hyperfine: median(ts.map(hyperfineRuns)),
    realised,
  };
}

const ALARMS = ['regressed', 'improved', 'likely-regressed', 'likely-improved'];
const CAUGHT = ['regressed', 'likely-regressed'];
const pct = (x: number, k: number) => `${Math.round((100 * x) / k)}% (${x}/${k})`;
const count = (os: Outcome[], kinds: string[]) => os.filter((o) => kinds.includes(o.kind)).length;

/** Clopper–Pearson-ish upper 95% bound for x/k (exact for x = 0: 1 − 0.05^(1/k)); Wilson otherwise. */
function upper95(x: number, k: number): number {
  if (x === 0) return 1 - Math.pow(0.05, 1 / k);
  const z = 1.96;
  const p = x / k;
  return (p + (z * z) / (2 * k) + z * Math.sqrt((p * (1 - p)) / k + (z * z) / (4 * k * k))) / (1 + (z * z) / k);
}
function lower95(x: number, k: number): number {
  if (x === k) return Math.pow(0.05, 1 / k);
  return 1 - upper95(k - x, k);
}

function table(rows: Row[], args: Args, meta: string[]): string {
  const lines = [...meta, ''];
  lines.push(
    `Adaptive gate (stop rule replayed with min-runs ${args.limits.minRuns}, max-runs ${args.limits.maxRuns}, max-time ${args.limits.maxTimeMs / 1000}s). ` +
      `"caught" = regressed or likely-regressed (both fail the step); on A/A rows "false alarm" = any of those or (likely-)improved. 95% bounds: exact/Wilson.`,
    '',
    '| mode | size (realised) | thr | K | rule | caught / false alarm | 95% bound | unchanged | inconcl. | median s | median rounds (p90) | stop: converged/max |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  );
  for (const r of rows) {
    const entries: [string, Outcome[]][] = [
      ...Object.entries(r.rules),
      [`fixed hyperfine-style (${r.hyperfine} rounds)`, r.fixed],
    ];
    for (const [name, os] of entries) {
      const aa = r.size === 0;
      const hits = aa ? count(os, ALARMS) : count(os, CAUGHT);
      const bound = aa ? `≤${(100 * upper95(hits, r.k)).toFixed(1)}%` : `≥${(100 * lower95(hits, r.k)).toFixed(1)}%`;
      const ns = os.map((o) => o.n);
      const conv = os.filter((o) => o.reason === 'converged').length;
      lines.push(
        `| ${r.mode} | ${r.size === 0 ? 'A/A' : `+${r.size}%`} (${((r.realised - 1) * 100).toFixed(2)}%) | ${(r.threshold * 100).toFixed(1)}% | ${r.k} | ${name} | ${aa ? 'FA ' : ''}${pct(hits, r.k)} | ${bound} | ` +
          `${pct(count(os, ['unchanged']), r.k)} | ${pct(count(os, ['inconclusive']), r.k)} | ${median(os.map((o) => o.seconds)).toFixed(1)} | ${median(ns)} (${quantile(ns, 0.9)}) | ${name.startsWith('fixed') ? '–' : `${conv}/${r.k - conv}`} |`,
      );
    }
    const alarms = r.naive.filter(Boolean).length;
    lines.push(
      `| ${r.mode} | ${r.size === 0 ? 'A/A' : `+${r.size}%`} | ${(r.threshold * 100).toFixed(1)}% | ${r.k} | naive: mean ratio > 1+thr on the same ${r.hyperfine} rounds | ${r.size === 0 ? 'FA ' : ''}${pct(alarms, r.k)} | | | | | | |`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------- helpers

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}
function quantile(xs: readonly number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
function shuffle<T>(xs: T[], seed: number): T[] {
  let s = seed * 2654435761;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

function readRaw(file: string): { meta: Record<string, unknown>; trials: Trial[]; sessions: Session[] } {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
  return {
    meta: lines.find((l) => l.kind === 'meta') ?? {},
    trials: lines.filter((l) => l.kind === 'trial'),
    sessions: lines.filter((l) => l.kind === 'session'),
  };
}

/**
 * The stored trials again, each with the history a refresh-by-refresh baseline would have: the seed sessions
 * and every stored session measured before its own (both sizes: each is a refresh of the unchanged program).
 */
function withHistory(trials: readonly Trial[], seeds: readonly Session[]): Trial[] {
  const stored = trials.filter((t) => t.mode === 'stored' && t.storedAt);
  const sessions = [
    ...seeds,
    ...stored.map((t) => ({ at: t.storedAt!, values: t.stored!, extra: t.storedX ?? [] })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  return stored.map((t) => ({
    ...t,
    mode: 'stored+history' as const,
    history: sessions.filter((s) => s.at < t.storedAt!),
  }));
}

function noise(t: Trial): number {
  const xs = t.stored ? t.rounds.map((r) => Math.log(r.c)) : t.rounds.map((r) => Math.log(r.c / r.b!));
  const m = median(xs);
  return 1.4826 * median(xs.map((x) => Math.abs(x - m)));
}

/** The trial as seen through another metric: its values stand in for wall (trials without them are dropped). */
function onMetric(trials: Trial[], metric: string): Trial[] {
  if (metric === 'wall') return trials;
  const ok = (x?: Record<string, number>) => x !== undefined && Number.isFinite(x[metric]);
  return trials
    .filter(
      (t) =>
        t.rounds.every((r) => ok(r.cx) && (t.stored ? true : ok(r.bx))) && (!t.stored || (t.storedX ?? []).every(ok)),
    )
    .map((t) => ({
      ...t,
      rounds: t.rounds.map((r) => ({ ...r, c: r.cx![metric]!, wall: r.c, ...(t.stored ? {} : { b: r.bx![metric]! }) })),
      ...(t.stored ? { stored: t.storedX!.map((x) => x[metric]!) } : {}),
      ...(t.history
        ? {
            history: t.history
              .filter((h) => h.extra.every(ok))
              .map((h) => ({ ...h, values: h.extra.map((x) => x[metric]!) })),
          }
        : {}),
    }));
}

/** N busy node processes: the documented background load of `--load`. */
function startLoad(n: number): { stop: () => void } {
  const kids = Array.from({ length: n }, () =>
    // Busy, but gone with the bench: a killed bench would otherwise leave its load running.
    spawn(process.execPath, ['-e', 'const p=process.ppid;for(;;){for(let i=0;i<1e7;i++);if(process.ppid!==p)break}'], {
      stdio: 'ignore',
    }),
  );
  return { stop: () => kids.forEach((k) => k.kill('SIGKILL')) };
}

function loadAverage(): string {
  return loadavg()[0]!.toFixed(2);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  changePointsOn = args.changePoints;
  const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
  mkdirSync(dirname(args.out), { recursive: true });
  const started = Date.now();
  const machine = machineFingerprint();
  let trials: Trial[];
  let seeds: Session[];
  const meta: string[] = [];
  if (args.replay) {
    const raw = readRaw(args.replay);
    trials = raw.trials.filter((t) => args.modes.includes(t.mode));
    seeds = raw.sessions;
    const cal = raw.meta['calibration'] as { startup: number; slope: number; steps: number } | undefined;
    meta.push(`# Sensitivity (replay of ${args.replay}, recorded ${String(raw.meta['startedAt'] ?? '?')})`);
    if (cal)
      meta.push(
        `workload: nbody on node, ${cal.steps} steps ≈ ${(cal.startup + cal.slope * cal.steps).toFixed(0)} ms/run (startup ${cal.startup.toFixed(0)} ms)`,
      );
  } else {
    const rawFile = `${args.out}.raw.jsonl`;
    log(`recording to ${rawFile}`);
    const load = startLoad(args.load);
    const loadBefore = loadAverage();
    try {
      trials = await record(args, rawFile, log);
    } finally {
      load.stop();
    }
    meta.push(
      `background load: ${args.load ? `${args.load} busy node processes (busy loops)` : 'none started'}; 1-min load average ${loadBefore} at the start, ${loadAverage()} at the end (the machine is shared: other users' load counts too)`,
    );
    const raw = readRaw(rawFile);
    seeds = raw.sessions;
    const cal = raw.meta['calibration'] as { startup: number; slope: number; steps: number };
    meta.push(`# Sensitivity ${new Date(started).toISOString().slice(0, 16)}Z`, `raw samples: ${rawFile}`);
    meta.push(
      `workload: nbody on node, ${cal.steps} steps ≈ ${(cal.startup + cal.slope * cal.steps).toFixed(0)} ms/run (startup ${cal.startup.toFixed(0)} ms); recorded ${args.record} rounds/trial, warm-up ${args.warmup}, stored baseline ${args.baselineRuns} runs`,
    );
    meta.push(
      `machine: ${machine.cpuModel}, ${machine.cores} cores; command: npx tsx bench/sensitivity.ts ${process.argv.slice(2).join(' ')}`,
    );
    meta.push(`wall time of the bench run: ${((Date.now() - started) / 60000).toFixed(1)} min`);
  }
  if (args.maxNoise !== undefined) {
    const before = trials.length;
    trials = trials.filter((t) => noise(t) <= args.maxNoise!);
    meta.push(
      `only the ${trials.length} of ${before} trials whose noise (1.4826·MAD of per-round log ratios; stored: of the candidate's logs) ≤ ${args.maxNoise}`,
    );
  }
  if (args.metric !== 'wall') meta.push(`metric judged: ${args.metric} (the launcher's own measurement), not wall`);
  const historyTrials = seeds.length > 0 ? withHistory(trials, seeds) : [];
  if (historyTrials.length > 0)
    meta.push(
      `stored+history rows: the stored trials judged against ${seeds.length} seed refresh sessions plus every stored session before their own (median ${median(historyTrials.map((t) => t.history!.length + 1))} refreshes of history)`,
    );
  const judged = onMetric([...trials, ...historyTrials], args.metric);
  const withRule = judged.filter((t) => !t.mode.startsWith('stored')).map(ruleApplied);
  const left = withRule.reduce((n, t) => n + (t.excludedRounds ?? 0), 0);
  const played = judged.filter((t) => !t.mode.startsWith('stored')).reduce((n, t) => n + t.rounds.length, 0);
  meta.push(
    `disturbed-round rule ("+rule" rows, same samples): ${left} of ${played} recorded rounds left out; rows without "+rule" judge every recorded round`,
  );
  const out = table(analyse([...judged, ...withRule], args, machine), args, meta);
  process.stdout.write(out + '\n');
  writeFileSync(`${args.out}${args.replay ? '-replay' : ''}.md`, out + '\n');
  log(`wrote ${args.out}${args.replay ? '-replay' : ''}.md`);
}

await main();
