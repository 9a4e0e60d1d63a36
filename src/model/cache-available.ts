// @github/local-action's @actions/cache stand-in has no isFeatureAvailable; its cache always works.
export function cacheFeatureAvailable(cache: { isFeatureAvailable?: unknown }): boolean {
  return typeof cache.isFeatureAvailable === 'function' ? Boolean(cache.isFeatureAvailable()) : true;
}
