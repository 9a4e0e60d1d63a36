// Issue 19's outside check, run here: real programs (Monocypher crypto, n-body, SQLite) through the action's
// engine (dist/cli.js) on every real runtime via name@path. An A/A compare (the same -O2 build) must pass, and the
// same programs built at -O0 must be flagged. Prints a Markdown table of every verdict with its change and interval.
// Not a test. Usage: npx tsx bench/optimisation-check.ts [--max-time 20s]
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Verdict } from '../src/model/verdict.js';
import type { RunReport } from '../src/report/types.js';
import { realExe, type RealName } from '../__tests__/helpers/real-runtimes.js';

const maxTimeArg = process.argv.indexOf('--max-time');
const MAX_TIME = maxTimeArg > 0 ? process.argv[maxTimeArg + 1]! : '20s';
const CLI = resolve('dist/cli.js');
const PROGRAMS = ['crypto', 'nbody', 'sqlite'] as const;

/** Compilers run a bigger input than interpreters, so every run takes roughly 0.1–0.3 s at -O2. */
const ARGS: Record<(typeof PROGRAMS)[number], { compiled: string; interpreted: string; interpreterSlow: string }> = {
  crypto: { compiled: 'sha512, 1000', interpreted: 'sha512, 200', interpreterSlow: 'sha512, 20' },
  nbody: { compiled: '500000', interpreted: '200000', interpreterSlow: '20000' },
  sqlite: { compiled: '100000', interpreted: '10000', interpreterSlow: '1000' },
};

const entry = (name: RealName, variant: string) => `{ name: ${name}, variant: ${variant}, path: '${realExe(name)}' }`;
const installed = (name: RealName) => realExe(name) !== undefined;
const COMPILED = [
  ...(installed('wasmtime') ? [entry('wasmtime', 'cranelift'), entry('wasmtime', 'winch')] : []),
  ...(installed('wasmer') ? [entry('wasmer', 'cranelift'), entry('wasmer', 'singlepass')] : []),
  ...(installed('wazero') ? [entry('wazero', 'compiler')] : []),
  'node',
];
const INTERPRETED = installed('wasmi') ? [entry('wasmi', 'lazy-translation')] : [];
const INTERPRETER_SLOW = installed('wazero') ? [entry('wazero', 'interpreter')] : [];

/** Builds the three programs at `opt` into `out` (bench/programs/build.sh, and clang for n-body). */
function build(opt: string, out: string): void {
  mkdirSync(out, { recursive: true });
  execFileSync('bash', ['bench/programs/build.sh'], { env: { ...process.env, OPT: opt, OUT: out }, stdio: 'ignore' });
  const cc = ['--target=wasm32-wasi', '--sysroot=/usr', opt, '-Wl,--strip-all', '-o', join(out, 'nbody.wasm')];
  execFileSync('clang', [...cc, 'examples/src/nbody.c', '-lm']);
}

function config(): string {
  const lines = PROGRAMS.flatMap((p) =>
    (
      [
        ['', COMPILED, ARGS[p].compiled],
        ['-interp', INTERPRETED, ARGS[p].interpreted],
        ['-slow-interp', INTERPRETER_SLOW, ARGS[p].interpreterSlow],
      ] as const
    )
      .filter(([, runtimes]) => runtimes.length > 0)
      .map(
        ([suffix, runtimes, args]) =>
          `  - { name: ${p}${suffix}, artifact: build/${p}.wasm, args: [${args}], runtimes: [${runtimes.join(', ')}] }`,
      ),
  );
  return ['benchmarks:', ...lines, ''].join('\n');
}

/** Copies one build into the workspace and runs the CLI; the exit code and the JSON report. */
function run(ws: string, command: string, from: string): { code: number | null; report: RunReport; secs: number } {
  for (const p of PROGRAMS) copyFileSync(join(from, `${p}.wasm`), join(ws, 'build', `${p}.wasm`));
  const json = join(ws, `${command}.json`);
  const args = [CLI, command, '--config', 'perf.yml', '--baseline-path', 'b.json', '--json', json];
  const start = Date.now();
  const r = spawnSync(process.execPath, [...args, '--max-time', MAX_TIME], { cwd: ws, encoding: 'utf8' });
  const secs = (Date.now() - start) / 1000;
  if (r.status !== 0 && command === 'baseline') throw new Error(`baseline failed:\n${r.stdout}\n${r.stderr}`);
  return { code: r.status, report: JSON.parse(readFileSync(json, 'utf8')) as RunReport, secs };
}

const pct = (x: number) => `${x >= 1 ? '+' : ''}${((x - 1) * 100).toFixed(1)}%`;
const show = (v: Verdict | undefined) =>
  !v
    ? 'missing'
    : `${v.kind} ${v.ratio ? pct(v.ratio) : ''}${v.interval ? ` [${v.interval.map(pct).join(', ')}]` : ''}`;
const key = (v: Verdict) => `${v.benchmark} ${v.runtime.replace(/@.*/, '')}`;

const root = mkdtempSync(join(tmpdir(), 'wpg-opt-'));
try {
  build('-O2', join(root, 'O2'));
  build('-O0', join(root, 'O0'));
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'build'), { recursive: true });
  writeFileSync(join(ws, 'perf.yml'), config());
  const base = run(ws, 'baseline', join(root, 'O2'));
  const aa = run(ws, 'compare', join(root, 'O2'));
  const o0 = run(ws, 'compare', join(root, 'O0'));
  const wall = (r: RunReport) => r.verdicts.filter((v) => v.metric === 'wall');
  const o0By = new Map(wall(o0.report).map((v) => [key(v), v]));
  console.log(`# -O2 A/A and -O2 → -O0 through dist/cli.js (${new Date().toISOString()}, max-time ${MAX_TIME})\n`);
  console.log('| Benchmark | Runtime | A/A (-O2 vs -O2) | -O0 vs -O2 |\n| --- | --- | --- | --- |');
  for (const v of wall(aa.report))
    console.log(`| ${v.benchmark} | \`${v.runtime}\` | ${show(v)} | ${show(o0By.get(key(v)))} |`);
  const wrongAa = wall(aa.report).filter((v) => v.kind !== 'unchanged' && v.kind !== 'inconclusive');
  const undecided = wall(aa.report).filter((v) => v.kind === 'inconclusive');
  const missed = wall(o0.report).filter((v) => v.kind !== 'regressed' && v.kind !== 'likely-regressed');
  console.log(
    `\nbaseline ${base.secs.toFixed(0)} s; A/A compare exit ${aa.code} in ${aa.secs.toFixed(0)} s, ` +
      `${wrongAa.length} of ${wall(aa.report).length} cells called a change (${undecided.length} inconclusive); -O0 compare exit ${o0.code} in ` +
      `${o0.secs.toFixed(0)} s, ${missed.length} of ${wall(o0.report).length} cells not flagged.`,
  );
  for (const v of [...wrongAa, ...undecided, ...missed]) console.log(`  - ${key(v)}: ${show(v)}`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
