// Change-point bench (a script, not a test): does E-divisive on the history of main find a step, where,
// how soon, and how often does it invent one on a flat history?
//
//   npx tsx bench/changepoint.ts [--histories 200] [--raw bench/results/sensitivity-2026-11-21-0815.raw.jsonl]
//                                [--metric wall|cpu] [--length 30] [--at 20] [--flat-length 100] [--flat 200] [--alpha 0.01]
//                                [--confirm 2] [--min-after 3] [--min-change 0.02] [--steps 0.02,0.05,0.1] [--permutations 999]
//                                [--statistic quantile|energy] [--quantile 0.2]
//
// Noise: session-to-session noise as recorded. Every recorded session of equal work in the raw file
// (bench/sensitivity's nbody on node: the baseline arm of each paired trial, the candidate of each A/A
// stored trial) gives one "refresh median" = median of its first 10 runs (a refresh measures ≥ 10 runs);
// their log deviations from the pooled median are drawn with replacement for each synthetic refresh.
// Steps multiply every refresh from `--at` on by 1 + size. Each history is replayed refresh by refresh
// through the real detectNewChangePoints (with its memory of reported change points), as main would see it.
import { readFileSync } from 'node:fs';
import { median } from 'simple-statistics';
import { CONFIRM_FRESH, detectNewChangePoints, MIN_AFTER, MIN_CHANGE } from '../src/history/change-points.js';
import { DEFAULT_EDIVISIVE } from '../src/history/e-divisive.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import { createPrng, type Random } from '../src/stats/prng.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const histories = Number(flag('histories', '200'));
const raw = flag('raw', 'bench/results/sensitivity-2026-11-21-0815.raw.jsonl');
const length = Number(flag('length', '30'));
const at = Number(flag('at', '20'));
const flatLength = Number(flag('flat-length', '100'));
const flatCells = Number(flag('flat', '200'));
const alpha = Number(flag('alpha', String(DEFAULT_EDIVISIVE.alpha)));
const metric = flag('metric', 'wall');
const confirmFresh = Number(flag('confirm', String(CONFIRM_FRESH)));
const minAfter = Number(flag('min-after', String(MIN_AFTER)));
const permutations = Number(flag('permutations', '999'));
// `--statistic energy` reproduces the figures before the quantile statistic (ADR 0014)
const statistic = flag('statistic', DEFAULT_EDIVISIVE.statistic ?? 'quantile') as 'quantile' | 'energy';
const quantile = Number(flag('quantile', String(DEFAULT_EDIVISIVE.quantile)));
const minChange = Number(flag('min-change', String(MIN_CHANGE)));
const detect = { alpha, confirmFresh, minAfter, permutations, statistic, quantile, minChange };
const RUNS_PER_REFRESH = 10;

interface Trial {
  kind: string;
  mode?: string;
  size?: number;
  rounds?: { b?: number; c?: number; bx?: Record<string, number>; cx?: Record<string, number> }[];
}

/** Log deviations of recorded session medians from their pooled median. */
function sessionNoise(path: string): number[] {
  const trials = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Trial)
    .filter((t) => t.kind === 'trial');
  const medians: number[] = [];
  for (const t of trials) {
    const arm = t.mode === 'paired' ? 'b' : t.mode === 'stored' && t.size === 0 ? 'c' : undefined;
    if (!arm || !t.rounds) continue;
    const values = t.rounds
      .slice(0, RUNS_PER_REFRESH)
      .map((r) => (metric === 'wall' ? r[arm] : r[`${arm}x`]?.[metric]))
      .filter((v): v is number => v !== undefined);
    if (values.length === RUNS_PER_REFRESH) medians.push(median(values));
  }
  const center = median(medians);
  return medians.map((m) => Math.log(m / center));
}

function point(i: number, value: number): HistoryPoint {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
  return { commit: `c${i}`, date, runtimeVersion: '20', machine: 'm', median: value, interval: [value, value], n: 10 };
}

function series(noise: readonly number[], n: number, step: number, stepAt: number, random: Random): number[] {
  return Array.from({ length: n }, (_, i) => {
    const e = noise[Math.floor(random() * noise.length)]!;
    return 100 * Math.exp(e) * (i >= stepAt ? 1 + step : 1);
  });
}

