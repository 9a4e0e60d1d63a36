// The `baseline-key` input checked as an Actions cache key prefix (the full key: baseline/cache-key.ts).

/** Longest key the cache accepts is 512; leave room for the platform and run suffix. */
const MAX_PREFIX = 400;

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
