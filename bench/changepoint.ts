// Change-point bench (a script, not a test): does change-point detection on the history of main find a step,
// where, how soon, and how often does it invent one on a flat history — on quiet and on loaded recorded noise?
//
//   npx tsx bench/changepoint.ts [--noise quiet=FILE:cpu,loaded=FILE:wall] [--histories 100] [--length 40] [--at 20]
//                                [--flat-length 100] [--flat 200] [--steps 0.03,0.05,0.1,0.5] [--threshold 0.05]
//                                [--alpha 0.005] [--confirm 2] [--min-after 3] [--min-change 0.02] [--permutations 999]
//                                [--statistic quantile|energy] [--quantile 0.2] [--fast-path on|off]
//                                [--only flat|steps] [--seed 0] [--show]
//   (--raw FILE --metric wall|cpu: one noise set, as before)
//
// Noise: session-to-session noise as recorded. Every recorded session of equal work in a raw file
// (bench/sensitivity's nbody on node: the baseline arm of each paired trial, the candidate of each A/A
// stored trial) gives one refresh: the median of its first 10 runs (a refresh measures ≥ 10 runs) and that
// median's 95% sign-test interval, both as log deviations from the pooled median; each synthetic refresh
// draws one recorded session with replacement. Defaults: quiet = CPU time of 30 sessions (σ 2.15%),
// loaded = wall time of 60 sessions at load average 3–4 (σ 22%, a quarter 34–56% slow).
// Steps multiply every refresh from `--at` on by 1 + size. Each history is replayed refresh by refresh
// through the real detectNewChangePoints (with its memory of reported change points), as main would see it.
// Delay: refreshes after the step's first refresh until the one that reported it (0: that refresh itself).
import { readFileSync } from 'node:fs';
import { median } from 'simple-statistics';
import { CONFIRM_FRESH, detectNewChangePoints, MIN_AFTER, MIN_CHANGE } from '../src/history/change-points.js';
import { DEFAULT_EDIVISIVE } from '../src/history/e-divisive.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import { signTestInterval } from '../src/stats/paired.js';
import { createPrng, type Random } from '../src/stats/prng.js';

const argv = process.argv.slice(2);
const flag = (name: string, fallback: string): string => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1]! : fallback;
};
const QUIET = 'bench/results/sensitivity-2026-11-21-0900-cpu.raw.jsonl:cpu';
const LOADED = 'bench/results/sensitivity-2026-11-21-0815.raw.jsonl:wall';
const noiseSpec = argv.includes('--raw')
  ? `recorded=${flag('raw', '')}:${flag('metric', 'wall')}`
  : flag('noise', `quiet=${QUIET},loaded=${LOADED}`);
const histories = Number(flag('histories', '100'));
const length = Number(flag('length', '40'));
const at = Number(flag('at', '20'));
const flatLength = Number(flag('flat-length', '100'));
const flatCells = Number(flag('flat', '200'));
const alpha = Number(flag('alpha', String(DEFAULT_EDIVISIVE.alpha)));
const confirmFresh = Number(flag('confirm', String(CONFIRM_FRESH)));
const minAfter = Number(flag('min-after', String(MIN_AFTER)));
const permutations = Number(flag('permutations', '999'));
// `--statistic energy` reproduces the figures before the quantile statistic (ADR 0014)
const statistic = flag('statistic', DEFAULT_EDIVISIVE.statistic ?? 'quantile') as 'quantile' | 'energy';
const quantile = Number(flag('quantile', String(DEFAULT_EDIVISIVE.quantile)));
const minChange = Number(flag('min-change', String(MIN_CHANGE)));
// the cell's threshold (the action's default 5%); `--fast-path off` gives the permutation path alone
const threshold = Number(flag('threshold', '0.05'));
const fastPath = flag('fast-path', 'on') !== 'off';
const steps = flag('steps', '0.03,0.05,0.1,0.5').split(',').map(Number);
// `--seed N`: another draw of the same recorded noise (N = 0 is the default draw); `--only flat|steps`: one table
// (the flat cells take most of the time); `--show`: print each false change point's refreshes
const seed = Number(flag('seed', '0'));
const only = flag('only', 'both');
const show = argv.includes('--show');
const detect = {
  alpha,
  confirmFresh,
  minAfter,
  permutations,
  statistic,
  quantile,
  minChange,
  fastPath,
  thresholdOf: () => threshold,
};
const RUNS_PER_REFRESH = 10;

