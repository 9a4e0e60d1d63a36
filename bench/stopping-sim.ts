// Error rates of the adaptive stopping rule under peeking, on synthetic paired rounds (a script, not a test):
//
//   npx tsx bench/stopping-sim.ts [--reps 1000] [--raw bench/results/sensitivity-….raw.jsonl] [--threshold 1]
//
// For each noise model and true change θ ∈ {0, threshold, 2·threshold} it runs `reps` sequences through
// the engine's real stop loop (schedule.stopReason with min-runs / max-runs, compare/stopping.decisive
// asked after every round) and classifies the stopped prefix with the real compareAll. It reports
// the A/A false-alarm rate (regressed or improved at θ = 0), the catch rate and the "called unchanged"
// rate at θ = 2·threshold, and the rounds spent — for several stopping variants and for a fixed-size run
// without peeking. Noise: per-round log-ratio differences d = θ + σ·Z (normal), a contaminated normal
// (5% of runs hit by a slowdown of 10σ on one arm), and — with --raw — the recorded A/A differences of
// bench/sensitivity.ts trials, permuted (real noise, real biases).
import { readFileSync, writeFileSync } from 'node:fs';
import { compareAll } from '../src/compare/compare.js';
import { decisive } from '../src/compare/stopping.js';
import type { BenchmarkSpec } from '../src/model/plan.js';
import { stopReason, type StopLimits } from '../src/measure/schedule.js';
import type { CellMeasurement, Sample } from '../src/model/measurement.js';
import { createNormalPrng } from '../src/stats/prng.js';

const argv = process.argv.slice(2);
const flag = (k: string, d: string) => {
  const i = argv.indexOf(`--${k}`);
  return i >= 0 && argv[i + 1] ? argv[i + 1]! : d;
};
const reps = Number(flag('reps', '1000'));
const t = Number(flag('threshold', '1')) / 100;
const raw = flag('raw', '');
const maxRuns = Number(flag('max-runs', '60'));
const out = flag('out', '');
// Issue 13: the cell sits in a family of `cells` (Holm multiplies its p by that many: the other cells are
// nulls with p = 1), and `--cap R` adds a time budget that allows R rounds (soft since issue 13: it waits
// for the rounds significance needs) and a hard cap at R rounds; `--big 5` adds a 5× change column.
const cells = Number(flag('cells', '1'));
const cap = Number(flag('cap', '0'));
const big = Number(flag('big', '0'));
// = compare/rounds-needed.ts for paired rounds, written out so the script also runs on the code before it.
const significanceRuns = Math.floor(1 - Math.log2(0.05 / cells)) + 1;

type Decide = (s: { candidate: Sample[]; baseline: Sample[] }, threshold: number) => boolean;
interface Variant {
  name: string;
  minRuns: number;
  rule?: Decide;
  /** rounds a time budget allows (the sim's clock is one unit per round) */
  maxTime?: number;
  hardMaxTime?: number;
}
const variants: Variant[] = [
  {
    name: `new (within 99%, past 99.9%), min-runs 6`,
    minRuns: 6,
    rule: (s, th) => decisive(s, th, 'wall', { cells }),
  },
  { name: `new, min-runs 10`, minRuns: 10, rule: (s, th) => decisive(s, th, 'wall', { cells }) },
  {
    name: `new, past 99% (not 99.9%)`,
    minRuns: 6,
    rule: (s, th) => decisive(s, th, 'wall', { cells, pastConfidence: 0.99 }),
  },
  {
    name: `new 95% (= verdict), min-runs 6`,
    minRuns: 6,
    rule: (s, th) => decisive(s, th, 'wall', { cells, confidence: 0.95, pastConfidence: 0.95 }),
  },
  { name: `fixed ${maxRuns} rounds, no peeking`, minRuns: maxRuns },
];
if (cap > 0) {
  const rule: Decide = (s, th) => decisive(s, th, 'wall', { cells });
  variants.push(
    { name: `new, max-time allows ${cap} rounds`, minRuns: 6, rule, maxTime: cap },
    { name: `new, hard cap at ${cap} rounds`, minRuns: 6, rule, maxTime: cap, hardMaxTime: cap },
  );
}

const samples = (v: readonly number[]): Sample[] => v.map((x, round) => ({ values: { wall: x }, exitCode: 0, round }));
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
const machine = { cpuModel: 'sim', cores: 2, os: 'linux', arch: 'x64', memory: 1 };

function run(d: readonly number[], v: Variant): { kind: string; n: number } {
  const base = d.map(() => 100);
  const cand = d.map((x) => 100 * Math.exp(x));
  const limits: StopLimits = {
    minRuns: v.minRuns,
    maxRuns,
    minTimeMs: 0,
    maxTimeMs: v.maxTime ?? Infinity,
    ...(v.hardMaxTime ? { hardMaxTimeMs: v.hardMaxTime } : {}),
    significanceRuns,
  };
  let n = d.length;
  for (let k = 1; k <= d.length; k++) {
    const r = stopReason(
      { runs: k, elapsedMs: k, measuringMs: k },
      limits,
      v.rule && (() => v.rule!({ candidate: samples(cand.slice(0, k)), baseline: samples(base.slice(0, k)) }, t)),
    );
    if (r) {
      n = k;
      break;
    }
  }
  const m: CellMeasurement = {
    benchmark: 'b',
    runtime: 'r',
    runtimeVersion: '1',
    candidate: { arm: 'candidate', samples: samples(cand.slice(0, n)), warmups: 0 },
    baseline: { arm: 'baseline', samples: samples(base.slice(0, n)), warmups: 0 },
    schedule: 'interleaved',
    elapsedMs: 0,
  };
  const [verdict] = compareAll({
    measurements: [m, ...nullCells],
    benchmarks: [spec, ...nullSpecs],
    machine,
    metricInfo: () => ({ unit: 'ms', direction: 'lower' }),
  });
  return { kind: verdict!.kind, n };
}

