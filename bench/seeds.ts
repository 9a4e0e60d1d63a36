// The four studies issue 19 names, reproduced through the action's own engine (dist/cli.js, as a user runs
// it) on the real runtimes scripts/install-real-runtimes.sh installs, each figure beside the study's own:
//   1. fib on every real runtime (and variant), the cross-runtime table; wasmer ÷ wasmtime;
//   2. wasmer start-up with a cold vs a warm compiled-module cache on the largest module built here (SQLite);
//   3. wasmi start-up with eager vs lazy translation on the same module;
//   4. a libsodium-style crypto workload (Monocypher) across every real runtime, with the geometric mean.
// Not a test: it prints tables (Markdown) for docs/real-runtimes.md. Usage: npx tsx bench/seeds.ts [--runs N] [--only 1,3]
// (`--only 2w`: study 2's WAMR-AOT row alone, on the shared iwasm and wamrc)
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { geometricMean, median } from 'simple-statistics';
import type { CellMeasurement } from '../src/model/measurement.js';
import type { RunReport } from '../src/report/types.js';
import { realExe, sharedExe, type RealName } from '../__tests__/helpers/real-runtimes.js';

const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 5;
const onlyArg = process.argv.indexOf('--only');
/** `--only 2,3`: just those studies */
const ONLY_ARG = onlyArg > 0 ? process.argv[onlyArg + 1]!.split(',') : ['1', '2', '3', '4'];
/** `--only 2w`: study 2's WAMR-AOT row alone */
const ONLY_WAMR = ONLY_ARG.includes('2w') && !ONLY_ARG.includes('2');
const ONLY = ONLY_ARG.map((x) => (x === '2w' ? 2 : Number(x)));
const CLI = resolve('dist/cli.js');
/** Real runtimes not installed here: left out of the tables (and said so), not fatal. */
const MISSING = (['wasmtime', 'wasmer', 'wasmi', 'wazero'] as RealName[]).filter((n) => realExe(n) === undefined);
const FIB = resolve('examples/wasm/fibonacci.wasm');
const SQLITE = resolve('bench/programs/sqlite.wasm');
const CRYPTO = resolve('bench/programs/crypto.wasm');

function exe(name: RealName): string {
  const found = realExe(name);
  if (!found) throw new Error(`real ${name} not installed: run scripts/install-real-runtimes.sh`);
  return found;
}

/** Every real runtime and variant, as config entries, plus node (embedded: the node running this). */
function everyRuntime(): string[] {
  const v = (name: RealName, variant: string) =>
    `{ name: ${name}, variant: ${variant}, path: '${realExe(name) ?? 'missing'}' }`;
  const all = [
    v('wasmtime', 'cranelift'),
    v('wasmtime', 'winch'),
    v('wasmer', 'cranelift'),
    v('wasmer', 'singlepass'),
    v('wasmi', 'lazy-translation'),
    v('wazero', 'compiler'),
    v('wazero', 'interpreter'),
    'node',
  ];
  return all.filter((e) => !MISSING.some((n) => e.startsWith(`{ name: ${n},`)));
}

interface Bench {
  name: string;
  wasm: string;
  args: (string | number)[];
  runtimes: string[];
}

