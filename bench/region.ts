// Issue 27: how finely `region` resolves a kernel, and how much steadier it is than wall time. For an add-one
// kernel and a fib(20) kernel (exported functions of a reactor built here with clang, called `iterations`
// times in one instance), and for a sightglass-style program marking its region with bench.start/bench.end,
// runs each JS runtime's WASI launcher exactly as the action does, 20 times, and prints the time per call
// and the coefficient of variation (CV = sd / mean) of region beside that of wall (spawn → exit).
// Native runtimes are listed as not yet supported (the cell fails with "region not yet supported on …").
// Not a test. Usage: npx tsx bench/region.ts [--runs 20]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;
const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');
const RUNTIMES = [
  { name: 'node', prefix: [process.execPath, '--no-warnings', wasiLauncherPath] },
  ...(existsSync(BUN) ? [{ name: 'bun', prefix: [BUN, wasiLauncherPath] }] : []),
  ...(existsSync(DENO) ? [{ name: 'deno', prefix: [DENO, 'run', '-A', '--no-prompt', wasiLauncherPath] }] : []),
];

const dir = mkdtempSync(join(tmpdir(), 'wpg-region-'));
const clang = (src: string, out: string, flags: string[]) =>
  execFileSync('clang', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...flags, '-o', join(dir, out), src]);
clang('__tests__/fixtures/sightglass/kernels.c', 'kernels.wasm', ['-mexec-model=reactor']);
clang('__tests__/fixtures/sightglass/region.c', 'region.wasm', ['-DREPEAT=10']);
writeFileSync(join(dir, 'input.txt'), '20\n');

interface Case {
  name: string;
  /** launcher arguments after the runtime's prefix */
  args: string[];
  /** calls inside the region per run */
  calls: number;
}
const CASES: Case[] = [
  {
    name: 'add-one ×100000',
    args: ['--invoke', 'add_one', '--params', 'i32', '--iterations', '100000', '--', 'kernels.wasm', '41'],
    calls: 100_000,
  },
  {
    name: 'fib(20) ×20',
    args: ['--invoke', 'fib', '--params', 'i32', '--iterations', '20', '--', 'kernels.wasm', '20'],
    calls: 20,
  },
  { name: 'bench.start/end fib(20) ×10', args: ['--dir', '.', '--', 'region.wasm'], calls: 10 },
];

const cv = (xs: number[]) => sampleStandardDeviation(xs) / mean(xs);
const fmt = (ms: number) =>
  ms < 0.001 ? `${(ms * 1e6).toFixed(1)} ns` : ms < 1 ? `${(ms * 1e3).toFixed(2)} µs` : `${ms.toFixed(2)} ms`;

const rows: string[] = [];
for (const rt of RUNTIMES) {
  for (const c of CASES) {
    const region: number[] = [];
    const wall: number[] = [];
    const timings = join(dir, 't.json');
    for (let i = 0; i < RUNS + 1; i++) {
      const start = process.hrtime.bigint();
      const r = spawnSync(rt.prefix[0]!, [...rt.prefix.slice(1), '--timings', timings, ...c.args], { cwd: dir });
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (r.status !== 0) throw new Error(`${rt.name} ${c.name}: exit ${r.status}: ${String(r.stderr)}`);
      if (i === 0) continue; // a warm-up, as the action's default
      wall.push(ms);
      region.push((JSON.parse(readFileSync(timings, 'utf8')) as { regionMs: number }).regionMs);
    }
    const perCall = mean(region) / c.calls;
    rows.push(
      `| ${rt.name} | ${c.name} | ${fmt(perCall)} | ${fmt(mean(region))} | ${(cv(region) * 100).toFixed(1)}% | ${fmt(mean(wall))} | ${(cv(wall) * 100).toFixed(1)}% |`,
    );
    console.error(rows.at(-1));
  }
}
for (const name of ['wasmtime', 'wasmer', 'wasmi', 'wazero', 'wasm3', 'iwasm'])
  rows.push(
    `| ${name} | (all) | not yet supported: the cell fails with "region not yet supported on ${name}" | | | | |`,
  );

console.log(`${RUNS} runs per row after one warm-up, ${new Date().toISOString()}\n`);
console.log('| runtime | kernel | time per call | region (mean) | region CV | wall (mean) | wall CV |');
console.log('| --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
rmSync(dir, { recursive: true, force: true });