interface Trial {
  kind: string;
  mode?: string;
  size?: number;
  rounds?: { b?: number; c?: number; bx?: Record<string, number>; cx?: Record<string, number> }[];
}

/** A recorded session as a refresh: log deviations of its median and of its interval's ends from the pooled median. */
interface Session {
  median: number;
  lo: number;
  hi: number;
}

/** The recorded sessions of `path` for `metric`. */
function sessionNoise(path: string, metric: string): Session[] {
  const trials = readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Trial)
    .filter((t) => t.kind === 'trial');
  const sessions: { median: number; lo: number; hi: number }[] = [];
  for (const t of trials) {
    const arm = t.mode === 'paired' ? 'b' : t.mode === 'stored' && t.size === 0 ? 'c' : undefined;
    if (!arm || !t.rounds) continue;
    const values = t.rounds
      .slice(0, RUNS_PER_REFRESH)
      .map((r) => (metric === 'wall' ? r[arm] : r[`${arm}x`]?.[metric]))
      .filter((v): v is number => v !== undefined);
    if (values.length !== RUNS_PER_REFRESH) continue;
    const ci = signTestInterval(values, 0.95).interval;
    sessions.push({ median: median(values), lo: ci[0], hi: ci[1] });
  }
  const center = median(sessions.map((s) => s.median));
  return sessions.map((s) => ({
    median: Math.log(s.median / center),
    lo: Math.log(s.lo / center),
    hi: Math.log(s.hi / center),
  }));
}

function point(i: number, s: Session): HistoryPoint {
  const date = new Date(Date.UTC(2026, 0, 1) + i * 86_400_000).toISOString();
  const at = (l: number) => 100 * Math.exp(l);
  return {
    commit: `c${i}`,
    date,
    runtimeVersion: '20',
    machine: 'm',
    median: at(s.median),
    interval: [at(s.lo), at(s.hi)],
    n: RUNS_PER_REFRESH,
  };
}

function series(noise: readonly Session[], n: number, step: number, stepAt: number, random: Random): Session[] {
  return Array.from({ length: n }, (_, i) => {
    const s = noise[Math.floor(random() * noise.length)]!;
    const shift = i >= stepAt ? Math.log(1 + step) : 0;
    return { median: s.median + shift, lo: s.lo + shift, hi: s.hi + shift };
  });
}

interface Report {
  index: number;
  reportedAt: number;
  path?: string;
}

/** Replays a history refresh by refresh; returns every reported change point with the refresh that reported it. */
function replay(values: readonly Session[], from = 0): Report[] {
  let cell: CellHistory = {
    benchmark: 'b',
    runtime: 'node',
    metric: 'wall',
    points: values.slice(0, from).map((v, i) => point(i, v)),
  };
  const reports: Report[] = [];
  for (let i = from; i < values.length; i++) {
    cell = { ...cell, points: [...cell.points, point(i, values[i]!)] };
    const result = detectNewChangePoints([cell], detect);
    cell = result.history[0]!;
    for (const cp of result.changePoints)
      reports.push({
        index: Number(cp.commit!.slice(1)),
        reportedAt: i,
        path: (cp.cells[0] as { path?: string } | undefined)?.path,
      });
  }
  return reports;
}

const pct = (x: number, of: number) => (of > 0 ? `${((100 * x) / of).toFixed(1)}%` : '—');
const quantileOf = (xs: readonly number[], q: number) =>
  xs.length ? [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.ceil(q * xs.length) - 1)]! : undefined;