/** Runs `wasm-perf-gate baseline` on a config of its own; the JSON report. */
function measure(benches: Bench[], extra: string[] = [], measure = ''): RunReport {
  const dir = mkdtempSync(join(tmpdir(), 'wpg-seeds-'));
  try {
    const lines = benches.map(
      (b) =>
        `  - { name: ${b.name}, artifact: '${b.wasm}', args: [${b.args.join(', ')}], runtimes: [${b.runtimes.join(', ')}] }`,
    );
    // The programs live in this repository, outside the scratch workspace.
    const yml = [
      'allow-outside-workspace: true',
      ...(measure ? [`measure: { ${measure} }`] : []),
      'benchmarks:',
      ...lines,
      '',
    ].join('\n');
    writeFileSync(join(dir, 'seeds.yml'), yml);
    const json = join(dir, 'report.json');
    const args = [CLI, 'baseline', '--config', join(dir, 'seeds.yml'), '--baseline-path', join(dir, 'b.json')];
    args.push('--json', json, '--min-runs', String(RUNS), '--max-runs', String(RUNS), '--warmup', '1', ...extra);
    const r = spawnSync(process.execPath, args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 << 20 });
    if (r.status !== 0) process.stderr.write(`(exit ${r.status}) ${r.stdout.slice(-1500)}${r.stderr.slice(-1500)}\n`);
    return JSON.parse(readFileSync(json, 'utf8')) as RunReport;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const wallOf = (c: CellMeasurement) => median(c.candidate.samples.map((s) => s.values['wall']!));
const ms = (x: number) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const ratio = (x: number) => `${x >= 10 ? x.toFixed(0) : x.toFixed(2)}×`;

function cell(report: RunReport, bench: string, runtime: string): CellMeasurement {
  const c = report.measurements.find((m) => m.benchmark === bench && m.runtime.startsWith(runtime));
  if (!c) throw new Error(`no cell ${bench} on ${runtime}`);
  if (c.candidate.failure) throw new Error(`${bench} on ${runtime} failed: ${c.candidate.failure.message}`);
  return c;
}

/** Rows = benchmarks, columns = runtimes: median wall ÷ the fastest runtime's, with a geometric-mean row. */
function crossTable(report: RunReport, benches: string[]): { table: string[]; geo: Map<string, number> } {
  const ids = report.runtimes.map((r) => r.id);
  const head = `| Benchmark | ${ids.map((id) => `\`${id}\``).join(' | ')} |`;
  const rel = new Map(ids.map((id) => [id, [] as number[]]));
  const rows = benches.map((b) => {
    const walls = ids.map((id) => wallOf(cell(report, b, id)));
    const best = Math.min(...walls);
    walls.forEach((w, i) => rel.get(ids[i]!)!.push(w / best));
    return `| ${b} | ${walls.map((w) => `${ratio(w / best)} (${ms(w)} ms)`).join(' | ')} |`;
  });
  const geo = new Map(ids.map((id) => [id, geometricMean(rel.get(id)!)]));
  const geoRow = `| **geometric mean** | ${ids.map((id) => `**${ratio(geo.get(id)!)}**`).join(' | ')} |`;
  return {
    table: [head, `|${' --- |'.repeat(ids.length + 1)}`, ...rows, ...(benches.length > 1 ? [geoRow] : [])],
    geo,
  };
}

function versions(): string {
  return (['wasmtime', 'wasmer', 'wasmi', 'wazero'] as RealName[])
    .filter((n) => realExe(n) !== undefined)
    .map((n) => execFileSync(exe(n), n === 'wazero' ? ['version'] : ['--version'], { encoding: 'utf8' }).trim())
    .join(', ');
}

const summary: string[] = [];
if (MISSING.length) console.log(`(not installed, left out: ${MISSING.join(', ')})\n`);
console.log(`# Seeds (${new Date().toISOString()}, ${RUNS} runs per cell; ${versions()}; node ${process.version})\n`);

// 1. fib(32) on every runtime.
if (ONLY.includes(1)) {
  const report = measure([{ name: 'fib', wasm: FIB, args: [32], runtimes: everyRuntime() }]);
  const { table } = crossTable(report, ['fib']);
  console.log('## 1. fib(32) on every runtime (median wall, ÷ fastest)\n', table.join('\n'), '\n');
  if (realExe('wasmer') !== undefined) {
    const r = wallOf(cell(report, 'fib', 'wasmer:cranelift')) / wallOf(cell(report, 'fib', 'wasmtime:cranelift'));
    summary.push(
      `| 1. fib, wasmer vs wasmtime (both Cranelift) | compared on the same program | wasmer ÷ wasmtime = ${ratio(r)} |`,
    );
  }
}

// 2. wasmer cold vs warm compiled-module cache on SQLite (a short run: compile dominates), and WAMR's AOT.
if (ONLY.includes(2)) {
  console.log('## 2. Start-up with a cold vs a warm compiled-code cache: sqlite.wasm (1.1 MB), 100 rows\n');
  console.log('| Runtime | cold | warm | cold ÷ warm |\n| --- | --- | --- | --- |');
  if (!ONLY_WAMR) cacheRows();
  wamrAotRow();
  console.log();
}

function cacheRows(): void {
  const ids = ['wasmer:cranelift', 'wasmer:singlepass', 'wasmtime:cranelift', 'wazero:compiler'].filter(
    (id) => !MISSING.some((n) => id.startsWith(`${n}:`)),
  );
  const entry = (id: string) => {
    const [name, variant] = id.split(':') as [RealName, string];
    return `{ name: ${name}, variant: ${variant}, path: '${exe(name)}' }`;
  };
  const report = measure([{ name: 'sqlite', wasm: SQLITE, args: [100], runtimes: ids.map(entry) }], [], 'cache: both');
  for (const id of ids) {
    const cold = wallOf(cell(report, 'sqlite', `${id} [cold]`));
    const warm = wallOf(cell(report, 'sqlite', `${id} [warm]`));
    console.log(`| \`${id}\` | ${ms(cold)} ms | ${ms(warm)} ms | ${ratio(cold / warm)} |`);
    if (id === 'wasmer:cranelift')
      summary.push(
        `| 2. wasmer start-up, cold vs warm module cache | about 100× (nginx, compile-dominated) | ${ratio(cold / warm)} on SQLite (${ms(cold)} → ${ms(warm)} ms) |`,
      );
  }
}

