// The bundled action keeping its baseline in the Actions cache: the real @actions/cache talks the
// v1 cache protocol (ACTIONS_CACHE_URL, as on GHES runners) to a local server on 127.0.0.1.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startCacheServer, type CacheServer } from './helpers/cache-server.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir, type ActionRunInput } from './helpers/run-action.js';

describe('baseline in the Actions cache', () => {
  let cache: CacheServer;
  let ws: string;
  let runnerTemp: string;
  before(async () => {
    cache = await startCacheServer();
    ws = scratchDir('ws-');
    runnerTemp = scratchDir('runner-temp-');
    mkdirSync(join(ws, 'build'));
    copyFileSync('examples/wasm/add-one.wasm', join(ws, 'build/add-one.wasm'));
  });
  after(() => cache.stop());

  // Hosted runners keep RUNNER_TEMP at one path; the cache version hashes the path list, so every run here does too.
  const run = (eventName: string, payload: object, extra: ActionRunInput['env'] = {}) =>
    runAction({
      workspace: ws,
      // alpha 0.001: these A/A PR runs must not alarm by design on a busy CI (see gateInputs)
      inputs: { artifacts: 'build/*.wasm', 'min-runs': '5', 'max-runs': '10', comment: 'false', alpha: '0.001' },
      eventName,
      payload,
      env: { ACTIONS_CACHE_URL: cache.url, ACTIONS_RUNTIME_TOKEN: 'test-token', RUNNER_TEMP: runnerTemp, ...extra },
    });

  test('a push run saves the baseline under a unique key', async () => {
    const r = await run('push', pushPayload(), { GITHUB_RUN_ID: '101' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved');
    assert.deepEqual(
      cache.entries().map((e) => e.key),
      ['wasm-perf-gate-baseline-linux-x64-101-1'],
    );
  });

  test('a PR run restores the newest baseline by prefix and compares against it', async () => {
    const r = await run('pull_request', pullRequestPayload());
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'pass');
    assert.match(r.summary, /wasm-perf-gate-baseline-linux-x64-101-1/);
    assert.ok(cache.requests.some((q) => q.route === 'download'));
  });

  test('a second refresh saves under a fresh key; the PR restores the newer one; the first stays', async () => {
    const r = await run('schedule', { schedule: '0 3 * * *' }, { GITHUB_RUN_ID: '102' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    const keys = cache.entries().map((e) => e.key);
    assert.deepEqual(keys, ['wasm-perf-gate-baseline-linux-x64-101-1', 'wasm-perf-gate-baseline-linux-x64-102-1']);
    assert.ok(
      cache.entries().every((e) => e.committed && (e.size ?? 0) > 0),
      'both entries stay committed with their archives',
    );
    const pr = await run('pull_request', pullRequestPayload());
    assert.equal(pr.outputs['verdict'], 'pass');
    assert.match(pr.summary, /wasm-perf-gate-baseline-linux-x64-102-1/);
  });

  // 500: a status @actions/cache does not retry (a refused connection spends ~10 s in backoff).
  test('the cache service down: a warning and no-baseline, never a crash', async () => {
    cache.failNext('lookup', 500, 1000);
    try {
      const r = await run('pull_request', pullRequestPayload());
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.outputs['verdict'], 'no-baseline');
      assert.match(r.stdout, /::warning::/);
    } finally {
      cache.failNext('lookup', 500, 0);
    }
  });
});