console.log(
  `binary segmentation, ${statistic === 'energy' ? 'energy statistic (E-divisive)' : `quantile-loss statistic at q ${quantile}`}, alpha ${alpha}, ${permutations} permutations, min 3 points a side; confirmed by ${confirmFresh} later refreshes, with ≥ ${minAfter} points after; fast path ${fastPath ? `on (threshold ${100 * threshold}%)` : 'off'}`,
);
console.log(
  `histories of ${length} refreshes, step from refresh ${at} (0-based); flat histories of ${flatLength} refreshes`,
);
const flatRows: string[] = [];
for (const entry of noiseSpec.split(',')) {
  const [name, spec] = entry.split('=') as [string, string];
  const cut = spec.lastIndexOf(':');
  const [file, metric] = [spec.slice(0, cut), spec.slice(cut + 1)];
  const noise = sessionNoise(file, metric);
  const sd = Math.sqrt(noise.reduce((s, x) => s + x.median * x.median, 0) / noise.length);
  console.log('');
  console.log(
    `**${name}**: ${noise.length} recorded sessions of ${metric} from ${file} (median of the first ${RUNS_PER_REFRESH} runs each); sd of log deviations ${(100 * sd).toFixed(2)}%`,
  );
  if (only !== 'flat') {
    console.log('');
    console.log(
      '| step | histories | found within ±1 | exact | delay: refreshes after the step (median) | 90th pct | reported by step + 2 | fast path | other change points |',
    );
    console.log('|---|---|---|---|---|---|---|---|---|');
  }
  for (const size of only === 'flat' ? [] : steps) {
    const random = createPrng(1000 + size * 1000 + seed * 7919);
    let within = 0;
    let exact = 0;
    let others = 0;
    let byTwo = 0;
    let fast = 0;
    const delays: number[] = [];
    for (let h = 0; h < histories; h++) {
      // the looks before the step cannot report it: replayed too, for their false change points
      const reports = replay(series(noise, length, size, at, random));
      const hit = reports.find((r) => Math.abs(r.index - at) <= 1);
      if (hit) {
        within++;
        if (hit.index === at) exact++;
        delays.push(hit.reportedAt - at);
        if (hit.reportedAt - at <= 2) byTwo++;
        if (hit.path === 'fast') fast++;
      }
      others += reports.filter((r) => r !== hit).length;
    }
    console.log(
      `| +${Math.round(size * 1000) / 10}% | ${histories} | ${pct(within, histories)} | ${pct(exact, histories)} | ${delays.length ? median(delays) : '—'} | ${quantileOf(delays, 0.9) ?? '—'} | ${pct(byTwo, histories)} | ${pct(fast, within)} | ${others} |`,
    );
  }
  const random = createPrng(7 + seed * 7919);
  let falseCount = 0;
  let cellsWithFalse = 0;
  let falseFast = 0;
  for (let h = 0; h < (only === 'steps' ? 0 : flatCells); h++) {
    const values = series(noise, flatLength, 0, flatLength, random);
    const reports = replay(values);
    if (show)
      for (const r of reports) {
        const around = values.slice(Math.max(0, r.index - 8), r.reportedAt + 1).map((v) => (100 * v.median).toFixed(1));
        const widths = values
          .slice(Math.max(0, r.index - 8), r.reportedAt + 1)
          .map((v) => (100 * (v.hi - v.lo)).toFixed(0));
        console.log(
          `  ${name} cell ${h}: ${r.path} at ${r.index} reported at ${r.reportedAt}; log % from ${Math.max(0, r.index - 8)}: ${around.join(' ')}; interval widths: ${widths.join(' ')}`,
        );
      }
    falseCount += reports.length;
    falseFast += reports.filter((r) => r.path === 'fast').length;
    if (reports.length > 0) cellsWithFalse++;
  }
  flatRows.push(
    `| ${name} (${metric}, σ ${(100 * sd).toFixed(2)}%) | ${flatCells} | ${falseCount} | **${((100 * falseCount) / flatCells).toFixed(1)}** | ${cellsWithFalse} | ${falseFast} | ${falseCount - falseFast} |`,
  );
}
if (only !== 'steps') {
  console.log('');
  console.log(`flat histories of ${flatLength} refreshes, replayed refresh by refresh (seed ${seed}):`);
  console.log('');
  console.log(
    '| noise | cells | false change points | per 100 cells | cells with any | by the fast path | by the permutation path |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const row of flatRows) console.log(row);
}
