// The test command (`npm test`): bundles dist/ from src/ first, so no test runs a stale bundle (dist-fresh
// checks that the committed dist/ is this bundle), then runs every __tests__/**/*.test.ts with node's test
// runner (tsx loads TypeScript) in two tiers side by side: the timing-sensitive files (they measure, or kill
// on a deadline) one at a time, and beside them, at a low CPU priority (nice 10), the files whose assertions do not
// depend on timing, two at a time. Ends with the time of each tier, each costly file's CPU and wall seconds,
// and one line naming every test skipped for a missing tool (helpers/tools.ts).
//   node scripts/test.mjs [file-substring...]   only the files whose path contains one of them
//   node scripts/test.mjs --across-node          only the files that differ between node versions (.ci/run
//                                                runs them again with node 24, the node GitHub runs the action on)
//   node scripts/test.mjs --serial               run the tiers one after the other, not side by side
//   node scripts/test.mjs --also-on=<node>       then run the --across-node files once more on that node (CI:
//                                                node 24), after the timing-sensitive tier
//   node scripts/test.mjs --list                 print each tier's files and run nothing
import { spawn, spawnSync } from 'node:child_process';
import {
  closeSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { setPriority, tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';

// Timing-sensitive: a verdict on measured times (A/A must pass, a slower program must be caught), or a
// deadline (timeouts, budgets, kills) that a second busy core could push over its bound. Each runs alone.
// The rest (pure modules, local servers, error paths, end-to-end runs that assert no verdict, instruction counts
// and program metrics, which load does not move) run two at a time, beside them.
const ALONE = [
  /^e2e-(action\.|actions-cache|bisect|clear-regression|real-runtimes\.|runtimes|shards\.|shards-fork)/,
  // (not e2e-shards-refresh, -platforms: their shards do not judge, their report jobs' verdicts may be any)
  // Its program-metric and instruction-count histories do not see load (the twins' refreshes already run side
  // by side); only its opt-in cpu history does, and that needs the machine to itself.
  ...(process.env['WPG_E2E_CHANGE_POINTS'] === '1' ? [/^e2e-change-points\./] : []),
  /^e2e-(kernels|sightglass|expected-output|runtime-change)\./, // A/A must pass, a slower build be caught
  /^faults\/(bounds-budget|measure-process|bounds-processes|bounds-downloads|bisect-inputs)\./, // budgets, timeouts, signals, kills
  /^measure-(engine|hyperfine|budget|process|launcher|disturbance)\./,
  /^metrics-(instructions|phases|rusage|aot|cache|program)\./,
  /^runtimes-wasi-launcher\./,
  /^cli-terminal\./,
  /^example-regression\./,
];

// Of those, the ones whose engine runs the two arms one after the other (hyperfine, unpaired): a background
// file starting or ending between the arms moves one arm only, so they run last, once the background tier is done.
const QUIET = [/^e2e-clear-regression\./];

// What differs between node versions: the action's entry (dist/index.js, started by WPG_ACTION_NODE), the
// WASI launcher inside the measured node, and process handling (spawn, signals, timeouts, pipes).
const ACROSS_NODE = [
  /^e2e-action\./,
  /^faults\/measure-process\./,
  /^measure-process\./,
  /^runtimes-wasi-launcher\./,
  /^runtimes-launcher-component\./,
  /^measure-launcher\./,
  /^faults\/bounds-processes\./, // run scopes (cgroup or marker and session) and process trees
];

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
walk('__tests__');
files.sort();
const name = (f) => relative('__tests__', f);

const args = process.argv.slice(2);
const acrossNode = args.includes('--across-node');
const serial = args.includes('--serial');
const listOnly = args.includes('--list');
const alsoOn = args.find((a) => a.startsWith('--also-on='))?.slice('--also-on='.length);
const only = args.filter((a) => !a.startsWith('--'));
const unknown = args.filter(
  (a) => a.startsWith('--') && !['--across-node', '--list', '--serial'].includes(a) && !a.startsWith('--also-on='),
);
if (unknown.length || alsoOn === '') {
  console.error(
    `npm test: unknown option ${unknown.join(' ') || '--also-on='} (--across-node, --list, --serial, --also-on=<node>, or file-name substrings)`,
  );
  process.exit(2);
}
let chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
if (acrossNode) chosen = chosen.filter((f) => ACROSS_NODE.some((re) => re.test(name(f))));

const alone = (f) => ALONE.some((re) => re.test(name(f)));
const quiet = (f) => QUIET.some((re) => re.test(name(f)));
const acrossNodeFiles = (fs) => fs.filter((f) => ACROSS_NODE.some((re) => re.test(name(f))));
// --also-on=<node>: the files that differ between node versions once more, on that node (test files and action),
// one at a time after the timing-sensitive tier, while the background tier may still be running.
const versionOf = (node) => spawnSync(node, ['-p', 'process.versions.node'], { encoding: 'utf8' }).stdout?.trim();
const alsoOnVersion = alsoOn === undefined ? undefined : versionOf(alsoOn);
if (alsoOn !== undefined && !alsoOnVersion) {
  console.error(`npm test: --also-on=${alsoOn}: not a node that runs (give the path of a node executable)`);
  process.exit(2);
}
const tiers = [
  { tier: 'concurrent', concurrency: 2, files: chosen.filter((f) => !alone(f)) },
  { tier: 'alone', concurrency: 1, files: chosen.filter((f) => alone(f) && !quiet(f)) },
  ...(alsoOn === undefined
    ? []
    : [{ tier: `node ${alsoOnVersion}`, concurrency: 1, files: acrossNodeFiles(chosen), node: alsoOn }]),
  { tier: 'alone, machine idle', concurrency: 1, files: chosen.filter((f) => alone(f) && quiet(f)), quiet: true },
].filter((t) => t.files.length);

if (listOnly) {
  for (const t of tiers) console.log(`${t.tier} (${t.concurrency} at a time): ${t.files.map(name).join(' ')}`);
  process.exit(0);
}

const t0 = performance.now();
const scratch = mkdtempSync(join(tmpdir(), 'wpg-test-'));
// Bundled beside, then only changed files replaced (each by a rename): a test of another run in this
// checkout never finds dist/ half-written, and a current dist/ is left untouched.
const bundle = spawnSync(process.execPath, ['scripts/bundle.mjs', join(scratch, 'dist')], { stdio: 'inherit' });
if (bundle.status !== 0) {
  console.error('npm test: `node scripts/bundle.mjs` failed, so the tests would run a stale dist/');
  process.exit(bundle.status ?? 1);
}
const tree = (dir) =>
  existsSync(dir)
    ? readdirSync(dir, { recursive: true, withFileTypes: true })
        .filter((e) => e.isFile())
        .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    : [];
const fresh = tree(join(scratch, 'dist'));
for (const f of fresh) {
  const body = readFileSync(join(scratch, 'dist', f));
  const to = join('dist', f);
  if (existsSync(to) && readFileSync(to).equals(body)) continue;
  mkdirSync(dirname(to), { recursive: true });
  copyFileSync(join(scratch, 'dist', f), `${to}.${process.pid}.tmp`);
  renameSync(`${to}.${process.pid}.tmp`, to);
  console.log(`npm test: dist/${f} rebuilt from src/ (commit it: dist-fresh checks the committed bundle)`);
}
for (const f of tree('dist')) if (!fresh.includes(f)) rmSync(join('dist', f));
const bundleS = (performance.now() - t0) / 1000;

const BACKGROUND_NICE = 10;

/**
 * One tier under node:test: the spec report on stdout (or, for a tier in the background, in `logFile`), and
 * scripts/test-record.mjs's records. A background tier runs at a low CPU priority (its test files inherit it), so
 * it takes mostly the CPU the tier in the foreground leaves idle: nice 10, which on a contested core gets about a
 * tenth of it (nice 19 would starve the background tier's own deadlines, a 1 s download-timeout, for instance).
 */
async function runTier(t, recordFile, cpuFile, logFile) {
  const log = logFile === undefined ? undefined : openSync(logFile, 'w');
  const child = spawn(
    t.node ?? process.execPath,
    [
      '--import',
      'tsx',
      '--import',
      './scripts/test-cpu.mjs',
      '--test',
      `--test-concurrency=${t.concurrency}`,
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=./scripts/test-record.mjs',
      `--test-reporter-destination=${recordFile}`,
      ...t.files,
    ],
    {
      stdio: log === undefined ? 'inherit' : ['ignore', log, log],
      env: { ...process.env, WPG_TEST_CPU_FILE: cpuFile, ...(t.node ? { WPG_ACTION_NODE: t.node } : {}) },
    },
  );
  if (log !== undefined) {
    closeSync(log);
    try {
      setPriority(child.pid, BACKGROUND_NICE);
    } catch {
      // not allowed here: the tier still runs, at normal priority
    }
  }
  return new Promise((done) => child.on('close', (code, signal) => done(code ?? (signal ? 1 : 0))));
}

const records = [];
const fileTimes = [];
let status = 0;
const lines = [`bundle ${bundleS.toFixed(1)} s`];
const readJsonl = (file) =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));