// The rest of the family: cells whose arms are identical (p = 1), so Holm multiplies this cell's p by `cells`.
const nullSpecs: BenchmarkSpec[] = Array.from({ length: cells - 1 }, (_, i) => ({ ...spec, id: `null${i}` }));
const nullCells: CellMeasurement[] = nullSpecs.map((b) => ({
  benchmark: b.id,
  runtime: 'r',
  runtimeVersion: '1',
  candidate: { arm: 'candidate', samples: samples([100, 100, 100, 100, 100, 100]), warmups: 0 },
  baseline: { arm: 'baseline', samples: samples([100, 100, 100, 100, 100, 100]), warmups: 0 },
  schedule: 'interleaved',
  elapsedMs: 0,
}));

type Model = { name: string; draw: (seed: number, theta: number) => number[] };
const models: Model[] = [0.25, 0.5, 1, 2, 4, 8].map((ratio) => ({
  name: `normal σ = ${ratio}·t`,
  draw: (seed, theta) => {
    const z = createNormalPrng(seed);
    return Array.from({ length: maxRuns }, () => theta + ratio * t * z());
  },
}));
models.push({
  name: 'contaminated σ = t, 5% × 10σ',
  draw: (seed, theta) => {
    const z = createNormalPrng(seed);
    return Array.from(
      { length: maxRuns },
      () => theta + t * z() + (Math.abs(z()) > 1.96 ? (z() > 0 ? 1 : -1) * 10 * t : 0),
    );
  },
});
if (raw) {
  const trials = readFileSync(raw, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l))
    .filter((x) => x.kind === 'trial' && x.size === 0 && x.mode !== 'stored');
  for (const mode of ['paired', 'duet']) {
    const ds: number[][] = trials
      .filter((x) => x.mode === mode)
      .map((x) => x.rounds.map((r: { b: number; c: number }) => Math.log(r.c / r.b)));
    if (ds.length === 0) continue;
    models.push({
      name: `recorded ${mode} A/A diffs (${ds.length} trials, permuted${maxRuns > Math.min(...ds.map((d) => d.length)) ? ', resampled past their length' : ''})`,
      draw: (seed, theta) => {
        let s = seed;
        const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0), s / 2 ** 32);
        const trial = ds[Math.floor(rnd() * ds.length)]!;
        // A permutation of the trial's rounds; past its length, rounds drawn from it with replacement.
        const src = trial.slice();
        for (let i = src.length - 1; i > 0; i--) {
          const j = Math.floor(rnd() * (i + 1));
          [src[i], src[j]] = [src[j]!, src[i]!];
        }
        while (src.length < maxRuns) src.push(trial[Math.floor(rnd() * trial.length)]!);
        return src.slice(0, maxRuns).map((x) => x + theta);
      },
    });
  }
}

const only = flag('models', '');
const onlyRules = flag('rules', '');
if (only) models.splice(0, models.length, ...models.filter((m) => only.split(';').some((o) => m.name.includes(o))));
if (onlyRules)
  variants.splice(0, variants.length, ...variants.filter((v) => onlyRules.split(';').some((o) => v.name.includes(o))));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1]!;
const bigHead = big > 0 ? ` ${big}× caught (step fails) | ${big}× rounds (median) |` : '';
const lines = [
  `# Stopping-rule simulation: threshold ${t * 100}%, max-runs ${maxRuns}, ${reps} sequences per cell, ${cells} cells in the family`,
  '',
  'A/A false alarm = regressed, improved, likely-regressed or likely-improved at θ = 0; caught = regressed or likely-regressed (both fail the step).',
  '',
  `| noise | rule | A/A false alarm | A/A rounds (median) | θ = t: regressed / unchanged | θ = 2t caught | θ = 2t called unchanged | θ = 2t rounds (median) |${bigHead}`,
  `|---|---|---|---|---|---|---|---|${big > 0 ? '---|---|' : ''}`,
];
const ALARMS = ['regressed', 'improved', 'likely-regressed', 'likely-improved'];
const CAUGHT = ['regressed', 'likely-regressed'];
const started = Date.now();
for (const model of models) {
  for (const v of variants) {
    const res = (theta: number) =>
      Array.from({ length: reps }, (_, i) => run(model.draw(1 + i * 7919 + Math.round(theta * 1e4), theta), v));
    const aa = res(0);
    const edge = res(Math.log(1 + t));
    const ab = res(Math.log(1 + 2 * t));
    const rate = (rs: { kind: string }[], kinds: string[]) =>
      `${((100 * rs.filter((r) => kinds.includes(r.kind)).length) / rs.length).toFixed(1)}%`;
    const huge = big > 0 ? res(Math.log(big)) : [];
    const bigCells = big > 0 ? ` ${rate(huge, CAUGHT)} | ${median(huge.map((r) => r.n))} |` : '';
    lines.push(
      `| ${model.name} | ${v.name} | ${rate(aa, ALARMS)} | ${median(aa.map((r) => r.n))} | ${rate(edge, CAUGHT)} / ${rate(edge, ['unchanged'])} | ${rate(ab, CAUGHT)} | ${rate(ab, ['unchanged'])} | ${median(ab.map((r) => r.n))} |${bigCells}`,
    );
    process.stderr.write(lines.at(-1) + '\n');
  }
}
lines.push('', `simulation wall time ${((Date.now() - started) / 1000).toFixed(0)} s`);
process.stdout.write(lines.join('\n') + '\n');
if (out) writeFileSync(out, lines.join('\n') + '\n');
