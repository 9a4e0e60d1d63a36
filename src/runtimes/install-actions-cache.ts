// Installs kept in the Actions cache (hosted runners lose the tool cache between jobs): best effort, an outage
// only costs a download.
import { cacheFeatureAvailable } from '../model/cache-available.js';
import { errorText } from './install-error.js';
import type { ResolveOptions } from './resolve-options.js';

export async function restoreFromActionsCache(key: string, paths: string[], opts: ResolveOptions): Promise<boolean> {
  try {
    const cache = await import('@actions/cache');
    if (!cacheFeatureAvailable(cache)) return false;
    return (await cache.restoreCache(paths, key)) === key;
  } catch (e) {
    (opts.warn ?? opts.log)?.(`Actions cache restore of ${key} failed, downloading instead: ${errorText(e)}`);
    return false;
  }
}

export async function saveToActionsCache(key: string, paths: string[], opts: ResolveOptions): Promise<void> {
  try {
    const cache = await import('@actions/cache');
    if (!cacheFeatureAvailable(cache)) return;
    // -1: already saved by a parallel job, or the service failed; either way the next job downloads again at worst.
    const id = await cache.saveCache(paths, key);
    if (id === -1) opts.log?.(`Actions cache: ${key} not saved (exists already or service unavailable)`);
  } catch (e) {
    (opts.warn ?? opts.log)?.(`Actions cache save of ${key} failed: ${errorText(e)}`);
  }
}
