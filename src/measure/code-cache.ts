// `measure.cache`: what cold and warm mean for one runtime's compiled-code cache; pure decisions here,
// measuring-loop.ts makes the directories (docs/adrs/0008-code-cache-cold-warm.md).
import type { CacheMode } from '../model/plan.js';
import type { CodeCacheSupport, Invocation, ResolvedRuntime } from '../runtimes/types.js';
import type { CacheSetting, CacheTemperature } from '../model/measurement.js';

/** A runtime has something to make cold or warm when it caches by default or can be given a directory. */
export function hasCodeCache(support: CodeCacheSupport): boolean {
  return support.onByDefault || support.canRelocate;
}

/** The temperatures one runtime is measured at: two cells for `both` when it has a cache, else one. */
export function temperatures(requested: CacheMode, support: CodeCacheSupport): (CacheTemperature | 'none')[] {
  if (!hasCodeCache(support)) return ['none'];
  return requested === 'both' ? ['cold', 'warm'] : [requested];
}

/** Pure: the setting for one temperature on one runtime. */
export function cacheSetting(
  requested: CacheMode,
  temperature: CacheTemperature | 'none',
  support: CodeCacheSupport,
): CacheSetting {
  if (temperature === 'none' || !hasCodeCache(support)) return { requested, mode: 'none', how: 'none' };
  if (temperature === 'cold') {
    if (support.canRelocate) return { requested, mode: 'cold', how: 'fresh-dir' };
    if (support.canDisable) return { requested, mode: 'cold', how: 'off' };
    // No registry runtime is like this; if one were, its cache could only be warm.
    return { requested, mode: 'warm', how: 'default' };
  }
  return { requested, mode: 'warm', how: support.canRelocate ? 'primed-dir' : 'default' };
}

/** What the Invocation says about the cache; `dir` is the arm's cache directory for the dir-based settings. */
export function cacheInvocation(setting: CacheSetting, dir: string): Pick<Invocation, 'codeCache'> {
  if (setting.how === 'fresh-dir' || setting.how === 'primed-dir') return { codeCache: { dir } };
  if (setting.how === 'off') return { codeCache: 'off' };
  return {};
}

/** Warm runs must be primed: at least one unmeasured run before the timed ones. */
export function needsPriming(setting: CacheSetting): boolean {
  return setting.mode === 'warm';
}

/**
 * The runtime of a `both` cell: the id gets ` [cold]` / ` [warm]` before its `@version`, so the baseline's
 * cell key (benchmark × runtime id without version) stays unique and stable across runs.
 */
export function cacheRuntime(runtime: ResolvedRuntime, temperature: CacheTemperature): ResolvedRuntime {
  const tag = ` [${temperature}]`;
  const suffix = `@${runtime.version}`;
  const id = runtime.id.endsWith(suffix)
    ? `${runtime.id.slice(0, -suffix.length)}${tag}${suffix}`
    : `${runtime.id}${tag}`;
  return { ...runtime, id, ref: { ...runtime.ref, id: `${runtime.ref.id}${tag}` } };
}

/** One line for the report: why this cell has no cold/warm distinction, or how it was made cold/warm. */
export function describeCache(setting: CacheSetting, runtimeName: string): string {
  switch (setting.how) {
    case 'none':
      return JS_RUNTIMES.includes(runtimeName)
        ? `no compiled-code cache: ${runtimeName} compiles the module from its bytes in every process (no persistent wasm code cache)`
        : 'no compiled-code cache';
    case 'fresh-dir':
      return 'cold: a fresh empty cache directory before every run';
    case 'off':
      return 'cold: the compiled-code cache switched off';
    case 'primed-dir':
      return 'warm: one cache directory, primed by a warm-up run';
    case 'default':
      return "warm: the runtime's default cache, primed by a warm-up run";
  }
}

const JS_RUNTIMES = ['node', 'bun', 'deno'];
