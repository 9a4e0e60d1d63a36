import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync, mkdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as cache from '@actions/cache';
import { startCacheServer, useCacheServer, type CacheServer } from './helpers/cache-server.js';
import { sampleDoc } from './helpers/baseline-fixture.js';
import { restoreBaselineFromCache, saveBaselineToCache, CACHE_UNAVAILABLE } from '../src/baseline/cache-store.js';
import { BASELINE_CACHE_PATH, cacheKeyStem, legacyBaselineCachePath } from '../src/baseline/cache-key.js';

let server: CacheServer;
let undoEnv: () => void;
let runnerTemp: string;
let workspace: string;
const stem = cacheKeyStem('wpg-test');

before(async () => {
  server = await startCacheServer();
  runnerTemp = mkdtempSync(join(tmpdir(), 'wpg-cache-test-'));
  workspace = mkdtempSync(join(tmpdir(), 'wpg-cache-ws-'));
  undoEnv = useCacheServer(server, runnerTemp, workspace);
});

after(async () => {
  undoEnv();
  await server.stop();
  rmSync(runnerTemp, { recursive: true, force: true });
  rmSync(workspace, { recursive: true, force: true });
});

/** Runs the library in the workspace, where it roots the relative baseline path. */
async function inWorkspace<T>(fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  process.chdir(workspace);
  try {
    return await fn();
  } finally {
    process.chdir(before);
  }
}

/** Saves `text` as a cache entry the way the store does (relative path in the workspace). */
async function saveRaw(text: string, key: string): Promise<number> {
  const file = join(workspace, BASELINE_CACHE_PATH);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  try {
    return await inWorkspace(() => cache.saveCache([BASELINE_CACHE_PATH], key));
  } finally {
    rmSync(dirname(file), { recursive: true, force: true });
  }
}

test('restore before any save: no doc, a note, no warning', async () => {
  const r = await restoreBaselineFromCache('wpg-test');
  assert.equal(r.doc, undefined);
  assert.equal(r.warning, undefined);
  assert.match(r.note ?? '', /no baseline in the Actions cache under wpg-test-/);
  assert.equal(r.source.kind, 'actions-cache');
  assert.ok(server.requests.some((q) => q.route === 'lookup' && q.status === 204));
});

test('save then restore returns the saved document under a run-unique key', async () => {
  const doc = sampleDoc({ runId: '101' });
  const saved = await saveBaselineToCache('wpg-test', doc, '101', { runAttempt: '1' });
  assert.equal(saved.warning, undefined);
  assert.equal(saved.key, `${stem}101-1`);
  // the library went through reserve → chunked PATCH upload → commit, with the runtime token
  const routes = server.requests.map((q) => q.route);
  assert.ok(routes.includes('reserve') && routes.includes('upload') && routes.includes('commit'));
  assert.ok(
    server.requests.filter((q) => q.route !== 'download').every((q) => q.authorization === 'Bearer test-token'),
  );

  const restored = await restoreBaselineFromCache('wpg-test');
  assert.equal(restored.warning, undefined);
  assert.equal(restored.key, `${stem}101-1`);
  assert.deepEqual(restored.doc, doc);
  assert.equal(restored.source.location, `${stem}101-1`);
});

test('a second refresh gets a fresh key; restore returns the newer, the older stays readable by exact key', async () => {
  const newer = sampleDoc({ runId: '102', samples: [20, 21, 22] });
  const saved = await saveBaselineToCache('wpg-test', newer, '102', { runAttempt: '1' });
  assert.equal(saved.key, `${stem}102-1`);

  const restored = await restoreBaselineFromCache('wpg-test');
  assert.equal(restored.key, `${stem}102-1`);
  assert.deepEqual(restored.doc, newer);

  const exact = await inWorkspace(() => cache.restoreCache([BASELINE_CACHE_PATH], `${stem}101-1`));
  assert.equal(exact, `${stem}101-1`);
  assert.equal(JSON.parse(readFileSync(join(workspace, BASELINE_CACHE_PATH), 'utf8')).runId, '101');
  rmSync(join(workspace, dirname(BASELINE_CACHE_PATH)), { recursive: true, force: true });
});

