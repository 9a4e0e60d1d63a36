// Issue 27: how finely `region` resolves a kernel, and how much steadier it is than wall time. For an add-one
// kernel and a fib(20) kernel (exported functions of a reactor built here with clang, called `iterations`
// times in one instance), and for a sightglass-style program marking its region with bench.start/bench.end,
// runs each JS runtime's WASI launcher exactly as the action does, 20 times, and prints the time per call
// and the coefficient of variation (CV = sd / mean) of region beside that of wall (spawn → exit).
// On the native runtimes (wasmtime, wasmer, wasmi, wazero, wasm3, iwasm) it runs the module rewrite the action
// runs (src/wasm/region-rewrite.ts) and also prints what one bench.start→bench.end pair costs.
// Each run is pinned to one core (taskset), as the action's default schedule runs both arms (--unpinned: not).
// Beside the CVs: their robust twins (1.4826 × MAD ÷ median, what a median-based verdict sees) and wall's
// standard deviation in units of the region (a kernel below it is invisible to wall time); --scale K runs K
// times the calls per region.
// Not a test. Usage: npx tsx bench/region.ts [--runs 20] [--scale 1] [--unpinned]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { availableParallelism, homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { mean, median, medianAbsoluteDeviation, sampleStandardDeviation } from 'simple-statistics';
import { takeReport } from '../src/measure/region-report.js';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';
import { rewriteForRegion, type KernelCall } from '../src/wasm/region-rewrite.js';

const arg = (flag: string, fallback: number) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const RUNS = arg('--runs', 20);
// --scale K: K times the calls in every region (longer regions: how the spread falls as the work grows)
const SCALE = arg('--scale', 1);
const ADD_CALLS = 100_000 * SCALE;
const FIB_CALLS = 20 * SCALE;
const REGION_REPEAT = 10 * SCALE;
// Every run on one core, as the action's default (pinned) schedule runs both arms: `--unpinned` to compare.
const CORE = availableParallelism() - 1;
const PIN =
  !process.argv.includes('--unpinned') && CORE > 0 && spawnSync('taskset', ['-c', String(CORE), 'true']).status === 0
    ? ['taskset', '-c', String(CORE)]
    : [];
/** spawnSync on the pinned core (when pinning is available). */
const spawnPinned = (exe: string, args: string[], cwd: string) =>
  PIN.length ? spawnSync(PIN[0]!, [...PIN.slice(1), exe, ...args], { cwd }) : spawnSync(exe, args, { cwd });
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
clang('__tests__/fixtures/sightglass/region.c', 'region.wasm', [`-DREPEAT=${REGION_REPEAT}`]);
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
    name: `add-one ×${ADD_CALLS}`,
    args: ['--invoke', 'add_one', '--params', 'i32', '--iterations', String(ADD_CALLS), '--', 'kernels.wasm', '41'],
    calls: ADD_CALLS,
  },
  {
    name: `fib(20) ×${FIB_CALLS}`,
    args: ['--invoke', 'fib', '--params', 'i32', '--iterations', String(FIB_CALLS), '--', 'kernels.wasm', '20'],
    calls: FIB_CALLS,
  },
  {
    name: `bench.start/end fib(20) ×${REGION_REPEAT}`,
    args: ['--dir', '.', '--', 'region.wasm'],
    calls: REGION_REPEAT,
  },
];

const cv = (xs: number[]) => sampleStandardDeviation(xs) / mean(xs);
// The spread a median-based verdict sees: 1.4826 × MAD ÷ median (the CV's robust twin; one stalled run of 20
// moves the CV a lot and this hardly at all).
const robustCv = (xs: number[]) => (1.4826 * medianAbsoluteDeviation(xs)) / median(xs);
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
const fmt = (ms: number) =>
  ms < 0.001 ? `${(ms * 1e6).toFixed(1)} ns` : ms < 1 ? `${(ms * 1e3).toFixed(2)} µs` : `${ms.toFixed(2)} ms`;

const rowStats: {
  regionCv: number;
  wallCv: number;
  regionRobust: number;
  wallRobust: number;
  wallSdOverRegion: number;
}[] = [];

