// Issue 26's figures: one .wasm suite on two builds of one runtime, through the CLI (dist/cli.js) as a runtime
// repository would run it. Prints, per scenario, every cell's verdict with its change and interval, the suite's
// geometric-mean change, and the time the verdict took:
//   1. A/A: the real wasmtime and a byte-identical copy (>= 20 paired rounds): no change may be called;
//   2. wasmtime Cranelift (main's "build") vs Winch (the PR's "build": a wrapper running `-C compiler=winch`) on
//      compute programs: the slower code generator must be flagged;
//   3. two real wasmi versions (2.0.0 as the PR, 0.32.3 as the baseline; scripts/install-real-runtimes.sh),
//      the direction of the Wasmi 0.32 study's register-based engine line.
// Not a test. Usage: npx tsx bench/runtime-ab.ts [--min-runs 20] [--max-runs 30]
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { RunReport } from '../src/report/types.js';
import { realExe, type OlderName, type RealName } from '../__tests__/helpers/real-runtimes.js';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1]! : dflt;
};
const MIN_RUNS = arg('--min-runs', '20');
const MAX_RUNS = arg('--max-runs', '30');
const CLI = resolve('dist/cli.js');
const FIB = resolve('__tests__/fixtures/measure/fibonacci-x1.wasm');
const NBODY = resolve('examples/wasm/nbody.wasm');

interface Scenario {
  name: string;
  /** the config's runtimes entry */
  runtime: string;
  /** benchmark name → [artifact, args] */
  programs: Record<string, [string, string]>;
  expect: string;
}

const pct = (x: number) => `${x >= 1 ? '+' : '−'}${Math.abs((x - 1) * 100).toFixed(1)}%`;

function run(s: Scenario, ws: string): void {
  const lines = Object.entries(s.programs).map(
    ([name, [wasm, args]]) => `  - { name: ${name}, artifact: '${wasm}', args: [${args}] }`,
  );
  writeFileSync(join(ws, 'perf.yml'), [`runtimes:\n  - ${s.runtime}`, 'benchmarks:', ...lines, ''].join('\n'));
  const json = join(ws, 'report.json');
  rmSync(json, { force: true });
  const start = Date.now();
  const cli = spawnSync(
    process.execPath,
    [CLI, 'compare', '--config', 'perf.yml', '--baseline-path', 'none.json', '--json', json].concat([
      '--min-runs',
      MIN_RUNS,
      '--max-runs',
      MAX_RUNS,
      '--max-time',
      '120s',
    ]),
    { cwd: ws, encoding: 'utf8' },
  );
  const secs = (Date.now() - start) / 1000;
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(json, 'utf8')) as RunReport;
  } catch {
    console.log(`### ${s.name}\n\nno report (exit ${cli.status}):\n\n${cli.stderr.slice(-1500)}\n`);
    return;
  }
  const change = report.runtimeChanges?.[0];
  console.log(`### ${s.name}\n`);
  if (change)
    console.log(
      `${change.title} — PR ${change.candidate.version} (sha256 ${change.candidate.sha256.slice(0, 12)}…), baseline ${change.baseline.version} (sha256 ${change.baseline.sha256.slice(0, 12)}…)${change.identical ? ', identical builds' : ''}\n`,
    );
  console.log('| benchmark | verdict | change [interval] | rounds | took |\n|---|---|---|---|---|');
  for (const v of report.verdicts) {
    const m = report.measurements.find((x) => x.benchmark === v.benchmark);
    const ci = v.interval ? ` [${v.interval.map(pct).join(', ')}]` : '';
    console.log(
      `| ${v.benchmark} | ${v.kind} | ${v.ratio ? pct(v.ratio) : '–'}${ci} | ${v.runs.candidate} | ${((m?.elapsedMs ?? 0) / 1000).toFixed(1)} s |`,
    );
  }
  for (const sc of report.suiteChanges ?? [])
    console.log(
      `\nsuite (${sc.metric}, geometric mean over ${sc.cells}): ${pct(sc.ratio)} [${sc.interval.map(pct).join(', ')}]`,
    );
  console.log(
    `\nexit ${cli.status}, headline ${report.headline}, whole run ${secs.toFixed(1)} s; expected: ${s.expect}\n`,
  );
}

const ws = mkdtempSync(join(tmpdir(), 'runtime-ab-'));
// artifacts live in the workspace (the action refuses one outside it)
mkdirSync(join(ws, 'build'));
copyFileSync(FIB, join(ws, 'build/fib.wasm'));
copyFileSync(NBODY, join(ws, 'build/nbody.wasm'));
const scenarios: Scenario[] = [];
const wasmtime = realExe('wasmtime');
if (wasmtime) {
  const copy = join(ws, 'copy/wasmtime');
  mkdirSync(join(ws, 'copy'));
  copyFileSync(wasmtime, copy);
  chmodSync(copy, 0o755);
  const winch = join(ws, 'winch/wasmtime');
  mkdirSync(join(ws, 'winch'));
  writeFileSync(
    winch,
    `#!/bin/sh\nif [ "$1" = run ]; then shift; exec '${wasmtime}' run -C compiler=winch "$@"; fi\nexec '${wasmtime}' "$@"\n`,
  );
  chmodSync(winch, 0o755);
  const compute = { fib: ['build/fib.wasm', '34'], nbody: ['build/nbody.wasm', '1000000'] } as Record<
    string,
    [string, string]
  >;
  scenarios.push(
    {
      name: 'A/A: wasmtime and a byte-identical copy',
      runtime: `{ name: wasmtime, path: '${wasmtime}', baseline-path: '${copy}' }`,
      programs: compute,
      expect: 'no change called',
    },
    {
      name: 'wasmtime: Winch (PR) vs Cranelift (main)',
      runtime: `{ name: wasmtime, path: '${winch}', baseline-path: '${wasmtime}' }`,
      programs: compute,
      expect: 'regressed on compute programs',
    },
  );
}
const wasmi = realExe('wasmi');
const wasmiOld = realExe('wasmi_old' as OlderName);
if (wasmi && wasmiOld)
  scenarios.push({
    name: 'wasmi 2.0.0 (PR) vs wasmi 0.32.3 (baseline)',
    runtime: `{ name: wasmi, path: '${wasmi}', baseline-path: '${wasmiOld}' }`,
    programs: { fib: ['build/fib.wasm', '28'], nbody: ['build/nbody.wasm', '200000'] },
    expect: 'the direction of the study (register engine line; 2.0 at least as fast)',
  });
for (const missing of (['wasmtime', 'wasmi'] as RealName[]).filter((n) => !realExe(n)))
  console.log(`(${missing} not installed: run scripts/install-real-runtimes.sh)`);
if (!wasmiOld) console.log('(wasmi 0.32.3 not installed: run scripts/install-real-runtimes.sh wasmi_old)');
for (const s of scenarios) run(s, ws);
rmSync(ws, { recursive: true, force: true });
