// How often a bisection names the right commit, on recorded noise (a script, not a test):
//
//   npx tsx bench/bisect-sim.ts [--reps 100] [--raw bench/results/sensitivity-….raw.jsonl] [--threshold 2]
//                               [--max-runs 120] [--alpha 0.05] [--out FILE]
//
// Each bisection draws a culprit uniformly among `commits` commits and makes every commit from it on
// slower by +3%, +5% or +10% (flat: 0). Every measurement is a paired side-by-side run of the real
// pipeline's parts: per-round log-ratio differences are the recorded A/A rounds of a bench/sensitivity.ts
// trial on this machine (permuted, resampled past their length) plus the commit's true shift; the engine's
// stop loop (schedule.stopReason with compare/stopping.decisive after every round) ends it, compareAll
// judges it at the bisection's share of alpha, and the real bisection code (bisect/core.ts, decide.ts)
// reads the verdicts and picks the next probe; an undecided probe is measured once more with twice the
// rounds. Reported: right culprit, wrong culprit (a commit or range
// named that does not hold the culprit), ambiguous range, "does not reproduce", builds and rounds spent.
import { readFileSync, writeFileSync } from 'node:fs';
import {
  answers,
  measurementBudget,
  nextProbe,
  searches,
  wantsMoreRounds,
  type ProbeResult,
} from '../src/bisect/core.js';
import { changedCells, probeSides, probeThreshold, type FollowedCell } from '../src/bisect/decide.js';
import { compareAll } from '../src/compare/compare.js';
import { roundsNeeded } from '../src/compare/rounds-needed.js';
import { decisive } from '../src/compare/stopping.js';
import type { Verdict } from '../src/model/verdict.js';
import type { BenchmarkSpec } from '../src/model/plan.js';
import { stopReason } from '../src/measure/schedule.js';
import type { CellMeasurement, Sample } from '../src/model/measurement.js';

const argv = process.argv.slice(2);
const flag = (k: string, d: string) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : d;
};
const reps = Number(flag('reps', '100'));
const threshold = Number(flag('threshold', '2')) / 100;
const maxRuns = Number(flag('max-runs', '120'));
const alpha = Number(flag('alpha', '0.05'));
const raw = flag('raw', 'bench/results/sensitivity-2026-12-01-pinned-quiet.raw.jsonl');
const out = flag('out', '');
const changes = flag('changes', '3,5,10')
  .split(',')
  .map((x) => Number(x) / 100);
const sizes = flag('commits', '8,32,128').split(',').map(Number);

// The recorded A/A rounds (size 0: both arms run the same build) of every paired trial in the file.
const trials: number[][] = readFileSync(raw, 'utf8')
  .split('\n')
  .filter(Boolean)
  .map((l) => JSON.parse(l))
  .filter((x) => x.kind === 'trial' && x.size === 0 && x.mode === 'paired')
  .map((x) => x.rounds.map((r: { b: number; c: number }) => Math.log(r.c / r.b)));
if (trials.length === 0) throw new Error(`${raw}: no paired A/A trials`);

let seed = 12345;
const rnd = () => ((seed = (seed * 1103515245 + 12345) >>> 0), seed / 2 ** 32);

/** A permuted recorded trial (resampled past its length), shifted by `theta` (log scale). */
function rounds(theta: number, n: number): number[] {
  const trial = trials[Math.floor(rnd() * trials.length)]!;
  const src = trial.slice();
  for (let i = src.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [src[i], src[j]] = [src[j]!, src[i]!];
  }
  while (src.length < n) src.push(trial[Math.floor(rnd() * trial.length)]!);
  return src.slice(0, n).map((x) => x + theta);
}

const samples = (v: readonly number[]): Sample[] => v.map((x, round) => ({ values: { wall: x }, exitCode: 0, round }));
const machine = { cpuModel: 'sim', cores: 2, os: 'linux', arch: 'x64', memory: 1 };

