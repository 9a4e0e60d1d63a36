import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAbsolute } from 'node:path';
import {
  BASELINE_CACHE_PATH,
  baselineCacheKey,
  cacheKeyStem,
  legacyBaselineCachePath,
} from '../src/baseline/cache-key.js';
import { cachePrefixProblem } from '../src/config/cache-prefix.js';
import { cacheFailures } from '../src/baseline/library-log.js';
import { runnerPlatform, safePlatformLabel } from '../src/baseline/platform.js';

test('the stem carries platform and arch, with one dash after the prefix however it ends', () => {
  assert.equal(
    cacheKeyStem('wasm-perf-gate-baseline', { os: 'linux', arch: 'x64' }),
    'wasm-perf-gate-baseline-linux-x64-',
  );
  assert.equal(cacheKeyStem('bench-', { os: 'linux', arch: 'x64' }), 'bench-linux-x64-');
});

test('a baseline of one arch is never a prefix match for another', () => {
  const arm = cacheKeyStem('p', { os: 'linux', arch: 'arm64' });
  const x64Key = baselineCacheKey(cacheKeyStem('p', { os: 'linux', arch: 'x64' }), {
    runId: '9',
    runAttempt: '1',
    now: new Date(0),
  });
  assert.equal(x64Key.startsWith(arm), false);
  assert.equal(x64Key.startsWith(cacheKeyStem('p', { os: 'linux', arch: 'x64' })), true);
});

test('keys are unique per run attempt, or per instant without a run id', () => {
  const stem = 's-';
  const now = new Date(1_700_000_000_000);
  assert.equal(baselineCacheKey(stem, { runId: '42', runAttempt: '2', now }), 's-42-2');
  assert.equal(baselineCacheKey(stem, { runId: '42', now }), 's-42-1');
  assert.notEqual(
    baselineCacheKey(stem, { runId: '42', runAttempt: '1', now }),
    baselineCacheKey(stem, { runId: '42', runAttempt: '2', now }),
  );
  assert.equal(baselineCacheKey(stem, { now }), 's-local-1700000000000');
});

test('prefixes the cache would reject are explained', () => {
  assert.equal(cachePrefixProblem('wasm-perf-gate-baseline'), undefined);
  assert.match(cachePrefixProblem('a,b')?.problem ?? '', /comma/);
  assert.match(cachePrefixProblem('  ')?.problem ?? '', /empty/);
  assert.match(cachePrefixProblem('x'.repeat(401))?.problem ?? '', /401 characters/);
});

test('the cache path names no runner folder (the cache version hashes it); the legacy one was under RUNNER_TEMP', () => {
  assert.ok(!isAbsolute(BASELINE_CACHE_PATH) && !BASELINE_CACHE_PATH.includes('..'), BASELINE_CACHE_PATH);
  assert.equal(
    legacyBaselineCachePath({ RUNNER_TEMP: '/runner/_temp' }),
    '/runner/_temp/wasm-perf-gate-baseline/baseline.json',
  );
  assert.match(legacyBaselineCachePath({}), /wasm-perf-gate-baseline[/\\]baseline\.json$/);
});

test('library failure lines are picked out of log output, escapes undone', () => {
  const log = [
    '::debug::Resource Url: x',
    '::warning::Failed to restore: getCacheEntry failed: 100%25 down%0Asecond line',
    'Failed to save: Unable to reserve cache with key k',
    'Cache restored successfully',
    '::error::Failed to save: boom',
  ].join('\n');
  assert.deepEqual(cacheFailures(log), [
    'Failed to restore: getCacheEntry failed: 100% down\nsecond line',
    'Failed to save: Unable to reserve cache with key k',
    'Failed to save: boom',
  ]);
});

test("the platform is the runner's (RUNNER_OS / RUNNER_ARCH) in Node's names, else this process's", () => {
  assert.deepEqual(runnerPlatform({ RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64' }), { os: 'darwin', arch: 'arm64' });
  assert.deepEqual(runnerPlatform({ RUNNER_OS: 'Windows', RUNNER_ARCH: 'X64' }), { os: 'win32', arch: 'x64' });
  assert.deepEqual(runnerPlatform({}), { os: process.platform, arch: process.arch });
  assert.equal(cacheKeyStem('p', runnerPlatform({ RUNNER_OS: 'Linux', RUNNER_ARCH: 'ARM64' })), 'p-linux-arm64-');
  assert.equal(safePlatformLabel({ os: 'linux', arch: 'x64' }), 'linux-x64');
  assert.equal(safePlatformLabel({ os: 'linux/../x', arch: 'x64' }), undefined);
});
