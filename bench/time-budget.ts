// Time-budget bench (a script, not a test): does sharing a suite's time budget decide more cells than
// splitting the same budget evenly per cell? Both runs measure the same suite through measureJobs.
//
//   npx tsx bench/time-budget.ts [--budget 420] [--threshold 5] [--runtimes node,bun,deno]
//
// Suite: every example .wasm (plus fibonacci at a second size) × node, bun and deno (bun and deno from
// their npm packages in node_modules), each re-measured side by side against itself (A/A) with the gate's own
// stop rule, so "decided" = the stop rule reached a verdict (converged) and noise decides how long that takes.
// Even split: max-time = budget / cells, no budget. Shared: time-budget = budget, max-time as the action's default.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decisive } from '../src/compare/stopping.js';
import type { BenchmarkSpec, MeasureOptions, Plan } from '../src/model/plan.js';
import { measureJobs, type CellJob } from '../src/measure/measuring-loop.js';
import type { CellMeasurement } from '../src/model/measurement.js';
import { resolveRuntime } from '../src/runtimes/install.js';
import { parseRuntimeSpec } from '../src/runtimes/spec.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { bench as handBench, jobsOf, plan as handPlan } from '../__tests__/fixtures/metrics/setup.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) flags.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const budgetMs = Number(flags.get('budget') ?? 420) * 1000;
const threshold = Number(flags.get('threshold') ?? 5) / 100;
const SPECS: Record<string, string> = {
  node: 'node',
  bun: `bun@${join(root, 'node_modules/@oven/bun-linux-x64/bin/bun')}`,
  deno: `deno@${join(root, 'node_modules/@deno/linux-x64-glibc/deno')}`,
};
const names = (flags.get('runtimes') ?? 'node,bun,deno').split(',');

const EXAMPLES: [string, string, string[]][] = [
  ['add-one', 'add-one', []],
  ['alloc', 'alloc', []],
  ['fibonacci', 'fibonacci', []],
  ['fibonacci-27', 'fibonacci', ['27']],
  ['nbody', 'nbody', []],
  ['score', 'score', []],
  ['work', 'work', []],
];

// The metrics tests' hand-made Plan, with this bench's measuring defaults.
const MEASURE: Partial<MeasureOptions> = { warmup: 1, minRuns: 6, maxRuns: 120, timeoutMs: 120_000 };

function bench(id: string, file: string, args: string[], runtimes: ResolvedRuntime[]): BenchmarkSpec {
  return handBench(id, join(root, 'examples', 'wasm', `${file}.wasm`), runtimes, { args, threshold });
}

function plan(benchmarks: BenchmarkSpec[], measure: Partial<MeasureOptions>): Plan {
  return handPlan(benchmarks, { ...MEASURE, ...measure });
}

async function measure(p: Plan, runtimes: ResolvedRuntime[]): Promise<{ cells: CellMeasurement[]; ms: number }> {
  const jobs = jobsOf(p, runtimes, Object.fromEntries(p.benchmarks.map((b) => [b.id, b.artifact])));
  const dir = mkdtempSync(join(tmpdir(), 'bench-budget-'));
  const started = Date.now();
  try {
    const stopRule = (job: CellJob) => (state: Parameters<typeof decisive>[0]) =>
      decisive(state, job.bench.threshold, 'wall', { cells: jobs.length });
    const cells = await measureJobs(p, jobs, dir, { stopRule });
    return { cells, ms: Date.now() - started };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function line(label: string, r: { cells: CellMeasurement[]; ms: number }): string {
  const decided = r.cells.filter((c) => c.stopReason === 'converged').length;
  const resumed = r.cells.filter((c) => c.budget?.resumed).length;
  const rerun = r.cells.reduce((n, c) => n + (c.disturbance?.excluded ?? 0), 0);
  return `| ${label} | ${decided} / ${r.cells.length} | ${(r.ms / 1000).toFixed(0)} s | ${resumed} | ${rerun} |`;
}

async function main() {
  const log = (s: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${s}\n`);
  const runtimes = await Promise.all(
    names.map((n) => resolveRuntime(parseRuntimeSpec(SPECS[n] ?? n), { log: () => {}, warn: () => {} })),
  );
  const benchmarks = EXAMPLES.map(([id, file, args]) => bench(id, file, args, runtimes));
  const cells = benchmarks.length * runtimes.length;
  const load = [loadavg()[0]!.toFixed(1)];
  log(`${cells} cells, budget ${budgetMs / 1000} s; even split: ${(budgetMs / cells / 1000).toFixed(1)} s per cell`);
  const even = await measure(plan(benchmarks, { maxTimeMs: budgetMs / cells }), runtimes);
  log(line('even', even));
  load.push(loadavg()[0]!.toFixed(1));
  const shared = await measure(plan(benchmarks, { timeBudgetMs: budgetMs }), runtimes);
  load.push(loadavg()[0]!.toFixed(1));
  process.stdout.write(
    [
      `# Time budget: ${cells} A/A cells (${names.join(', ')}), ${budgetMs / 1000} s, threshold ${threshold * 100}%`,
      `command: npx tsx bench/time-budget.ts ${process.argv.slice(2).join(' ')}; 1-min load average ${load.join(' → ')}`,
      '',
      '| allocation | decided cells | measuring time | resumed in pass 2 | disturbed rounds re-run |',
      '|---|---|---|---|---|',
      line(`even split (max-time ${(budgetMs / cells / 1000).toFixed(1)} s per cell)`, even),
      line(`time-budget ${budgetMs / 1000} s, shared`, shared),
      '',
    ].join('\n'),
  );
}

await main();