/** Runs tier `t` (in the background: its report into a log) and records its times; resolves to its log. */
async function tierRun(t, background) {
  const start = performance.now();
  const key = t.tier.replace(/\W/g, '-');
  const [recordFile, cpuFile] = ['jsonl', 'cpu.jsonl'].map((ext) => join(scratch, `${key}.${ext}`));
  const logFile = background ? join(scratch, `${key}.log`) : undefined;
  writeFileSync(cpuFile, '');
  const code = await runTier(t, recordFile, cpuFile, logFile);
  const s = (performance.now() - start) / 1000;
  status ||= code;
  records.push(...readJsonl(recordFile));
  // Each file's wall and CPU time, from its own process (scripts/test-cpu.mjs; Linux).
  const times = readJsonl(cpuFile).map((x) => ({ ...x, tier: t.tier }));
  fileTimes.push(...times);
  const sum = (key) => times.reduce((a, x) => a + x[key], 0);
  const detail = times.length
    ? ` (sum of file times ${(sum('wallMs') / 1000).toFixed(0)} s, CPU ${sum('cpuS').toFixed(0)} s)`
    : '';
  lines.push(
    `tier ${t.tier} (${t.files.length} files, ${t.concurrency} at a time${background ? ', in the background' : ''}):` +
      ` ${s.toFixed(0)} s${detail}${code ? `, exit ${code}` : ''}`,
  );
  return logFile;
}