test('saving the same key twice is refused (immutable entries): warning, the first entry intact', async () => {
  const again = await saveBaselineToCache('wpg-test', sampleDoc({ runId: 'other' }), '102', { runAttempt: '1' });
  assert.equal(again.key, undefined);
  assert.match(
    again.warning ?? '',
    /not saved to the Actions cache under wpg-test-.*102-1 \(Failed to save: Unable to reserve cache .*Cache already exists.*previous baseline stays/,
  );
  assert.ok(server.requests.some((q) => q.route === 'reserve' && q.status === 409));
  const restored = await restoreBaselineFromCache('wpg-test');
  assert.equal(restored.doc?.runId, '102');
});

for (const route of ['upload', 'commit'] as const) {
  test(`a save whose ${route} fails is reported and leaves the previous baseline restorable`, async () => {
    server.failNext(route, 500);
    const runId = route === 'upload' ? '103' : '203';
    const failed = await saveBaselineToCache('wpg-test', sampleDoc({ runId }), runId);
    assert.equal(failed.key, undefined);
    assert.match(
      failed.warning ?? '',
      new RegExp(`not saved .*${runId}-1 \\(Failed to save: .*500.*previous baseline stays in place`),
    );
    assert.equal(server.entries().find((e) => e.key === `${stem}${runId}-1`)?.committed, false);
    const restored = await restoreBaselineFromCache('wpg-test');
    assert.equal(restored.key, `${stem}102-1`);
    assert.equal(restored.doc?.runId, '102');
  });
}

test('a corrupt cached document is a warning and no doc', async () => {
  assert.ok((await saveRaw('{"schema":"wasm-perf-gate/baseline","version":1,"entries":', `${stem}104-1`)) > 0);
  const r = await restoreBaselineFromCache('wpg-test');
  assert.equal(r.doc, undefined);
  assert.equal(r.key, `${stem}104-1`);
  assert.match(
    r.warning ?? '',
    /baseline in Actions cache entry wpg-test-.*104-1 is not valid JSON.*refresh the baseline/,
  );
});

test('a baseline from a newer action version is reported, not used', async () => {
  assert.ok((await saveRaw(JSON.stringify({ ...sampleDoc(), version: 7 }), `${stem}105-1`)) > 0);
  const r = await restoreBaselineFromCache('wpg-test');
  assert.equal(r.doc, undefined);
  assert.match(r.warning ?? '', /schema version 7, this action reads 2/);
});

// The service answers 500, a status @actions/cache does not retry (a refused connection costs ~10 s of backoff).
test('cache service down: restore warns and returns no doc, never throws', async () => {
  server.failNext('lookup', 500, 1000);
  try {
    const r = await restoreBaselineFromCache('wpg-test');
    assert.equal(r.doc, undefined);
    assert.match(
      r.warning ?? '',
      /could not restore the baseline from the Actions cache \(Failed to restore: .*responded with 500/,
    );
  } finally {
    server.failNext('lookup', 500, 0);
  }
  // back up: nothing was lost
  const r = await restoreBaselineFromCache('wpg-test');
  assert.equal(r.key, `${stem}105-1`);
});

test('cache service failing on reserve: save warns, never throws', async () => {
  server.failNext('reserve', 500);
  const s = await saveBaselineToCache('wpg-test', sampleDoc({ runId: '106' }), '106');
  assert.equal(s.key, undefined);
  assert.match(s.warning ?? '', /not saved .*106-1 \(Failed to save: reserveCache failed: .*500/);
});

test('service answering 500 on lookup: a warning, no doc, no throw', async () => {
  server.failNext('lookup', 500);
  const r = await restoreBaselineFromCache('wpg-test');
  assert.equal(r.doc, undefined);
  assert.match(r.warning ?? '', /could not restore.*500/);
});

test('a prefix with a comma is a clear warning, not a throw', async () => {
  const r = await restoreBaselineFromCache('a,b');
  assert.match(r.warning ?? '', /contains a comma/);
  const s = await saveBaselineToCache('a,b', sampleDoc(), '1');
  assert.match(s.warning ?? '', /contains a comma/);
});

test('not on a runner: both operations say to use baseline-path', async () => {
  const url = process.env['ACTIONS_CACHE_URL'];
  delete process.env['ACTIONS_CACHE_URL'];
  try {
    assert.equal((await restoreBaselineFromCache('wpg-test')).warning, CACHE_UNAVAILABLE);
    assert.equal((await saveBaselineToCache('wpg-test', sampleDoc(), '1')).warning, CACHE_UNAVAILABLE);
  } finally {
    process.env['ACTIONS_CACHE_URL'] = url;
  }
});

test('two runners with different RUNNER_TEMP and workspace folders share the baseline', async () => {
  const prefix = 'wpg-two-runners';
  const runner = (name: string) => ({
    RUNNER_TEMP: mkdtempSync(join(tmpdir(), `wpg-${name}-temp-`)),
    GITHUB_WORKSPACE: mkdtempSync(join(tmpdir(), `wpg-${name}-ws-`)),
  });
  const [a, b] = [runner('a'), runner('b')];
  const use = (r: typeof a) => useCacheServer(server, r.RUNNER_TEMP, r.GITHUB_WORKSPACE);
  try {
    const doc = sampleDoc({ runId: '301' });
    let undo = use(a);
    const saved = await saveBaselineToCache(prefix, doc, '301', { runAttempt: '1' });
    undo();
    assert.equal(saved.warning, undefined);
    undo = use(b);
    const restored = await restoreBaselineFromCache(prefix);
    undo();
    assert.equal(restored.warning, undefined, restored.warning);
    assert.equal(restored.key, `${cacheKeyStem(prefix)}301-1`, restored.note);
    assert.deepEqual(restored.doc, doc);
    for (const r of [a, b]) assert.deepEqual(readdirSync(r.GITHUB_WORKSPACE), [], 'the checkout is left as it was');
  } finally {
    useCacheServer(server, runnerTemp, workspace);
    for (const r of [a, b]) for (const d of Object.values(r)) rmSync(d, { recursive: true, force: true });
  }
});

test('an entry saved by the old version (path under RUNNER_TEMP) is still read, with a note', async () => {
  const prefix = 'wpg-legacy';
  const legacy = legacyBaselineCachePath();
  mkdirSync(dirname(legacy), { recursive: true });
  const doc = sampleDoc({ runId: '401' });
  writeFileSync(legacy, JSON.stringify(doc));
  assert.ok((await cache.saveCache([legacy], `${cacheKeyStem(prefix)}401-1`)) > 0);
  rmSync(legacy);
  const restored = await restoreBaselineFromCache(prefix);
  assert.equal(restored.warning, undefined, restored.warning);
  assert.deepEqual(restored.doc, doc);
  assert.match(restored.note ?? '', /saved by an older version/);
  // a refresh then saves under the new path, which wins from then on
  const newer = sampleDoc({ runId: '402' });
  assert.equal((await saveBaselineToCache(prefix, newer, '402', { runAttempt: '1' })).warning, undefined);
  assert.equal((await restoreBaselineFromCache(prefix)).doc?.runId, '402');
});
