// A release install: tool cache → Actions cache → download, sha256 verified before anything is extracted or run;
// a failed install leaves nothing cached (docs/adrs/0010-install-flow.md).
import { rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tc from '@actions/tool-cache';
import type { RuntimeRef } from '../model/plan.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { expectedSha256, verify } from './expected-sha256.js';
import { restoreFromActionsCache, saveToActionsCache } from './install-actions-cache.js';
import { RuntimeInstallError } from './install-error.js';
import type { Located } from './local-executable.js';
import { currentPlatform, releaseAsset, releasePlatforms } from './registry.js';
import { downloadAsset } from './release-download.js';
import type { ResolveOptions } from './resolve-options.js';
import { lstatIfAny, unpack } from './unpack-archive.js';

const TOOL_PREFIX = 'wasm-perf-gate-';

export async function installFromRelease(
  desc: RuntimeDescriptor,
  version: string,
  opts: ResolveOptions,
  pin: RuntimeRef['sha256'],
): Promise<Located> {
  const log = opts.log ?? (() => {});
  const platform = opts.platform ?? currentPlatform();
  const asset = platform === undefined ? undefined : releaseAsset(desc, version, platform, opts.mirror);
  if (platform === undefined || asset === undefined) {
    throw new RuntimeInstallError(
      desc.name,
      `no release build for ${platform ?? `${process.platform}-${process.arch}`}`,
      undefined,
      `Release builds exist for: ${releasePlatforms(desc).join(', ') || 'none'}. Install ${desc.name} in an earlier step and use \`${desc.name}@path\`.`,
    );
  }
  const dirs = runnerDirs(opts);
  const tool = TOOL_PREFIX + desc.name;
  const arch = platform.split('-')[1] ?? process.arch;

  const cached = cachedExe(tool, version, arch, asset.exe);
  if (cached !== undefined) {
    log(`${desc.name} ${version}: found in the tool cache (${cached})`);
    return { exe: cached, source: 'tool-cache' };
  }
  const actionsKey = `${TOOL_PREFIX}runtime-${desc.name}-${version}-${platform}-r${desc.revision}`;
  const cachePaths = toolCachePaths(dirs.toolCache, tool, version, arch);
  if (opts.actionsCache && (await restoreFromActionsCache(actionsKey, cachePaths, opts))) {
    const restored = cachedExe(tool, version, arch, asset.exe);
    if (restored !== undefined) {
      log(`${desc.name} ${version}: restored from the Actions cache`);
      return { exe: restored, source: 'actions-cache' };
    }
  }

  const expected = await expectedSha256(desc, asset, opts, dirs.temp, pin?.[platform] ?? pin?.['*']);
  log(`${desc.name} ${version}: downloading ${asset.url}`);
  const archive = await downloadAsset(desc, asset, opts, dirs.temp);
  let unpacked: string | undefined;
  try {
    await verify(desc.name, asset, archive, expected);
    unpacked = await unpack(desc.name, asset, archive, dirs.temp);
    const toolDir = await tc.cacheDir(unpacked, tool, version, arch);
    log(`${desc.name} ${version}: verified (${expected.source}) and cached in ${toolDir}`);
    if (opts.actionsCache) await saveToActionsCache(actionsKey, cachePaths, opts);
    return { exe: join(toolDir, asset.exe), source: 'download' };
  } finally {
    await rm(archive, { force: true });
    if (unpacked !== undefined) await rm(unpacked, { recursive: true, force: true });
  }
}

/** @actions/tool-cache reads these from the environment; outside Actions we supply defaults. */
function runnerDirs(opts: ResolveOptions): { toolCache: string; temp: string } {
  if (opts.toolCacheDir !== undefined) process.env['RUNNER_TOOL_CACHE'] = opts.toolCacheDir;
  process.env['RUNNER_TOOL_CACHE'] ||= join(homedir(), '.cache', 'wasm-perf-gate', 'tool-cache');
  process.env['RUNNER_TEMP'] ||= join(tmpdir(), 'wasm-perf-gate');
  return { toolCache: process.env['RUNNER_TOOL_CACHE'], temp: process.env['RUNNER_TEMP'] };
}

function cachedExe(tool: string, version: string, arch: string, exe: string): string | undefined {
  const dir = tc.find(tool, version, arch);
  // A layout change (new descriptor revision) leaves an old dir without the exe: treat it as a miss; so does
  // an exe that is not a regular file (a restored cache is untrusted: never chmod or run through a symlink).
  return dir !== '' && lstatIfAny(join(dir, exe))?.isFile() ? join(dir, exe) : undefined;
}

/** The tool-cache dir and its completion marker: both must travel through the Actions cache. */
function toolCachePaths(root: string, tool: string, version: string, arch: string): string[] {
  const dir = join(root, tool, version, arch);
  return [dir, `${dir}.complete`];
}