// The timing-sensitive tier leaves most of the second core idle (a measured run is pinned to one core, the
// action driving it mostly waits): the other tier runs beside it at a low priority and fills that core,
// its report printed when both are done. --serial runs the tiers one after the other.
const background = tiers.length > 1 && !serial ? tiers.find((t) => t.tier === 'concurrent') : undefined;
const backgroundRun = background ? tierRun(background, true) : undefined;
let backgroundLog;
for (const t of tiers.filter((x) => x !== background)) {
  if (t.quiet && backgroundRun) backgroundLog = await backgroundRun;
  await tierRun(t, false);
}
if (backgroundRun) {
  const log = backgroundLog ?? (await backgroundRun);
  console.log(`\n--- tier ${background.tier}, run in the background beside the others: its report ---`);
  console.log(readFileSync(log, 'utf8'));
}
rmSync(scratch, { recursive: true, force: true });

// Every file of 5 CPU seconds or more, costliest first: CPU seconds are what a file costs whatever else runs,
// wall seconds what it took this time.
const costly = fileTimes
  .filter((r) => r.cpuS >= 5)
  .sort((a, b) => b.cpuS - a.cpuS)
  .map(
    (r) =>
      `  ${name(relative(process.cwd(), r.file))} (${r.tier}): CPU ${r.cpuS.toFixed(0)} s, wall ${(r.wallMs / 1000).toFixed(0)} s`,
  );
if (costly.length) console.log(`\nfiles of 5 CPU seconds or more:\n${costly.join('\n')}`);
console.log(`\ntest times: ${lines.join('; ')}; total ${((performance.now() - t0) / 1000).toFixed(0)} s`);

// Skips for a missing tool carry helpers/tools.ts's prefix; one line lists them by tool.
const MISSING = 'missing tool:';
const byTool = new Map();
for (const r of records.filter((r) => r.skip?.startsWith(MISSING))) {
  const tool = r.skip.slice(MISSING.length).split(':')[0].trim();
  const entry = byTool.get(tool) ?? { tests: 0, files: new Set() };
  entry.tests++;
  entry.files.add(name(relative(process.cwd(), r.file)));
  byTool.set(tool, entry);
}
if (byTool.size) {
  const list = [...byTool].map(([tool, e]) => `${tool} (${e.tests} in ${[...e.files].join(', ')})`);
  console.log(`skipped for missing tools: ${list.join('; ')}. \`bash .ci/run\` installs everything.`);
}
// The failures last, whole, since a CI log is read from its end.
const failures = records.filter((r) => r.failed !== undefined);
for (const [i, r] of failures.entries())
  console.log(
    `\n--- failed ${i + 1}/${failures.length}: ${name(relative(process.cwd(), r.file ?? '?'))} › ${r.failed} ---\n${r.error}`,
  );
process.exit(status);
