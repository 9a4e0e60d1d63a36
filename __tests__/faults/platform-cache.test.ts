// Fault catalogue, Actions cache and merge-base builds: the bundled action with the real @actions/cache
// against the local cache service (slow, failing with statuses it does not retry), two runners with
// different folders, and a baseline-artifacts build that is missing or broken.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startCacheServer, type CacheServer } from '../helpers/cache-server.js';
import {
  ADD_ONE,
  assertBaselineKept,
  assertSummary,
  assertWarning,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  PUSH,
  runFault,
  TRAP,
} from '../helpers/fault-case.js';
import { scratchDir } from '../helpers/run-action.js';

const T = { timeout: 120_000 };
const CACHE_INPUTS = { ...FAST_INPUTS, 'baseline-path': '' };

describe('platform faults: the Actions cache', () => {
  let cache: CacheServer;
  before(async () => {
    cache = await startCacheServer();
  });
  after(() => cache.stop());

  /** A runner of its own: workspace and RUNNER_TEMP in folders no other runner uses. */
  const runner = () => {
    const ws = scratchDir('cache-ws-');
    mkdirSync(join(ws, 'build'));
    copyFileSync(ADD_ONE, join(ws, 'build/add-one.wasm'));
    return { ws, temp: scratchDir('cache-temp-') };
  };
  type Runner = ReturnType<typeof runner>;
  /** One run of the bundled action on `r` against the local cache service. */
  const cacheRun = (t: TestContext, r: Runner, event: typeof PR, extra: Record<string, string> = {}, inputs = {}) =>
    runFault(t, {
      workspace: r.ws,
      inputs: { ...CACHE_INPUTS, ...inputs },
      ...event,
      env: { ACTIONS_CACHE_URL: cache.url, ACTIONS_RUNTIME_TOKEN: 'test-token', RUNNER_TEMP: r.temp, ...extra },
      killAfterMs: 150_000, // far beyond cache-timeout: a step that waits on the library is killed, and fails here
    });

  test('two runners with different RUNNER_TEMP and work folders share the baseline', T, async (t) => {
    const a = runner();
    const b = runner();
    const saved = await cacheRun(t, a, PUSH, { GITHUB_RUN_ID: '501' });
    assert.equal(saved.code, 0, saved.stdout);
    assert.equal(saved.outputs['verdict'], 'baseline-saved');
    const r = await cacheRun(t, b, PR);
    assert.equal(r.code, 0, r.stdout);
    assert.notEqual(r.outputs['verdict'], 'no-baseline', r.stdout.slice(-1500));
    assertSummary(r, /wasm-perf-gate-baseline-linux-x64-501-1/);
    assert.deepEqual(readdirSync(b.ws).sort(), ['build'], 'the checkout is left as it was');
  });

  test('a lookup answered with 500 (not retried by the library): a warning and no-baseline', T, async (t) => {
    const c = runner();
    cache.failNext('lookup', 500);
    const r = await cacheRun(t, c, PR);
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.outputs['verdict'], 'no-baseline');
    assertWarning(r, /could not restore the baseline from the Actions cache/);
    assertSummary(r, /build\/add-one/);
  });

  test('a slow lookup (1.5 s) is waited for and the baseline restored', T, async (t) => {
    const c = runner();
    cache.delayNext('lookup', 1_500);
    const r = await cacheRun(t, c, PR);
    assert.equal(r.code, 0, r.stdout);
    assert.notEqual(r.outputs['verdict'], 'no-baseline', r.stdout.slice(-1500));
    assertSummary(r, /wasm-perf-gate-baseline-linux-x64-501-1/);
  });

  test('a cache service that accepts the lookup and never answers: a warning at cache-timeout', T, async (t) => {
    const c = runner();
    cache.delayNext('lookup', Infinity);
    const r = await cacheRun(t, c, PR, {}, { 'cache-timeout': '2s' });
    assert.equal(r.code, 0, `the step must finish by itself:\n${r.stdout.slice(-1500)}`);
    assert.equal(r.outputs['verdict'], 'no-baseline');
    assertWarning(
      r,
      /could not restore the baseline from the Actions cache \(.*did not answer within 2 s \(cache-timeout\)/,
    );
    assertSummary(r, /build\/add-one/);
  });

  test('a save the cache service never answers: a warning at cache-timeout, the previous entry stays', T, async (t) => {
    const c = runner();
    cache.delayNext('reserve', Infinity);
    const r = await cacheRun(t, c, PUSH, { GITHUB_RUN_ID: '503' }, { 'cache-timeout': '2s' });
    assert.equal(r.code, 0, `the step must finish by itself:\n${r.stdout.slice(-1500)}`);
    assertWarning(r, /not saved to the Actions cache.*cache-timeout.*previous baseline stays in place/);
    assertSummary(r);
    const committed = cache.entries().filter((e) => e.committed);
    assert.deepEqual(
      committed.map((e) => e.key),
      ['wasm-perf-gate-baseline-linux-x64-501-1'],
    );
  });

  test('a refresh whose reserve fails: a warning, and the previous entry is still the one restored', T, async (t) => {
    const c = runner();
    cache.failNext('reserve', 400);
    const r = await cacheRun(t, c, PUSH, { GITHUB_RUN_ID: '502' });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.outputs['verdict'], 'no-baseline');
    assertWarning(r, /not saved to the Actions cache.*previous baseline stays in place/);
    assertSummary(r);
    assert.deepEqual(
      cache
        .entries()
        .filter((e) => e.committed)
        .map((e) => e.key),
      ['wasm-perf-gate-baseline-linux-x64-501-1'],
    );
  });
});

describe('platform faults: a broken merge-base build (baseline-artifacts)', () => {
  const cases: [string, Record<string, string>, RegExp][] = [
    [
      'a base module that fails on this runner: a warning and no-baseline, never pass',
      { 'base/add-one.wasm': TRAP },
      /^::warning::baseline-artifacts: the merge-base build of build\/add-one failed.*Fix the merge-base build/,
    ],
    [
      'a base build that produced no files: a warning naming the patterns, no-baseline',
      {},
      /^::warning::baseline-artifacts: no \.wasm files matched base\/\*\.wasm/,
    ],
  ];
  for (const [name, files, warning] of cases) {
    test(name, T, async (t) => {
      const ws = await faultWorkspace(files);
      const inputs = { ...FAST_INPUTS, 'baseline-artifacts': 'base/*.wasm' };
      const r = await runFault(t, { workspace: ws, inputs, ...PR });
      assert.equal(r.code, 0, r.stdout);
      assert.equal(r.outputs['verdict'], 'no-baseline', `verdict ${r.outputs['verdict']}`);
      assertWarning(r, warning);
      assertSummary(r, /build\/add-one/);
      await assertBaselineKept(ws);
    });
  }
});
