// The baseline in the GitHub Actions cache, through @actions/cache. Caching is best effort:
// an outage, a refused key or a corrupt entry becomes a warning and the run goes on.
import * as cache from '@actions/cache';
import { readFile, rm } from 'node:fs/promises';
import { cacheFeatureAvailable } from './cache-available.js';
import { baselineCacheKey, baselineCachePath, cacheKeyStem, cachePrefixProblem } from './cache-key.js';
import { saveBaselineFile } from './file-store.js';
import { withCacheFailures } from './library-log.js';
import { oneLine } from './one-line.js';
import { parseBaseline } from './schema.js';
import type { BaselineDoc, BaselineLoad, BaselineSource } from './types.js';

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
): Promise<CacheRestore> {
  const stem = cacheKeyStem(prefix);
  const source: BaselineSource = { kind: 'actions-cache', location: stem };
  const unusable = unusableReason(prefix);
  if (unusable) return { warning: unusable, source };
  const file = baselineCachePath(env);
  const found = await restoreNewest(file, stem);
  if (found.failure) {
    return {
      warning: `could not restore the baseline from the Actions cache (${found.failure}); going on without one`,
      source,
    };
  }
  if (!found.key) {
    return {
      note: `no baseline in the Actions cache under ${stem}* yet (none saved from the default branch, or evicted after 7 days unused)`,
      source,
    };
  }
  return { ...(await readRestored(file, found.key)), key: found.key };
}

/** The key restored to `file`, nothing on a plain miss, or why the service failed. */
async function restoreNewest(file: string, stem: string): Promise<{ key?: string; failure?: string }> {
  try {
    // A file left by an earlier step must not pass for a restored one.
    await rm(file, { force: true });
    // The stem as primary key and restore key: no entry has exactly that key, so the service
    // falls through to prefix matching and returns the most recently created entry.
    const { result: key, failures } = await withCacheFailures(() => cache.restoreCache([file], stem, [stem]));
    if (key) return { key };
    return failures.length > 0 ? { failure: failures.map(oneLine).join('; ') } : {};
  } catch (e) {
    return { failure: oneLine(e) };
  }
}

async function readRestored(file: string, key: string): Promise<BaselineLoad> {
  const source: BaselineSource = { kind: 'actions-cache', location: key };
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    return {
      warning: `Actions cache entry ${key} was restored but ${file} cannot be read (${oneLine(e)}): refresh the baseline`,
      source,
    };
  }
  const { doc, problem } = parseBaseline(text, `baseline in Actions cache entry ${key}`);
  return problem ? { warning: problem, source } : { doc: doc!, source };
}

export interface CacheSaveOptions {
  /** GITHUB_RUN_ATTEMPT by default */
  runAttempt?: string;
  now?: Date;
  env?: NodeJS.ProcessEnv;
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
  const key = baselineCacheKey(cacheKeyStem(prefix), {
    runId,
    runAttempt: options.runAttempt ?? env['GITHUB_RUN_ATTEMPT'],
    now: options.now ?? new Date(),
  });
  const notSaved = (why: string) => ({
    warning: `the baseline was not saved to the Actions cache under ${key} (${why}); the previous baseline stays in place`,
  });
  try {
    const file = baselineCachePath(env);
    await saveBaselineFile(file, doc);
    const { result: id, failures } = await withCacheFailures(() => cache.saveCache([file], key));
    const why = failures.map(oneLine).join('; ') || 'the cache service refused it';
    if (id === -1) return notSaved(why);
    // With the v1 protocol the library returns the reserved id even when the upload or the
    // commit then failed, so only a lookup of the exact key proves the entry exists.
    if (!(await isCommitted(file, key)))
      return notSaved(failures.length ? why : 'the cache service did not confirm the entry');
  } catch (e) {
    return notSaved(oneLine(e));
  }
  return { key };
}

async function isCommitted(file: string, key: string): Promise<boolean> {
  const found = await cache.restoreCache([file], key, [], { lookupOnly: true });
  return found === key;
}

function unusableReason(prefix: string): string | undefined {
  if (!cacheFeatureAvailable(cache)) return CACHE_UNAVAILABLE;
  const bad = cachePrefixProblem(prefix);
  return bad && `baseline-key: ${bad.problem}. ${bad.fix}`;
}
