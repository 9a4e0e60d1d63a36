// Keys and the path of the baseline in the Actions cache (pure). Entries are immutable, so
// every refresh saves under a new key and a restore asks for the newest key with the stem.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { platformLabel, runnerPlatform, type Platform } from './platform.js';

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
