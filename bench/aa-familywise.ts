// How often a whole run of unchanged cells calls at least one regression: the verdict rule (paired estimator,
// Holm, classify) on synthetic A/A rounds with i.i.d. noise of a given log s.d. per round. It prints a table;
// it is the figure behind the 40-cell e2e test's `alpha: 0.001` (docs/adrs/0011-significance-within-reach.md).
//   npx tsx bench/aa-familywise.ts [--runs 600] [--seed 1]
import { classifyChange } from '../src/compare/classify.js';
import { holm } from '../src/stats/multiple.js';
import { pairedChange } from '../src/stats/paired.js';
import { createNormalPrng } from '../src/stats/prng.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('runs', 600);
const z = createNormalPrng(arg('seed', 1));

/** Student-t with 3 degrees of freedom, scaled to unit variance: heavier tails than a busy runner's. */
function t3(): number {
  const chi2 = z() ** 2 + z() ** 2 + z() ** 2;
  return z() / Math.sqrt(chi2 / 3) / Math.sqrt(3);
}

/** Share of runs (of `cells` A/A cells × `rounds` rounds) in which some cell is regressed or likely-regressed. */
function familywise(cells: number, rounds: number, sd: number, alpha: number, noise: () => number): number {
  let alarms = 0;
  for (let run = 0; run < RUNS; run++) {
    const estimates = Array.from({ length: cells }, () => {
      const base = Array.from({ length: rounds }, () => 100 * Math.exp(0.03 * z()));
      return pairedChange(
        base,
        base.map((b) => b * Math.exp(sd * noise())),
        1 - alpha,
      );
    });
    const adjusted = holm(estimates.map((e) => e.pValue));
    const called = estimates.some((e, i) => {
      const kind = classifyChange({
        ...e,
        adjustedP: adjusted[i]!,
        threshold: 0.05,
        direction: 'lower',
        alpha,
        intervalConfident: (e.achievedConfidence ?? 1 - alpha) >= 1 - alpha - 1e-3,
      });
      return kind === 'regressed' || kind === 'likely-regressed';
    });
    if (called) alarms++;
  }
  return alarms / RUNS;
}

console.log(`| cells | rounds | noise (log s.d. per round) | alpha | normal | t(3) |`);
console.log(`|---|---|---|---|---|---|`);
for (const [cells, rounds] of [
  [8, 6],
  [80, 14],
] as const)
  for (const sd of [0.03, 0.06, 0.1])
    for (const alpha of [0.05, 0.001]) {
      const normal = familywise(cells, rounds, sd, alpha, z);
      const heavy = familywise(cells, rounds, sd, alpha, t3);
      console.log(`| ${cells} | ${rounds} | ${sd * 100}% | ${alpha} | ${normal.toFixed(4)} | ${heavy.toFixed(4)} |`);
    }
console.log(`\n${RUNS} runs per row, threshold 5%; a run alarms when any cell is regressed or likely-regressed.`);
