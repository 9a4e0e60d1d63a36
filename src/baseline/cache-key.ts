// Keys and the path of the baseline in the Actions cache (pure). Entries are immutable, so
// every refresh saves under a new key and a restore asks for the newest key with the stem.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformLabel, runnerPlatform, type Platform } from './platform.js';

/** Longest key the cache accepts is 512; leave room for the platform and run suffix. */
const MAX_PREFIX = 400;

/**
 * `prefix-<platform>-<arch>-`: the part every refresh shares. Platform and arch are part of
 * it because the cache's version hash only separates Windows from the rest, and a Linux arm64
 * baseline must never be restored on x64.
 */
export function cacheKeyStem(prefix: string, platform: Platform = runnerPlatform()): string {
  return `${prefix.replace(/-+$/, '')}-${platformLabel(platform)}-`;
}

export interface RefreshId {
  /** GITHUB_RUN_ID; absent when running outside Actions */
  runId?: string;
  /** GITHUB_RUN_ATTEMPT: a re-run of the same run must not collide with the first attempt's key */
  runAttempt?: string;
  now: Date;
}

/** The unique key of one refresh: stem + `runId-attempt`, or `local-<epoch ms>` without a run id. */
export function baselineCacheKey(stem: string, id: RefreshId): string {
  const suffix = id.runId ? `${id.runId}-${id.runAttempt || '1'}` : `local-${id.now.getTime()}`;
  return stem + suffix;
}

/** Why `prefix` cannot be a cache key prefix and how to fix it, or undefined. */
export function cachePrefixProblem(prefix: string): { problem: string; fix: string } | undefined {
  if (prefix.trim() === '')
    return { problem: 'it is empty', fix: 'Set it to a cache key prefix such as `wasm-perf-gate-baseline`.' };
  if (prefix.includes(','))
    return { problem: `"${prefix}" contains a comma, which cache keys cannot`, fix: 'Remove the comma.' };
  if (prefix.length > MAX_PREFIX)
    return {
      problem: `it is ${prefix.length} characters long, at most ${MAX_PREFIX} fit in a cache key`,
      fix: 'Shorten it.',
    };
  return undefined;
}

/**
 * Where the cached baseline is written, relative to the workspace. The cache's version is a hash of the
 * path strings given to the library, so this one holds no runner folder: every runner finds every entry.
 */
export const BASELINE_CACHE_PATH = '.wasm-perf-gate-cache/baseline.json';

/**
 * The path entries saved before 0.2 used: its version hashes this runner's RUNNER_TEMP, so only a runner
 * with the same RUNNER_TEMP can read them. Still tried on restore so existing baselines carry over.
 */
export function legacyBaselineCachePath(env: NodeJS.ProcessEnv = process.env): string {
  return join(env['RUNNER_TEMP'] || tmpdir(), 'wasm-perf-gate-baseline', 'baseline.json');
}