/** One side-by-side measurement of a commit whose true shift is `theta`, judged at `t` and `share`. */
function measure(theta: number, t: number, share: number, more = 1): { verdict: Verdict; n: number } {
  const runs = maxRuns * more;
  const d = rounds(theta, runs);
  const base = d.map(() => 100);
  const cand = d.map((x) => 100 * Math.exp(x));
  const limits = {
    minRuns: 6,
    maxRuns: runs,
    minTimeMs: 0,
    maxTimeMs: Infinity,
    significanceRuns: roundsNeeded({ cells: 1, alpha: share, method: 'paired' }),
  };
  let n = runs;
  for (let k = 1; k <= runs; k++) {
    const state = { candidate: samples(cand.slice(0, k)), baseline: samples(base.slice(0, k)) };
    const stop = stopReason({ runs: k, elapsedMs: k, measuringMs: k }, limits, () =>
      decisive(state, t, 'wall', { cells: 1, alpha: share }),
    );
    if (stop) {
      n = k;
      break;
    }
  }
  const spec: BenchmarkSpec = {
    id: 'b',
    artifact: '/b.wasm',
    artifactRel: 'b.wasm',
    args: [],
    env: {},
    runtimes: [],
    threshold: t,
    metrics: ['wall'],
    programMetrics: [],
    thresholds: {},
  };
  const m: CellMeasurement = {
    benchmark: 'b',
    runtime: 'node',
    runtimeVersion: '1',
    candidate: { arm: 'candidate', samples: samples(cand.slice(0, n)), warmups: 0 },
    baseline: { arm: 'baseline', samples: samples(base.slice(0, n)), warmups: 0 },
    schedule: 'interleaved',
    elapsedMs: 0,
  };
  const [verdict] = compareAll({
    measurements: [m],
    benchmarks: [spec],
    machine,
    metricInfo: () => ({ unit: 'ms', direction: 'lower' }),
    options: { alpha: share },
  });
  return { verdict: verdict!, n };
}

type Result = 'right' | 'wrong' | 'ambiguous' | 'no-repro';

/** One bisection of `k` commits whose commit `culprit` (1..k) adds `change` (0: flat). */
function bisect(k: number, culprit: number, change: number): { result: Result; builds: number; rounds: number } {
  const theta = (i: number) => (change > 0 && i >= culprit ? Math.log(1 + change) : 0);
  const share = alpha / measurementBudget(k);
  let totalRounds = 0;
  const ends = measure(theta(k), threshold, share);
  totalRounds += ends.n;
  const followed: FollowedCell[] = changedCells([ends.verdict], []);
  if (followed.length === 0) return { result: 'no-repro', builds: 2, rounds: totalRounds };
  const keys = followed.map((c) => c.key);
  const probes = new Map<number, ProbeResult>();
  let measured = 1;
  let builds = 2;
  for (;;) {
    const i = nextProbe(k + 1, keys, probes, measured);
    if (i === undefined) break;
    builds++;
    const t = probeThreshold(followed, 'b', 'wall')!;
    for (const more of [1, 2]) {
      // as run-bisect.ts: an undecided probe is measured once more with twice the rounds, budget allowing
      if (more === 2 && !(wantsMoreRounds(k + 1, keys, probes, i) && measured < measurementBudget(k))) break;
      const p = measure(theta(i), t, share, more);
      measured++;
      totalRounds += p.n;
      probes.set(i, { kind: 'measured', sides: probeSides([p.verdict], followed) });
    }
  }
  const [a] = answers(searches(k + 1, keys, probes));
  const result: Result =
    a!.kind === 'ambiguous' ? 'ambiguous' : change > 0 && a!.from <= culprit && culprit <= a!.to ? 'right' : 'wrong';
  return { result, builds, rounds: totalRounds };
}

const pct = (n: number, of: number) => `${((100 * n) / of).toFixed(0)}%`;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const lines = [
  `# Bisection simulation: ${reps} bisections per row, threshold ${threshold * 100}%, alpha ${alpha}, max-runs ${maxRuns}`,
  '',
  `Noise: ${trials.length} recorded paired A/A trials of ${raw} (${trials.reduce((s, t) => s + t.length, 0)} rounds), permuted.`,
  '',
  '| change | commits | right culprit | wrong culprit | ambiguous range | does not reproduce | builds (median / max) | ⌈log2⌉ + 2 | rounds per bisection (median) |',
  '|---|---|---|---|---|---|---|---|---|',
];
const started = Date.now();
for (const change of [...changes, 0]) {
  for (const k of sizes) {
    const rs = Array.from({ length: reps }, () => bisect(k, 1 + Math.floor(rnd() * k), change));
    const count = (r: Result) => rs.filter((x) => x.result === r).length;
    const builds = rs.map((r) => r.builds);
    lines.push(
      `| ${change > 0 ? `+${change * 100}%` : 'flat'} | ${k} | ${change > 0 ? pct(count('right'), reps) : '–'} | ${count('wrong')} of ${reps} | ${pct(count('ambiguous'), reps)} | ${pct(count('no-repro'), reps)} | ${median(builds)} / ${Math.max(...builds)} | ${Math.ceil(Math.log2(k)) + 2} | ${median(rs.map((r) => r.rounds))} |`,
    );
    process.stderr.write(`${lines.at(-1)}\n`);
  }
}
lines.push('', `simulation wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.stdout.write(`${lines.join('\n')}\n`);
if (out) writeFileSync(out, `${lines.join('\n')}\n`);
