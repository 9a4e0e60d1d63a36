// What a stored baseline with history can prove, as a function of the runner's session-to-session spread:
// the history verdict (history/stored-verdict.ts + compare/classify.ts, one cell) on synthetic refreshes and
// PR sessions, against the best any rule could do. It prints a table; it is the figure behind issue 10's
// "+10% caught ≥ 18/20" (docs/adrs/0014-history-and-change-points.md).
//   npx tsx bench/stored-power.ts [--trials 2000] [--seed 1] [--run-sd 3] [--refresh-runs 10] [--runs 30]
//
// A session's runs are 100 · exp(session effect + run noise): session effect ~ N(0, τ²) once per session, run
// noise ~ N(0, run-sd²) per run. Refreshes measure refresh-runs runs, the PR session `runs` (no early stop).
// "best rule" is the one-sided test with the session spread known exactly that lets 1 A/A trial in 20 alarm
// (the allowance) and still asks the estimate past the threshold: P(estimate > max(t, z95·σ)).
import { median } from 'simple-statistics';
import { classifyChange } from '../src/compare/classify.js';
import { storedHistoryChange } from '../src/history/stored-verdict.js';
import type { CellHistory } from '../src/model/history.js';
import { normalCdf } from '../src/stats/normal.js';
import { signTestInterval } from '../src/stats/paired.js';
import { createNormalPrng } from '../src/stats/prng.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const TRIALS = arg('trials', 2000);
const RUN_SD = arg('run-sd', 3) / 100;
const REFRESH_RUNS = arg('refresh-runs', 10);
const RUNS = arg('runs', 30);
const THRESHOLD = 0.05;
const ALPHA = 0.05;
const z = createNormalPrng(arg('seed', 1));

/** Student-t with 3 degrees of freedom, scaled to unit variance: sessions with bursts, as a busy runner has. */
function t3(): number {
  const chi2 = z() ** 2 + z() ** 2 + z() ** 2;
  return z() / Math.sqrt(chi2 / 3) / Math.sqrt(3);
}
let sessionNoise: () => number = z;

const session = (n: number, tau: number, ratio = 1) => {
  const effect = tau * sessionNoise();
  return Array.from({ length: n }, () => 100 * ratio * Math.exp(effect + RUN_SD * z()));
};

function history(k: number, tau: number): CellHistory {
  const points = Array.from({ length: k }, (_, i) => {
    const v = session(REFRESH_RUNS, tau);
    return {
      date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
      runtimeVersion: 'x',
      machine: 'bench',
      median: median(v),
      interval: signTestInterval(v, 0.95).interval, // as baseline/append-history.ts records it
      n: v.length,
    };
  });
  return { benchmark: 'b', runtime: 'node', metric: 'wall', points };
}

/** Share of trials whose verdict fails the step (regressed or likely-regressed), and the same without the t/2 clause. */
function failRate(k: number, tau: number, ratio: number): { rule: number; noHalf: number } {
  let rule = 0;
  let noHalf = 0;
  for (let i = 0; i < TRIALS; i++) {
    const change = storedHistoryChange(history(k, tau), session(RUNS, tau, ratio), 1 - ALPHA);
    if ('inconclusive' in change) continue;
    const e = change.estimate;
    const kind = classifyChange({
      ...e,
      adjustedP: e.pValue,
      threshold: THRESHOLD,
      direction: 'lower',
      alpha: ALPHA,
      spreadBound: change.saturated,
    });
    if (kind === 'regressed' || kind === 'likely-regressed') rule++;
    if (e.pValue < ALPHA && e.interval[0] > 1 && e.ratio > 1 + THRESHOLD) noHalf++;
  }
  return { rule: rule / TRIALS, noHalf: noHalf / TRIALS };
}

/** The best rule's catch rate with σ known: variance of the PR median about the history's mean. */
function bestRule(k: number, tau: number, ratio: number): number {
  const medianVar = (n: number) => ((Math.PI / 2) * RUN_SD ** 2) / n;
  const sigma = Math.sqrt(tau ** 2 + medianVar(RUNS) + (tau ** 2 + medianVar(REFRESH_RUNS)) / k);
  const cut = Math.max(Math.log(1 + THRESHOLD), 1.645 * sigma);
  return 1 - normalCdf((cut - Math.log(ratio)) / sigma);
}

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const pair = (r: { rule: number; noHalf: number }) => `${pct(r.rule)} / ${pct(r.noHalf)}`;
console.log(
  `| session spread τ | refreshes | A/A fails | A/A fails, bursty sessions (t3) | +3% fails | +10% caught | +10% best rule |`,
);
console.log(`|---|---|---|---|---|---|---|`);
for (const tau of [0.01, 0.015, 0.02, 0.025, 0.03, 0.035, 0.05])
  for (const k of [8, 30]) {
    sessionNoise = t3;
    const bursty = failRate(k, tau, 1);
    sessionNoise = z;
    const aa = failRate(k, tau, 1);
    const small = failRate(k, tau, 1.03);
    const ten = failRate(k, tau, 1.1);
    console.log(
      `| ${pct(tau)} | ${k} | ${pair(aa)} | ${pair(bursty)} | ${pair(small)} | ${pair(ten)} | ${pct(bestRule(k, tau, 1.1))} |`,
    );
  }
console.log(`\nEach "x / y": the gate's rule / the same without ADR 0002's half-threshold clause (near end past 1).`);
console.log(
  `${TRIALS} trials per cell; threshold ${THRESHOLD * 100}%, alpha ${ALPHA}; run noise ${RUN_SD * 100}% (log s.d.), refreshes of ${REFRESH_RUNS} runs, PR sessions of ${RUNS}.`,
);
