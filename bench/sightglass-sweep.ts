// Issue 27's outside check at the scale of the whole suite: every module of a sightglass checkout's
// `benchmarks/` folder (programs this project did not write, unmodified), measured twice on node and the real
// wasmtime, wasmer, wasmi and wazero through dist/cli.js, as a user of the CLI would, with one line per
// module: `ok` where every sample has a region, else each runtime's failure in a few words.
// Not a test (it needs a sightglass checkout; nothing here reaches the internet).
// Usage: npx tsx bench/sightglass-sweep.ts --suite PATH/TO/sightglass [--only REGEX]
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

const arg = (flag: string) => {
  const i = process.argv.indexOf(flag);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const suite = arg('--suite');
if (!suite || !existsSync(join(suite, 'benchmarks'))) {
  console.error('usage: npx tsx bench/sightglass-sweep.ts --suite PATH/TO/sightglass [--only REGEX]');
  process.exit(2);
}
const only = new RegExp(arg('--only') ?? '.');

// The real binaries scripts/install-real-runtimes.sh installs (its paths.env).
const pathsEnv = join(
  process.env['WPG_REAL_RUNTIMES_DIR'] ?? join(homedir(), '.cache/wasm-perf-gate/real-runtimes'),
  'paths.env',
);
const real = (name: string) =>
  existsSync(pathsEnv)
    ? readFileSync(pathsEnv, 'utf8')
        .split('\n')
        .find((l) => l.startsWith(`WPG_REAL_${name.toUpperCase()}=`))
        ?.split('=')[1]
    : undefined;
const NATIVE = ['wasmtime', 'wasmer', 'wasmi', 'wazero'].flatMap((n) => {
  const exe = real(n);
  return exe ? [`${n}@${exe}`] : [];
});
const RUNTIMES = ['node', ...NATIVE].join(', ');

// The suite is copied into a scratch workspace: the CLI measures only what lies inside its workspace.
const ws = mkdtempSync(join(tmpdir(), 'wpg-sightglass-'));
cpSync(join(suite, 'benchmarks'), join(ws, 'benchmarks'), { recursive: true });
const modules = readdirSync(join(ws, 'benchmarks'), { recursive: true, encoding: 'utf8' })
  .filter((f) => f.endsWith('.wasm') && statSync(join(ws, 'benchmarks', f)).isFile() && only.test(f))
  .sort();
const cli = resolve('dist/cli.js');

/** A failure in a few words: the runtime's own (after "…(exit code N): "), the module's path left out. */
function why(message: string): string {
  const own = message.includes('): ') ? message.slice(message.indexOf('): ') + 3) : message;
  const short = own.replace(/[^\s"]+\.wasm/g, 'MODULE').replace(/\s+/g, ' ');
  return short.length > 110 ? `${short.slice(0, 110)}…` : short;
}

interface Cell {
  runtime: string;
  candidate: { samples: { values: Record<string, number> }[]; failure?: { kind: string; message: string } };
}

const rows: string[] = [];
let allOk = 0;
for (const [i, file] of modules.entries()) {
  const rel = join('benchmarks', file);
  const json = join(ws, `report-${i}.json`);
  const start = performance.now();
  const cliRun = spawnSync(
    process.execPath,
    [
      cli,
      'baseline',
      '--artifacts',
      rel,
      '--runtimes',
      RUNTIMES,
      '--warmup',
      '0',
      '--min-runs',
      '2',
      '--max-runs',
      '2',
      '--timeout',
      '120s',
      '--baseline-path',
      join(ws, `baseline-${i}.json`),
      '--json',
      json,
    ],
    { cwd: ws, encoding: 'utf8', timeout: 20 * 60_000 },
  );
  const s = ((performance.now() - start) / 1000).toFixed(0);
  if (!existsSync(json)) {
    const said = cliRun.stderr.trim().split('\n').at(-1) ?? '';
    rows.push(`| ${file} | refused before measuring: ${why(said.replace(/^wasm-perf-gate: /, ''))} | ${s} s |`);
    continue;
  }
  const cells = (JSON.parse(readFileSync(json, 'utf8')) as { measurements: Cell[] }).measurements;
  const bad = cells.flatMap((c) => {
    const name = c.runtime.split('@')[0]!;
    if (c.candidate.failure) return [`${name}: ${why(c.candidate.failure.message)}`];
    return c.candidate.samples.every((x) => (x.values['region'] ?? 0) > 0) ? [] : [`${name}: no region`];
  });
  if (bad.length === 0) allOk++;
  const line = `| ${file} | ${bad.length === 0 ? `ok on all ${cells.length}` : bad.join('; ').replace(/\|/g, '\\|')} | ${s} s |`;
  console.error(line);
  rows.push(line);
}
rmSync(ws, { recursive: true, force: true });

console.log(
  `${relative(process.cwd(), suite) || suite}: ${modules.length} modules on ${RUNTIMES.replace(/@[^,]+/g, '')}`,
);
console.log(`${new Date().toISOString()}; region measured in every cell of ${allOk} of ${modules.length} modules\n`);
console.log('| module | result | time |');
console.log('| --- | --- | --- |');
for (const r of rows) console.log(r);