/** One row: RUNS timed runs after a warm-up; `run` returns the run's region in ms. */
function row(runtime: string, c: Pick<Case, 'name' | 'calls'>, run: () => number): string {
  const region: number[] = [];
  const wall: number[] = [];
  for (let i = 0; i < RUNS + 1; i++) {
    const start = process.hrtime.bigint();
    const r = run();
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    if (i === 0) continue; // a warm-up, as the action's default
    wall.push(ms);
    region.push(r);
  }
  const perCall = mean(region) / c.calls;
  rowStats.push({
    regionCv: cv(region),
    wallCv: cv(wall),
    regionRobust: robustCv(region),
    wallRobust: robustCv(wall),
    wallSdOverRegion: sampleStandardDeviation(wall) / mean(region),
  });
  const line = `| ${runtime} | ${c.name} | ${fmt(perCall)} | ${fmt(mean(region))} | ${pct(cv(region))} | ${pct(robustCv(region))} | ${fmt(mean(wall))} | ${pct(cv(wall))} | ${pct(robustCv(wall))} | ${pct(sampleStandardDeviation(wall) / mean(region))} |`;
  console.error(line);
  return line;
}

const rows: string[] = [];
for (const rt of RUNTIMES) {
  for (const c of CASES) {
    const timings = join(dir, 't.json');
    rows.push(
      row(rt.name, c, () => {
        const r = spawnPinned(rt.prefix[0]!, [...rt.prefix.slice(1), '--timings', timings, ...c.args], dir);
        if (r.status !== 0) throw new Error(`${rt.name} ${c.name}: exit ${r.status}: ${String(r.stderr)}`);
        return (JSON.parse(readFileSync(timings, 'utf8')) as { regionMs: number }).regionMs;
      }),
    );
  }
}

// The native runtimes run the module rewrite the action runs (src/wasm/region-rewrite.ts): the region comes
// from the report line on stderr. Real binaries: scripts/install-real-runtimes.sh, ../shared/runtimes.
const realEnv = join(homedir(), '.cache/wasm-perf-gate/real-runtimes/paths.env');
const real = (key: string) =>
  existsSync(realEnv)
    ? readFileSync(realEnv, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`WPG_REAL_${key}=`))
        ?.split('=')[1]
    : undefined;