/** Replays a history refresh by refresh; returns every reported change point as [position, refresh that reported it]. */
function replay(values: readonly number[]): { index: number; reportedAt: number }[] {
  let cell: CellHistory = { benchmark: 'b', runtime: 'node', metric: 'wall', points: [] };
  const reports: { index: number; reportedAt: number }[] = [];
  values.forEach((v, i) => {
    cell = { ...cell, points: [...cell.points, point(i, v)] };
    const result = detectNewChangePoints([cell], detect);
    cell = result.history[0]!;
    for (const cp of result.changePoints) reports.push({ index: Number(cp.commit!.slice(1)), reportedAt: i });
  });
  return reports;
}

/** One detection over a whole history: its last 1 + `confirmFresh` looks (confirmation needs them). */
function lastLooks(values: readonly number[]): { index: number; reportedAt: number }[] {
  const tail = values.length - 1 - confirmFresh;
  let cell: CellHistory = {
    benchmark: 'b',
    runtime: 'node',
    metric: 'wall',
    points: values.slice(0, tail).map((v, i) => point(i, v)),
  };
  const reports: { index: number; reportedAt: number }[] = [];
  for (let i = tail; i < values.length; i++) {
    cell = { ...cell, points: [...cell.points, point(i, values[i]!)] };
    const result = detectNewChangePoints([cell], detect);
    cell = result.history[0]!;
    for (const cp of result.changePoints) reports.push({ index: Number(cp.commit!.slice(1)), reportedAt: i });
  }
  return reports;
}

const noise = sessionNoise(raw);
const sd = Math.sqrt(noise.reduce((s, x) => s + x * x, 0) / noise.length);
console.log(
  `noise: ${noise.length} recorded session medians of ${metric} from ${raw} (median of the first ${RUNS_PER_REFRESH} runs each); sd of log deviations ${(100 * sd).toFixed(2)}%`,
);
console.log(
  `binary segmentation, ${statistic === 'energy' ? 'energy statistic (E-divisive)' : `quantile-loss statistic at q ${quantile}`}, alpha ${alpha}, ${permutations} permutations, min 3 points a side; confirmed by ${confirmFresh} later refreshes, with ≥ ${minAfter} points after; histories of ${length} refreshes, step from refresh ${at}`,
);
console.log('');
console.log(
  '| step | histories | found within ±1 | exact | position error (mean abs) | refreshes after the step until reported (median) | other change points |',
);
console.log('|---|---|---|---|---|---|---|');
for (const size of flag('steps', '0.02,0.05,0.1').split(',').map(Number)) {
  const random = createPrng(1000 + size * 1000);
  let within = 0;
  let exact = 0;
  let errSum = 0;
  let errN = 0;
  let others = 0;
  const delays: number[] = [];
  for (let h = 0; h < histories; h++) {
    const reports = replay(series(noise, length, size, at, random));
    const hit = reports.find((r) => Math.abs(r.index - at) <= 1);
    if (hit) {
      within++;
      if (hit.index === at) exact++;
      delays.push(hit.reportedAt - at + 1);
    }
    others += reports.filter((r) => r !== hit).length;
    const nearest = reports.reduce<number | undefined>(
      (b, r) => (b === undefined || Math.abs(r.index - at) < Math.abs(b - at) ? r.index : b),
      undefined,
    );
    if (nearest !== undefined) {
      errSum += Math.abs(nearest - at);
      errN++;
    }
  }
  const pct = (x: number) => `${((100 * x) / histories).toFixed(1)}%`;
  console.log(
    `| +${Math.round(size * 1000) / 10}% | ${histories} | ${pct(within)} | ${pct(exact)} | ${errN ? (errSum / errN).toFixed(2) : '—'} | ${delays.length ? median(delays) : '—'} | ${others} |`,
  );
}
const random = createPrng(7);
let falseCount = 0;
let cellsWithFalse = 0;
let offline = 0;
for (let h = 0; h < flatCells; h++) {
  const values = series(noise, flatLength, 0, flatLength, random);
  offline += lastLooks(values).length;
  const reports = replay(values);
  falseCount += reports.length;
  if (reports.length > 0) cellsWithFalse++;
}
const per100 = (x: number) => ((100 * x) / flatCells).toFixed(1);
console.log('');
console.log(`flat histories of ${flatLength} refreshes, ${flatCells} cells:`);
console.log(
  `- one detection over the whole history (its last ${1 + confirmFresh} looks): ${offline} false change points (${per100(offline)} per 100 cells)`,
);
console.log(
  `- replayed refresh by refresh (${flatLength} looks per cell): ${falseCount} false change points (${per100(falseCount)} per 100 cells; ${cellsWithFalse} cells with any)`,
);
