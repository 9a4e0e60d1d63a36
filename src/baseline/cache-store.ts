// The baseline in the GitHub Actions cache, through @actions/cache. Caching is best effort:
// an outage, a refused key or a corrupt entry becomes a warning and the run goes on.
import * as cache from '@actions/cache';
import { readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { cacheFeatureAvailable } from '../model/cache-available.js';
import { withTimeLimit } from '../process/time-limit.js';
import { BASELINE_CACHE_PATH, baselineCacheKey, cacheKeyStem, legacyBaselineCachePath } from './cache-key.js';
import { cachePrefixProblem } from '../config/cache-prefix.js';
import { saveBaselineFile } from './file-store.js';
import type { Platform } from './platform.js';
import { withCacheFailures } from './library-log.js';
import { oneLine } from './one-line.js';
import { parseBaseline } from './schema.js';
import type { BaselineDoc, BaselineLoad, BaselineSource } from './types.js';

/** The `cache-timeout` default: @actions/cache itself waits 3 minutes per request, twice, before it gives up. */
export const DEFAULT_CACHE_TIMEOUT_MS = 60_000;

/** `work`, or a rejection once `ms` have passed (the library's request is left to its own socket timeout). */
function withinTime<T>(work: Promise<T>, ms: number): Promise<T> {
  return withTimeLimit(
    ms,
    () => work,
    () => new Error(`the cache service did not answer within ${ms / 1000} s (cache-timeout)`),
  );
}

export const CACHE_UNAVAILABLE = 'Actions cache not available (not running on a GitHub runner): use baseline-path';

export interface CacheRestore extends BaselineLoad {
  /** the key of the entry that was restored */
  key?: string;
}

/**
 * Restores the newest baseline saved under `prefix` (for this platform and arch). Never throws.
 * `env` supplies RUNNER_TEMP for the on-disk path (the library itself reads process.env).
 */
export async function restoreBaselineFromCache(
  prefix: string,
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = DEFAULT_CACHE_TIMEOUT_MS,
): Promise<CacheRestore> {
  const stem = cacheKeyStem(prefix);
  const source: BaselineSource = { kind: 'actions-cache', location: stem };
  const unusable = unusableReason(prefix);
  if (unusable) return { warning: unusable, source };
  const found = await restoreNewest(BASELINE_CACHE_PATH, stem, env, timeoutMs);
  if (found.failure) return failed(found.failure);
  if (found.key) return { ...(await readRestored(found.file!, found.key, env)), key: found.key };
  // Entries saved before the path left RUNNER_TEMP: readable on a runner with the same RUNNER_TEMP.
  const legacy = await restoreNewest(legacyBaselineCachePath(env), stem, env, timeoutMs);
  if (legacy.key) {
    const load = await readRestored(legacy.file!, legacy.key, env);
    return {
      ...load,
      key: legacy.key,
      note: `read ${legacy.key}, saved by an older version; the next refresh saves it runner-independently`,
    };
  }
  return {
    note: `no baseline in the Actions cache under ${stem}* yet (none saved from the default branch, or evicted after 7 days unused)`,
    source,
  };

  function failed(why: string): CacheRestore {
    return { warning: `could not restore the baseline from the Actions cache (${why}); going on without one`, source };
  }
}

/** The library resolves relative paths against GITHUB_WORKSPACE (tar) and the cwd (glob): both must agree. */
function workspaceOf(env: NodeJS.ProcessEnv): string {
  return env['GITHUB_WORKSPACE'] || process.cwd();
}

async function inWorkspace<T>(env: NodeJS.ProcessEnv, fn: () => Promise<T>): Promise<T> {
  const before = process.cwd();
  const workspace = workspaceOf(env);
  if (workspace !== before) process.chdir(workspace);
  try {
    return await fn();
  } finally {
    if (workspace !== before) process.chdir(before);
  }
}

/** Where `path` (relative to the workspace, or absolute) is on disk. */
function onDisk(path: string, env: NodeJS.ProcessEnv): string {
  return path === BASELINE_CACHE_PATH ? join(workspaceOf(env), path) : path;
}

/** The key restored for `path`, nothing on a plain miss, or why the service failed. */
async function restoreNewest(
  path: string,
  stem: string,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<{ key?: string; file?: string; failure?: string }> {
  const file = onDisk(path, env);
  try {
    // A file left by an earlier step must not pass for a restored one.
    await rm(file, { force: true });
    // The stem as primary key and restore key: no entry has exactly that key, so the service
    // falls through to prefix matching and returns the most recently created entry.
    const { result: key, failures } = await inWorkspace(env, () =>
      withCacheFailures(() => withinTime(cache.restoreCache([path], stem, [stem]), timeoutMs)),
    );
    if (key) return { key, file };
    return failures.length > 0 ? { failure: failures.map(oneLine).join('; ') } : {};
  } catch (e) {
    return { failure: oneLine(e) };
  }
}

async function readRestored(file: string, key: string, env: NodeJS.ProcessEnv): Promise<BaselineLoad> {
  const source: BaselineSource = { kind: 'actions-cache', location: key };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return {
      warning: `Actions cache entry ${key} was restored but ${file} cannot be read (${oneLine(e)}): refresh the baseline`,
      source,
    };
  } finally {
    await removeFromWorkspace(file, env);
  }
  const { doc, problem } = parseBaseline(text, `baseline in Actions cache entry ${key}`);
  return problem ? { warning: problem, source } : { doc: doc!, source };
}

/** The workspace copy is only a vehicle for the library: leave the checkout as it was. */
async function removeFromWorkspace(file: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (file === onDisk(BASELINE_CACHE_PATH, env)) await rm(dirname(file), { recursive: true, force: true });
}

export interface CacheSaveOptions {
  /** GITHUB_RUN_ATTEMPT by default */
  runAttempt?: string;
  /** whose baseline this is: the runner's own by default (a report job saves the shards' platform) */
  platform?: Platform;
  now?: Date;
  env?: NodeJS.ProcessEnv;
  /** time limit of each cache operation (the save, then the lookup that confirms it) */
  timeoutMs?: number;
}

/**
 * Saves `doc` under a new unique key (entries are immutable). Never throws: a failure is a
 * warning, and whatever was saved before stays restorable.
 */
export async function saveBaselineToCache(
  prefix: string,
  doc: BaselineDoc,
  runId?: string,
  options: CacheSaveOptions = {},
): Promise<{ key?: string; warning?: string }> {
  const unusable = unusableReason(prefix);
  if (unusable) return { warning: unusable };
  const env = options.env ?? process.env;
  const timeoutMs = options.timeoutMs ?? DEFAULT_CACHE_TIMEOUT_MS;
  const key = baselineCacheKey(cacheKeyStem(prefix, options.platform), {
    runId,
    runAttempt: options.runAttempt ?? env['GITHUB_RUN_ATTEMPT'],
    now: options.now ?? new Date(),
  });
  const notSaved = (why: string) => ({
    warning: `the baseline was not saved to the Actions cache under ${key} (${why}); the previous baseline stays in place`,
  });
  const file = onDisk(BASELINE_CACHE_PATH, env);
  try {
    await saveBaselineFile(file, doc);
    const { result: id, failures } = await inWorkspace(env, () =>
      withCacheFailures(() => withinTime(cache.saveCache([BASELINE_CACHE_PATH], key), timeoutMs)),
    );
    const why = failures.map(oneLine).join('; ') || 'the cache service refused it';
    if (id === -1) return notSaved(why);
    // With the v1 protocol the library returns the reserved id even when the upload or the
    // commit then failed, so only a lookup of the exact key proves the entry exists.
    if (!(await isCommitted(key, env, timeoutMs)))
      return notSaved(failures.length ? why : 'the cache service did not confirm the entry');
  } catch (e) {
    return notSaved(oneLine(e));
  } finally {
    await removeFromWorkspace(file, env);
  }
  return { key };
}

async function isCommitted(key: string, env: NodeJS.ProcessEnv, timeoutMs: number): Promise<boolean> {
  const lookup = () => withinTime(cache.restoreCache([BASELINE_CACHE_PATH], key, [], { lookupOnly: true }), timeoutMs);
  const found = await inWorkspace(env, lookup);
  return found === key;
}

function unusableReason(prefix: string): string | undefined {
  if (!cacheFeatureAvailable(cache)) return CACHE_UNAVAILABLE;
  const bad = cachePrefixProblem(prefix);
  return bad && `baseline-key: ${bad.problem}. ${bad.fix}`;
}