const shared = (name: string) => resolve('../shared/runtimes/linux-x64', name);
const NATIVE: { name: string; exe?: string; argv: (exe: string, wasm: string) => string[] }[] = [
  { name: 'wasmtime', exe: real('WASMTIME'), argv: (e, w) => [e, 'run', '--dir', '.::.', w] },
  { name: 'wasmer', exe: real('WASMER'), argv: (e, w) => [e, 'run', '--volume', `${dir}:/`, w] },
  { name: 'wasmi', exe: real('WASMI'), argv: (e, w) => [e, 'run', '--dir', '.', w] },
  { name: 'wazero', exe: real('WAZERO'), argv: (e, w) => [e, 'run', '-mount=.:.', w] },
  { name: 'wasm3', exe: shared('wasm3'), argv: (e, w) => [e, w] },
  { name: 'iwasm', exe: shared('iwasm'), argv: (e, w) => [e, '--dir=.', w] },
];
const nonce = randomBytes(16).toString('hex');
const kernelsWasm = readFileSync(join(dir, 'kernels.wasm'));
const rewritten = (file: string, bytes: Uint8Array, kernel?: KernelCall) => {
  writeFileSync(join(dir, file), rewriteForRegion(bytes, file, { nonce, ...(kernel ? { kernel } : {}) }));
  return file;
};
const kernel = (name: string, params: string[], results: string[], args: string[], iterations: number) => ({
  export: name,
  params,
  results,
  args,
  iterations,
});
const NATIVE_CASES = [
  { ...CASES[0]!, wasm: rewritten('k-add.wasm', kernelsWasm, kernel('add_one', ['i32'], ['i32'], ['41'], ADD_CALLS)) },
  { ...CASES[1]!, wasm: rewritten('k-fib.wasm', kernelsWasm, kernel('fib', ['i32'], ['i64'], ['20'], FIB_CALLS)) },
  { ...CASES[2]!, wasm: rewritten('r.wasm', readFileSync(join(dir, 'region.wasm'))) },
];
// The markers' own cost: an empty region 100000 times (input 0: fib(0)); region ÷ pairs is what one
// start→end pair adds inside the region, (wall − wall of one pair) ÷ pairs what it costs the run in all.
clang('__tests__/fixtures/sightglass/region.c', 'pairs.wasm', ['-DREPEAT=100000']);
const pairs = rewritten('p.wasm', readFileSync(join(dir, 'pairs.wasm')));
const overhead: string[] = [];
for (const rt of NATIVE) {
  if (!rt.exe || !existsSync(rt.exe)) {
    rows.push(`| ${rt.name} | (all) | not installed here | | | | | | | |`);
    continue;
  }
  const runOnce = (wasm: string, cwd = dir) => {
    const [exe, ...args] = rt.argv(rt.exe!, wasm);
    const r = spawnPinned(exe!, args, cwd);
    if (r.status !== 0) throw new Error(`${rt.name} ${wasm}: exit ${r.status}: ${String(r.stderr)}`);
    const found = takeReport(String(r.stderr), nonce).report;
    if (!found) throw new Error(`${rt.name} ${wasm}: no region report on stderr`);
    return found;
  };
  for (const c of NATIVE_CASES) rows.push(row(rt.name, c, () => Number(runOnce(c.wasm).ns) / 1e6));
  writeFileSync(join(dir, 'input.txt'), '0\n');
  const timed = (wasm: string) => {
    const ms: number[] = [];
    let inRegion = 0;
    for (let i = 0; i < Math.max(5, RUNS / 2); i++) {
      const start = process.hrtime.bigint();
      const rep = runOnce(wasm);
      ms.push(Number(process.hrtime.bigint() - start) / 1e6);
      inRegion = Number(rep.ns) / Number(rep.count);
    }
    return { wall: ms.sort((a, b) => a - b)[Math.floor(ms.length / 2)]!, inRegion };
  };
  const many = timed(pairs);
  const one = timed(NATIVE_CASES[2]!.wasm);
  overhead.push(
    `| ${rt.name} | ${many.inRegion.toFixed(0)} ns | ${(((many.wall - one.wall) * 1e6) / 100_000).toFixed(0)} ns |`,
  );
  console.error(overhead.at(-1));
  writeFileSync(join(dir, 'input.txt'), '20\n');
}

const pinned = PIN.length ? `, each pinned to core ${CORE} (taskset)` : ', unpinned';
console.log(`${RUNS} runs per row after one warm-up${pinned}, --scale ${SCALE}, ${new Date().toISOString()}\n`);
console.log(
  '| runtime | kernel | time per call | region (mean) | region CV | region robust spread | wall (mean) | wall CV | wall robust spread | wall SD ÷ region |',
);
console.log('| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |');
for (const r of rows) console.log(r);
// What the gate resolves: the work's own spread (region CV) against the spread wall time adds to it, in units
// of that work (wall SD ÷ region mean): a kernel smaller than wall's noise is invisible to wall.
const finer = rowStats.filter((r) => r.regionCv < r.wallSdOverRegion).length;
const lowerCv = rowStats.filter((r) => r.regionCv < r.wallCv).length;
console.log(
  `\nregion CV below wall SD ÷ region (region resolves the work more finely than wall): ${finer} of ${rowStats.length} rows;` +
    ` region CV below wall CV: ${lowerCv} of ${rowStats.length}; region robust spread below wall's: ` +
    `${rowStats.filter((r) => r.regionRobust < r.wallRobust).length} of ${rowStats.length}.`,
);
console.log('\nThe markers on the native runtimes (median of runs of 100000 empty start→end pairs):\n');
console.log('| runtime | inside the region, per pair | whole run, per pair |');
console.log('| --- | --- | --- |');
for (const r of overhead) console.log(r);
rmSync(dir, { recursive: true, force: true });
