// @github/local-action replaces @actions/cache with a stand-in lacking isFeatureAvailable; the gate must not crash on it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import * as realCache from '@actions/cache';
import { cacheFeatureAvailable } from '../src/model/cache-available.js';

test('a cache module without isFeatureAvailable counts as available; a real one is asked', () => {
  assert.equal(cacheFeatureAvailable({}), true);
  assert.equal(cacheFeatureAvailable({ isFeatureAvailable: () => false }), false);
  assert.equal(cacheFeatureAvailable(realCache), realCache.isFeatureAvailable());
});