/**
 * Study 2's WAMR-AOT row: iwasm keeps no cache, so "cold" is wamrc's compile (the action's aot-compile) plus a
 * run of the .aot, "warm" the run of the .aot alone; the .aot's size is the action's aot-size. The shared
 * iwasm and wamrc (../shared/runtimes/); `--only 2w` runs just this row (wamrc takes minutes on SQLite).
 */
function wamrAotRow(): void {
  const iwasm = sharedExe('iwasm');
  if (iwasm === undefined || sharedExe('wamrc') === undefined) {
    console.log('| `iwasm:aot` | (the shared iwasm and wamrc are not here: left out) | | |');
    return;
  }
  const entry = `{ name: iwasm, variant: aot, path: '${iwasm}' }`;
  // wamrc takes minutes on SQLite (LLVM at -O3): past the default 120 s limit of one run.
  const report = measure([{ name: 'sqlite', wasm: SQLITE, args: [100], runtimes: [entry] }], ['--timeout', '900s']);
  const c = cell(report, 'sqlite', 'iwasm:aot');
  const compile = median(c.aot!.compileMs);
  const warm = wallOf(c);
  const secs = (x: number) => `${(x / 1000).toFixed(1)} s`;
  const mib = (c.aot!.sizeBytes / 2 ** 20).toFixed(2);
  console.log(
    `| \`${c.runtime}\` (wamrc ${secs(compile)}, .aot ${mib} MiB) | ${secs(compile + warm)} | ${ms(warm)} ms | ${ratio((compile + warm) / warm)} |`,
  );
  summary.push(
    `| 2. WAMR AOT: wamrc compile vs the precompiled run | compile time and size measured | wamrc ${secs(compile)} for a ${mib} MiB .aot on SQLite; the .aot runs in ${ms(warm)} ms |`,
  );
}

// 3. wasmi eager vs lazy translation on SQLite (start-up).
if (ONLY.includes(3)) {
  const rt = (variant: string) => `{ name: wasmi, variant: ${variant}, path: '${exe('wasmi')}' }`;
  const report = measure([
    { name: 'sqlite', wasm: SQLITE, args: [10], runtimes: [rt('eager'), rt('lazy-translation'), rt('lazy')] },
  ]);
  console.log('## 3. wasmi start-up, eager vs lazy translation: sqlite.wasm, 10 rows\n');
  console.log('| Mode | wall | eager ÷ mode |\n| --- | --- | --- |');
  const eager = wallOf(cell(report, 'sqlite', 'wasmi:eager'));
  for (const mode of ['eager', 'lazy-translation', 'lazy']) {
    const w = wallOf(cell(report, 'sqlite', `wasmi:${mode}`));
    console.log(`| \`${mode}\` | ${ms(w)} ms | ${ratio(eager / w)} |`);
    if (mode === 'lazy')
      summary.push(
        `| 3. wasmi start-up, eager vs lazy translation | orders of magnitude faster lazily (Wasmi 0.32) | ${ratio(eager / w)} on SQLite (${ms(eager)} → ${ms(w)} ms) |`,
      );
  }
  console.log();
}

// 4. crypto primitives on every runtime, with the geometric mean.
if (ONLY.includes(4)) {
  const work: [string, number][] = [
    ['aead', 200],
    ['blake2b', 500],
    ['sha512', 200],
    ['chacha20', 200],
    ['poly1305', 1000],
    ['x25519', 100],
    ['sign', 300],
    ['verify', 100],
    ['argon2', 50],
  ];
  const report = measure(work.map(([op, n]) => ({ name: op, wasm: CRYPTO, args: [op, n], runtimes: everyRuntime() })));
  const { table, geo } = crossTable(
    report,
    work.map(([op]) => op),
  );
  console.log('## 4. libsodium-style crypto (Monocypher 4.0.2) on every runtime (median wall, ÷ fastest)\n');
  console.log(table.join('\n'), '\n');
  const best = [...geo.entries()].sort((a, b) => a[1] - b[1]);
  summary.push(
    `| 4. crypto across runtimes, geometric mean | libsodium's benchmarks: a dozen runtimes, normalised, geomean row | fastest \`${best[0]![0]}\`, slowest \`${best.at(-1)![0]}\` at ${ratio(best.at(-1)![1])} |`,
  );
}

console.log("## Summary\n\n| Study | Study's figure | Ours |\n| --- | --- | --- |");
console.log(summary.join('\n'));
