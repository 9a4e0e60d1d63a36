// A runtime kept in the Actions cache: the first job downloads, verifies and saves it; a later job on a
// fresh runner (empty tool cache) restores it from the cache and never asks the release server.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveRuntime } from '../src/runtimes/install.js';
import { parseRuntimeSpec } from '../src/runtimes/spec.js';
import { startCacheServer, useCacheServer, type CacheServer } from './helpers/cache-server.js';
import { buildArchive, startReleaseServer, type ReleaseServer } from './helpers/release-server.js';
import { requireTool } from './helpers/tools.js';

// Every test here needs these tools (bash .ci/run installs them).
const needs = requireTool('zip');

const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');
const ASSET = 'deno-x86_64-unknown-linux-gnu.zip';

let releases: ReleaseServer;
let cache: CacheServer;
let work: string;
let undoEnv: () => void;

before(async () => {
  if (needs.skip) return;
  releases = await startReleaseServer();
  cache = await startCacheServer();
  work = mkdtempSync(join(tmpdir(), 'wpg-rt-cache-'));
  mkdirSync(join(work, 'temp'));
  undoEnv = useCacheServer(cache, join(work, 'temp'));
  const sha = releases.add('denoland', 'deno', 'v2.9.6', ASSET, buildArchive('zip', { deno: DENO }));
  releases.add('denoland', 'deno', 'v2.9.6', `${ASSET}.sha256sum`, Buffer.from(`${sha}  ${ASSET}\n`));
});

after(async () => {
  if (needs.skip) return;
  undoEnv();
  await releases.close();
  await cache.stop();
  rmSync(work, { recursive: true, force: true });
});

test('deno: downloaded and saved by the first runner, restored from the Actions cache by the next', needs, async () => {
  const ref = parseRuntimeSpec('deno');
  // Hosted runners keep the tool cache at one path (the cache version hashes it) but start each job empty.
  const toolCacheDir = join(work, 'tool-cache');
  const first = await resolveRuntime(ref, { mirror: releases.url, toolCacheDir, actionsCache: true });
  assert.equal(first.installedFrom, 'download');
  assert.equal(first.version, '2.9.6');
  const saved = cache.entries().filter((e) => e.committed);
  assert.equal(saved.length, 1, 'the runtime was saved to the Actions cache');
  assert.match(saved[0]!.key, /deno/);

  rmSync(toolCacheDir, { recursive: true, force: true }); // the next job's fresh runner
  const downloadsBefore = releases.requests.length;
  const second = await resolveRuntime(ref, { mirror: releases.url, toolCacheDir, actionsCache: true });
  assert.equal(second.installedFrom, 'actions-cache');
  assert.equal(second.version, '2.9.6');
  assert.equal(releases.requests.length, downloadsBefore, 'no request to the release server');
});
