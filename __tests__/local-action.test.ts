// `npm run local-action` for real: @github/local-action's CLI runs src/main.ts with its stand-ins for
// @actions/core and @actions/cache, on the file-baseline path and on the Actions-cache path (its cache
// stand-in keeps caches as files: no server, no network). A push-like run saves, a PR with 40× the work regresses.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { scratchDir } from './helpers/run-action.js';

const FAST = 'examples/wasm/fibonacci.wasm';
const SLOW = '__tests__/fixtures/e2e/fibonacci-x40.wasm'; // the same program doing 40× the work (≥2× wall on node 20 and 24)
const CLI = resolve('node_modules/@github/local-action/bin/local-action.js');
const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts['local-action'];

interface LocalRun {
  code: number;
  out: string;
  outputs: Record<string, string>;
}

/** A workspace with build/fibonacci.wasm and a cache folder beside it. */
function workspace(): { ws: string; cache: string } {
  const root = scratchDir('local-action-');
  const ws = join(root, 'ws');
  mkdirSync(join(ws, 'build'), { recursive: true });
  mkdirSync(join(root, 'cache'));
  copyFileSync(FAST, join(ws, 'build/fibonacci.wasm'));
  return { ws, cache: join(root, 'cache') };
}

/** Runs `local-action run . src/main.ts FILE` from the repository with a .env written for this run. */
async function localAction(ws: string, cache: string, vars: Record<string, string>): Promise<LocalRun> {
  const env: Record<string, string> = {
    LOCAL_ACTION_WORKSPACE: ws,
    LOCAL_ACTION_CACHE_PATH: cache,
    GITHUB_WORKSPACE: ws,
    RUNNER_TEMP: join(ws, '..', 'runner-temp'),
    GITHUB_STEP_SUMMARY: join(ws, '..', 'summary.md'),
    GITHUB_RUN_ID: String(1000 + Math.floor(Math.random() * 1e6)),
    INPUT_ARTIFACTS: 'build/*.wasm',
    'INPUT_MIN-RUNS': '3',
    'INPUT_MAX-RUNS': '10',
    INPUT_COMMENT: 'false',
    'INPUT_CHECK-RUN': 'false',
    INPUT_ALPHA: '0.001', // the unchanged cells must not alarm by design on a busy CI (see gateInputs)
    ...vars,
  };
  const envFile = join(ws, '..', `env-${vars['INPUT_MODE']}`);
  writeFileSync(
    envFile,
    Object.entries(env)
      .map(([k, v]) => `${k}=${v}\n`)
      .join(''),
  );
  // Only what a developer's shell has: no GITHUB_* or ACTIONS_* of the process running the tests.
  const child = spawn(process.execPath, [CLI, 'run', '.', 'src/main.ts', envFile], {
    env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '', NO_COLOR: '1' },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  const outputs = Object.fromEntries(
    [...out.matchAll(/^::set-output name=([^:]+)::(.*)$/gm)].map((m) => [m[1]!, m[2]!]),
  );
  return { code, out, outputs };
}

/** The run's verdict, outputs and last lines, for a failure message. */
const why = (r: LocalRun) => `exit ${r.code}; outputs ${JSON.stringify(r.outputs)}\n${r.out.slice(-2500)}`;

test('npm run local-action runs src/main.ts with the .env file', () => {
  assert.match(script, /\blocal-action \. src\/main\.ts \.env$/);
  assert.match(readFileSync('.env.example', 'utf8'), /^INPUT_CONFIG=examples\/wasm-perf-gate\.yml$/m);
});

// The two paths run at once: each gap is 40×, far beyond what a busy runner can blur.
describe('@github/local-action', { concurrency: true }, () => {
  test('file baseline: a baseline run saves the file, a PR doing 40× the work regresses and leaves it as it was', async () => {
    const { ws, cache } = workspace();
    const file = { 'INPUT_BASELINE-PATH': 'perf/baseline.json' };
    const saved = await localAction(ws, cache, { ...file, INPUT_MODE: 'baseline' });
    assert.equal(saved.outputs['verdict'], 'baseline-saved', why(saved));
    const stored = readFileSync(join(ws, 'perf/baseline.json'), 'utf8');
    assert.match(stored, /"benchmark": ?"build\/fibonacci"/);

    copyFileSync(SLOW, join(ws, 'build/fibonacci.wasm'));
    const pr = await localAction(ws, cache, { ...file, INPUT_MODE: 'compare', 'INPUT_SIDE-BY-SIDE': 'false' });
    assert.equal(pr.outputs['verdict'], 'regressed', why(pr));
    assert.equal(pr.outputs['regressions'], '1', why(pr));
    assert.match(pr.outputs['regressed-cells'] ?? '', /"benchmark":"build\/fibonacci"/, why(pr));
    // One refresh of history: the stored-mode verdict of a clear regression is likely-regressed (p withheld), still an error.
    assert.match(pr.out, /::error::wasm-perf-gate: build\/fibonacci on node\S* \(wall\) (likely-)?regressed/, why(pr));
    assert.equal(
      readFileSync(join(ws, 'perf/baseline.json'), 'utf8'),
      stored,
      'a compare run never rewrites the baseline',
    );
  });

  test('Actions cache: the stand-in stores the baseline as a cache file, the PR run restores it and regresses', async () => {
    const { ws, cache } = workspace();
    const saved = await localAction(ws, cache, { INPUT_MODE: 'baseline' });
    assert.equal(saved.outputs['verdict'], 'baseline-saved', why(saved));
    const files = readdirSync(cache);
    assert.equal(files.length, 1, `one cache file, got ${files.join(', ')}\n${why(saved)}`);
    assert.match(files[0]!, /^wasm-perf-gate-baseline-\w+-\w+-\d+-1-[0-9a-f]{64}\.cache$/);

    copyFileSync(SLOW, join(ws, 'build/fibonacci.wasm'));
    const pr = await localAction(ws, cache, { INPUT_MODE: 'compare', 'INPUT_SIDE-BY-SIDE': 'false' });
    assert.match(pr.out, /Cache restored successfully/, why(pr));
    assert.equal(pr.outputs['verdict'], 'regressed', why(pr));
    assert.equal(pr.outputs['regressions'], '1', why(pr));
    assert.ok(existsSync(pr.outputs['report-json'] ?? ''), `report-json ${pr.outputs['report-json']}`);
  });
});
