// The one install flow: path → tool cache → Actions cache → download, sha256 verified before anything is
// extracted or run; a failed install leaves nothing cached (docs/adrs/0010-install-flow.md).
import { createHash, randomUUID } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants, createReadStream, lstatSync, statSync, type Stats } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as tc from '@actions/tool-cache';
import { cacheFeatureAvailable } from '../model/cache-available.js';
import type { RuntimeRef } from '../model/plan.js';
import { killGroup } from '../process/cancellation.js';
import { openScope } from '../process/escapees.js';
import { findExecutable } from './find-executable.js';
import { assembleCustom, assembleRuntime } from './assemble.js';
import { sha256FromChecksumFile, sha256FromReleaseDocument } from './checksum.js';
import { DEFAULT_DOWNLOAD_LIMIT_MIB, type ChecksumMap, type Platform, type RuntimeDescriptor } from './descriptor.js';
import { currentPlatform, describe, GITHUB, releaseAsset, releasePlatforms, type ResolvedAsset } from './registry.js';
import { compareVersions } from './version.js';
import { unsafeArchiveEntry } from './archive-entries.js';
import { DEFAULT_DOWNLOAD_TIMEOUT_MS, DownloadError, downloadFile } from './download.js';
import { formatMs } from '../model/format.js';
import type { InstallSource, ResolvedRuntime, ResolvedTool } from './types.js';

export interface ResolveOptions {
  /** replaces https://github.com in release URLs (the `runtime-mirror` input) */
  mirror?: string;
  /** tool cache root; default RUNNER_TOOL_CACHE, else ~/.cache/wasm-perf-gate/tool-cache (sets RUNNER_TOOL_CACHE for @actions/tool-cache) */
  toolCacheDir?: string;
  /** also keep installs in the Actions cache (hosted runners lose the tool cache between jobs) */
  actionsCache?: boolean;
  /** extra pinned sha256 values: runtime name → version → asset name → sha256; checked before the registry's */
  checksums?: Readonly<Record<string, ChecksumMap>>;
  /** time limit of one download attempt (the `download-timeout` input) */
  downloadTimeoutMs?: number;
  /** GitHub REST API base for release digests; default https://api.github.com when no mirror is set */
  githubApiUrl?: string;
  /** token for the release-digest API call only (never given to a runtime) */
  githubToken?: string;
  /** defaults to this machine */
  platform?: Platform;
  log?: (msg: string) => void;
  warn?: (msg: string) => void;
}

/** An install problem: names the runtime, the URL, and what to do. */
export class RuntimeInstallError extends Error {
  constructor(
    readonly runtime: string,
    problem: string,
    readonly url: string | undefined,
    readonly fix: string,
  ) {
    super(`${runtime}: ${problem}${url === undefined ? '' : ` (${url})`}. ${fix}`);
    this.name = 'RuntimeInstallError';
  }
}

const TOOL_PREFIX = 'wasm-perf-gate-';
/** A checksum file lists a few dozen lines. */
const CHECKSUM_FILE_LIMIT_BYTES = 2 ** 20;
const VERSION_TIMEOUT_MS = 15_000;

/** Installs (or finds) the runtime a ref names and reads its version. */
export async function resolveRuntime(ref: RuntimeRef, opts: ResolveOptions = {}): Promise<ResolvedRuntime> {
  const desc = describe(ref.name);
  if (desc === undefined || desc.kind !== 'runtime') {
    throw new RuntimeInstallError(
      ref.name,
      'unknown runtime',
      undefined,
      'Use one of the names listed in docs/runtimes.md.',
    );
  }
  if (desc.install.kind === 'command') return resolveCustom(ref);
  const located = await locate(desc, ref.version, ref.path, opts, ref.sha256);
  const version = await readVersion(desc, located.exe, located.version);
  checkInstalledVersion(desc, ref.version, version, located.source, opts);
  const variant = ref.variant === undefined ? undefined : desc.variants[ref.variant];
  const compiler =
    variant?.precompile && desc.aot?.tool !== undefined
      ? await resolveCompiler(desc, desc.aot.tool, located, ref, version, opts)
      : undefined;
  return assembleRuntime(ref, located.exe, version, located.source, compiler);
}

/**
 * The AOT compiler of a precompiling variant (wamrc for iwasm:aot). Its output format is versioned, so it comes
 * from the runtime's own release: beside a runtime given by path (`path:` / `name@/path`), from PATH with
 * `name@path`, else downloaded at the runtime's version.
 */
async function resolveCompiler(
  desc: RuntimeDescriptor,
  tool: string,
  located: Located,
  ref: RuntimeRef,
  version: string,
  opts: ResolveOptions,
): Promise<ResolvedTool> {
  if (located.source !== 'path') return resolveTool(tool, { ...opts, version });
  const ext = located.exe.toLowerCase().endsWith('.exe') ? '.exe' : '';
  const beside = join(dirname(located.exe), (describe(tool)?.exeName ?? tool) + ext);
  const given = isExecutable(beside) ? beside : undefined;
  let compiler: ResolvedTool;
  try {
    compiler = await resolveTool(
      tool,
      given !== undefined
        ? { ...opts, path: given }
        : ref.version === 'path'
          ? { ...opts, version: 'path' }
          : { ...opts, version },
    );
  } catch (e) {
    if (!(e instanceof RuntimeInstallError)) throw e;
    throw new RuntimeInstallError(
      tool,
      given !== undefined
        ? `the ${tool} beside ${desc.name} (${beside}) cannot be used: ${e.message}`
        : `${desc.name} was given by path and ${tool} is not beside it (${beside}); then: ${e.message}`,
      undefined,
      `Put ${tool} from the same release next to ${desc.name}${ref.version === 'path' ? ' or on PATH' : ''}.`,
    );
  }
  if (compiler.version !== version)
    throw new RuntimeInstallError(
      tool,
      `${tool} ${compiler.version} (${compiler.exe}) cannot compile for ${desc.name} ${version}: the AOT file format changes between releases`,
      undefined,
      `Use ${tool} from the same release as ${desc.name} (${version}).`,
    );
  return compiler;
}

/** Installs (or finds) a helper tool: hyperfine, wamrc. `version: 'path'` or `path` use an existing executable. */
export async function resolveTool(
  name: string,
  opts: ResolveOptions & { version?: string; path?: string } = {},
): Promise<ResolvedTool> {
  const desc = describe(name);
  if (desc === undefined || desc.kind !== 'tool')
    throw new RuntimeInstallError(name, 'unknown tool', undefined, 'Known tools: hyperfine, wamrc.');
  const located = await locate(desc, opts.version, opts.path, opts);
  const version = await readVersion(desc, located.exe, located.version);
  checkInstalledVersion(desc, opts.version, version, located.source, opts);
  return { name, exe: located.exe, version, installedFrom: located.source };
}

// ---------- where the executable comes from ----------

interface Located {
  exe: string;
  source: InstallSource;
  /** known without asking the executable (the embedded node) */
  version?: string;
}

async function locate(
  desc: RuntimeDescriptor,
  version: string | undefined,
  path: string | undefined,
  opts: ResolveOptions,
  pin?: RuntimeRef['sha256'],
): Promise<Located> {
  if (path !== undefined) return { exe: givenExecutable(desc.name, path), source: 'path' };
  if (version === 'path') return { exe: await onPath(desc), source: 'path' };
  if (desc.install.kind === 'embedded') return embeddedNode(desc, version);
  return installFromRelease(desc, version ?? desc.defaultVersion, opts, pin);
}

function embeddedNode(desc: RuntimeDescriptor, version: string | undefined): Located {
  const running = process.versions.node;
  if (version !== undefined && version !== running) {
    throw new RuntimeInstallError(
      desc.name,
      `version ${version} was asked for, but node is not downloaded: the action runs on the node executing it (${running})`,
      undefined,
      'Install that node with actions/setup-node in an earlier step and use `node@path`.',
    );
  }
  return { exe: process.execPath, source: 'embedded', version: running };
}

function givenExecutable(runtime: string, path: string): string {
  const exe = isAbsolute(path) ? path : resolve(path);
  if (!isExecutable(exe)) {
    throw new RuntimeInstallError(
      runtime,
      `${exe} is not an executable file`,
      undefined,
      'Check the path given with `path:` / `name@/path`, and that an earlier step installed it.',
    );
  }
  return exe;
}

async function onPath(desc: RuntimeDescriptor): Promise<string> {
  const exe = await findExecutable(desc.exeName);
  if (exe === undefined) {
    throw new RuntimeInstallError(
      desc.name,
      `\`${desc.exeName}\` was not found on PATH`,
      undefined,
      `Install it in an earlier step, or drop "@path" to let the action download ${desc.name}.`,
    );
  }
  return exe;
}

function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

// ---------- release install ----------

async function installFromRelease(
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
  const archive = await download(desc, asset, opts, dirs.temp);
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

/** The most one archive of `desc` may bring (docs/limits.md). */
export function downloadLimitBytes(desc: RuntimeDescriptor): number {
  const mib = desc.install.kind === 'release' ? desc.install.release.maxDownloadMiB : undefined;
  return (mib ?? DEFAULT_DOWNLOAD_LIMIT_MIB) * 2 ** 20;
}

async function download(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  opts: ResolveOptions,
  temp: string,
): Promise<string> {
  const runtime = desc.name;
  const file = join(temp, randomUUID());
  try {
    await downloadFile(asset.url, file, opts.downloadTimeoutMs, downloadLimitBytes(desc));
    return file;
  } catch (e) {
    if (e instanceof DownloadError && e.overLimit !== undefined) {
      const from = mirrorOf(opts) === undefined ? 'github.com' : `runtime-mirror ${mirrorOf(opts)}`;
      throw new RuntimeInstallError(
        runtime,
        `${asset.name} from ${from} is larger than the ${Math.round(e.overLimit / 2 ** 20)} MiB a ${runtime} archive may be: the download was stopped there and the partial file deleted`,
        asset.url,
        `Check ${mirrorOf(opts) === undefined ? 'the release' : 'runtime-mirror'} (a real ${runtime} archive is far smaller), or install ${runtime} yourself and use \`@path\`.`,
      );
    }
    const status = e instanceof DownloadError ? e.status : undefined;
    if (status === 404) {
      throw new RuntimeInstallError(
        runtime,
        `release asset ${asset.name} of ${asset.tag} was not found (HTTP 404)`,
        asset.url,
        `Check that ${runtime} ${asset.version} exists and ships ${asset.name}; pick another version, or fix runtime-mirror.`,
      );
    }
    throw downloadFailure(runtime, asset.name, asset.url, e, opts);
  }
}

/** A download that failed after its retry: a timeout names `download-timeout` and where it came from. */
function downloadFailure(runtime: string, what: string, url: string, e: unknown, opts: ResolveOptions): Error {
  const from = mirrorOf(opts) === undefined ? 'github.com' : `runtime-mirror ${mirrorOf(opts)}`;
  if (e instanceof DownloadError && e.timedOut) {
    const limit = formatMs(opts.downloadTimeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS);
    return new RuntimeInstallError(
      runtime,
      `${from} did not deliver ${what} within download-timeout (${limit}), tried twice`,
      url,
      `Check that ${from} is reachable from the runner, or raise download-timeout.`,
    );
  }
  const why = e instanceof DownloadError && e.status !== undefined ? `HTTP ${e.status}` : errorText(e);
  return new RuntimeInstallError(
    runtime,
    `download of ${what} from ${from} failed after a retry (${why})`,
    url,
    'Retry the job; if it persists, check the network or set runtime-mirror.',
  );
}

/** The runtime-mirror in use, or undefined for github.com itself. */
function mirrorOf(opts: ResolveOptions): string | undefined {
  return opts.mirror === undefined || opts.mirror.replace(/\/+$/, '') === GITHUB ? undefined : opts.mirror;
}

// ---------- checksums ----------

interface Expected {
  sha256: string;
  source: string;
}

/**
 * Where the sha256 comes from, first match wins: the config's `sha256:`, an option override, pinned in the
 * registry, the project's checksum file, GitHub's release digest; with a mirror, also `<asset>.sha256` beside it.
 */
async function expectedSha256(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  opts: ResolveOptions,
  temp: string,
  configPin: string | undefined,
): Promise<Expected> {
  if (configPin !== undefined) return { sha256: configPin, source: 'sha256 pinned in the config' };
  const pinned = opts.checksums?.[desc.name]?.[asset.version]?.[asset.name] ?? pinnedSha256(desc, asset);
  if (pinned !== undefined) return { sha256: pinned.toLowerCase(), source: 'pinned sha256' };
  const mirror = mirrorOf(opts);
  if (mirror === undefined || opts.githubApiUrl !== undefined) {
    if (asset.checksumFileUrl !== undefined) return fromChecksumFile(desc, asset, asset.checksumFileUrl, temp, opts);
    return fromReleaseDigest(desc, asset, opts.githubApiUrl ?? 'https://api.github.com', opts.githubToken);
  }
  return fromMirror(desc, asset, mirror, temp, opts);
}

/** A mirror serves the project's checksum file if it has one, else the sidecar `<asset>.sha256` (sha256sum output). */
async function fromMirror(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  mirror: string,
  temp: string,
  opts: ResolveOptions,
): Promise<Expected> {
  const urls = [...(asset.checksumFileUrl === undefined ? [] : [asset.checksumFileUrl]), `${asset.url}.sha256`];
  for (const url of urls) {
    const text = await fetchChecksums(desc, asset, url, temp, true, opts);
    if (text === undefined) continue;
    return listedSha256(desc, asset, url, text, url !== asset.checksumFileUrl);
  }
  throw new RuntimeInstallError(
    desc.name,
    `runtime-mirror ${mirror} serves no checksum for ${asset.name} ${asset.version} (tried ${urls.map((u) => basename(new URL(u).pathname)).join(', ')})`,
    undefined,
    `Serve \`sha256sum ${asset.name}\` output as ${asset.name}.sha256 beside it on the mirror, or pin it in the config: runtimes: [{ name: ${desc.name}, version: ${asset.version}, sha256: "sha256:<hex>" }].`,
  );
}

function pinnedSha256(desc: RuntimeDescriptor, asset: ResolvedAsset): string | undefined {
  return desc.install.kind === 'release' ? desc.install.release.sha256[asset.version]?.[asset.name] : undefined;
}

async function fromChecksumFile(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  url: string,
  temp: string,
  opts: ResolveOptions,
): Promise<Expected> {
  const text = (await fetchChecksums(desc, asset, url, temp, false, opts)) as string;
  const perAsset = desc.install.kind === 'release' && (desc.install.release.checksumFile ?? '').includes('{ASSET}');
  return listedSha256(desc, asset, url, text, perAsset);
}

/** The checksum file's text; undefined on a 404 when `missingOk` (a mirror may not serve that file). */
async function fetchChecksums(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  url: string,
  temp: string,
  missingOk: boolean,
  opts: ResolveOptions,
): Promise<string | undefined> {
  const file = join(temp, `${desc.name}-sums-${randomUUID()}`);
  try {
    await downloadFile(url, file, opts.downloadTimeoutMs, CHECKSUM_FILE_LIMIT_BYTES);
    return await readFile(file, 'utf8');
  } catch (e) {
    if (missingOk && e instanceof DownloadError && e.status === 404) return undefined;
    if (e instanceof DownloadError && e.timedOut)
      throw downloadFailure(desc.name, `the checksums of ${asset.name}`, url, e, opts);
    throw new RuntimeInstallError(
      desc.name,
      `cannot fetch the published checksums (${errorText(e)})`,
      url,
      `Check that ${desc.name} ${asset.version} exists, or pin the sha256 of ${asset.name}.`,
    );
  } finally {
    await rm(file, { force: true });
  }
}

function listedSha256(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  url: string,
  text: string,
  perAsset: boolean,
): Expected {
  const sha256 = sha256FromChecksumFile(text, asset.name, perAsset);
  if (sha256 === undefined)
    throw new RuntimeInstallError(
      desc.name,
      `the published checksums do not list ${asset.name}`,
      url,
      'The release layout may have changed; pin the sha256 or use `@path`.',
    );
  return { sha256, source: `published ${basename(new URL(url).pathname)}` };
}

async function fromReleaseDigest(
  desc: RuntimeDescriptor,
  asset: ResolvedAsset,
  api: string,
  token: string | undefined,
): Promise<Expected> {
  const url = `${api.replace(/\/+$/, '')}/repos/${asset.owner}/${asset.repo}/releases/tags/${encodeURIComponent(asset.tag)}`;
  const headers: Record<string, string> = { accept: 'application/vnd.github+json', 'user-agent': 'wasm-perf-gate' };
  if (token !== undefined && token !== '') headers['authorization'] = `Bearer ${token}`;
  let doc: unknown;
  try {
    const res = await fetch(url, { headers, signal: AbortSignal.timeout(30_000) });
    if (!res.ok) throw new Error(`HTTP ${res.status}`);
    doc = await res.json();
  } catch (e) {
    throw new RuntimeInstallError(
      desc.name,
      `cannot read the release digest of ${asset.name} (${errorText(e)})`,
      url,
      'Pass a token (rate limits), pin the sha256, or install it yourself and use `@path`.',
    );
  }
  const sha256 = sha256FromReleaseDocument(doc, asset.name);
  if (sha256 === undefined)
    throw new RuntimeInstallError(
      desc.name,
      `the release ${asset.tag} has no sha256 digest for ${asset.name}`,
      url,
      'Pin the sha256 or use `@path`.',
    );
  return { sha256, source: 'GitHub release digest' };
}

async function verify(runtime: string, asset: ResolvedAsset, file: string, expected: Expected): Promise<void> {
  const actual = await sha256File(file);
  if (actual !== expected.sha256) {
    throw new RuntimeInstallError(
      runtime,
      `checksum mismatch for ${asset.name}: expected ${expected.sha256} (${expected.source}), got ${actual}; nothing was extracted or cached`,
      asset.url,
      'The download was altered or corrupted (or the mirror serves another build). Retry; if it persists, check runtime-mirror.',
    );
  }
}

export function sha256File(file: string): Promise<string> {
  return new Promise((ok, fail) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', fail)
      .on('end', () => ok(hash.digest('hex')));
  });
}

// ---------- unpacking ----------

async function unpack(runtime: string, asset: ResolvedAsset, file: string, temp: string): Promise<string> {
  const dest = join(temp, `${runtime}-${randomUUID()}`);
  try {
    await extract(asset, file, dest);
  } catch (e) {
    await rm(dest, { recursive: true, force: true });
    throw new RuntimeInstallError(
      runtime,
      `cannot unpack ${asset.name} as ${asset.format} (${errorText(e)})`,
      asset.url,
      'The archive is corrupt or the release format changed; retry, or install it yourself and use `@path`.',
    );
  }
  const unsafe = unsafeArchiveEntry(dest);
  if (unsafe !== undefined) {
    await rm(dest, { recursive: true, force: true });
    throw new RuntimeInstallError(
      runtime,
      `${asset.name} is refused: ${unsafe}; only regular files and folders (and symlinks between them) are taken from a runtime archive, and nothing was made executable, cached or run`,
      asset.url,
      'Check the sha256 pin and runtime-mirror (this is not the release archive), or install the runtime yourself and use `@path`.',
    );
  }
  const exe = join(dest, asset.exe);
  const exeStat = lstatIfAny(exe);
  if (exeStat?.isSymbolicLink()) {
    await rm(dest, { recursive: true, force: true });
    throw new RuntimeInstallError(
      runtime,
      `${asset.exe} in ${asset.name} is a symlink, not the executable itself; nothing was made executable, cached or run`,
      asset.url,
      'Check the sha256 pin and runtime-mirror (this is not the release archive), or install the runtime yourself and use `@path`.',
    );
  }
  if (!exeStat?.isFile()) {
    const holds = (await listTree(dest, 2)).slice(0, 12).join(', ');
    await rm(dest, { recursive: true, force: true });
    throw new RuntimeInstallError(
      runtime,
      `${asset.exe} is missing in ${asset.name} (it holds: ${holds || 'nothing'})`,
      asset.url,
      'The release layout changed: update the registry entry, or install it yourself and use `@path`.',
    );
  }
  await chmod(exe, 0o755);
  return dest;
}

function lstatIfAny(path: string): Stats | undefined {
  try {
    return lstatSync(path);
  } catch {
    return undefined;
  }
}

async function extract(asset: ResolvedAsset, file: string, dest: string): Promise<void> {
  switch (asset.format) {
    case 'tar.gz':
      await tc.extractTar(file, dest, 'xz');
      return;
    case 'tar.xz':
      // 'xz' would mean gzip to tar; xz needs J.
      await tc.extractTar(file, dest, 'xJ');
      return;
    case 'zip':
      await tc.extractZip(file, dest);
      return;
    case 'raw':
      await mkdir(dirname(join(dest, asset.exe)), { recursive: true });
      await copyFile(file, join(dest, asset.exe));
      return;
  }
}

async function listTree(dir: string, depth: number, prefix = ''): Promise<string[]> {
  if (depth === 0) return [];
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  const out: string[] = [];
  for (const e of entries) {
    out.push(prefix + e.name + (e.isDirectory() ? '/' : ''));
    if (e.isDirectory()) out.push(...(await listTree(join(dir, e.name), depth - 1, `${prefix}${e.name}/`)));
  }
  return out;
}

// ---------- Actions cache (best effort: an outage only costs a download) ----------

async function restoreFromActionsCache(key: string, paths: string[], opts: ResolveOptions): Promise<boolean> {
  try {
    const cache = await import('@actions/cache');
    if (!cacheFeatureAvailable(cache)) return false;
    return (await cache.restoreCache(paths, key)) === key;
  } catch (e) {
    (opts.warn ?? opts.log)?.(`Actions cache restore of ${key} failed, downloading instead: ${errorText(e)}`);
    return false;
  }
}

async function saveToActionsCache(key: string, paths: string[], opts: ResolveOptions): Promise<void> {
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

// ---------- version ----------

/** Minimal environment for the version command: the runner's tokens stay out of any runtime process. */
function versionEnv(): Record<string, string> {
  const env: Record<string, string> = { DENO_NO_UPDATE_CHECK: '1' };
  for (const name of [
    'PATH',
    'HOME',
    'TMPDIR',
    'LANG',
    'SYSTEMROOT',
    'SystemRoot',
    'USERPROFILE',
    'LOCALAPPDATA',
    'APPDATA',
  ]) {
    const v = process.env[name];
    if (v !== undefined) env[name] = v;
  }
  return env;
}

/**
 * The version command's output (stdout and stderr, 1 MiB at most), run like a measured process: its own group
 * and run scope, so whatever it starts (a daemon holding the pipe, `setsid env -i …`) is killed when it exits
 * or at VERSION_TIMEOUT_MS, and the answer never waits on a pipe something else holds.
 */
function versionOutput(exe: string, args: string[]): Promise<string> {
  return new Promise((ok, fail) => {
    const scope = openScope();
    let child: ChildProcess;
    try {
      child = spawn(exe, args, {
        env: { ...versionEnv(), ...scope.env },
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (e) {
      scope.end();
      fail(e);
      return;
    }
    let text = '';
    let settled = false;
    const keep = (d: Buffer) => {
      if (text.length < 1 << 20) text += d.toString();
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const endAll = () => {
      killGroup(child.pid);
      scope.end(child.pid);
    };
    let drain: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      endAll();
      settle(text.trim() === '' ? new Error(`no answer within ${VERSION_TIMEOUT_MS / 1000} s`) : undefined);
    }, VERSION_TIMEOUT_MS);
    function settle(error?: Error): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      endAll();
      child.stdout?.destroy();
      child.stderr?.destroy();
      // Some CLIs exit non-zero on --version yet print it; only a failure to start (or no output) is an error.
      if (error !== undefined || text.trim() === '') fail(error ?? new Error('it printed nothing'));
      else ok(text);
    }
    child.on('error', (e) => settle(e));
    child.on('exit', () => {
      endAll();
      drain = setTimeout(() => settle(), 1000);
    });
    child.on('close', () => settle());
  });
}

async function readVersion(desc: RuntimeDescriptor, exe: string, known: string | undefined): Promise<string> {
  if (known !== undefined) return known;
  const args = [...desc.versionCommand.args];
  const shown = `${exe} ${args.join(' ')}`;
  const output = await versionOutput(exe, args).catch((e: unknown) => {
    throw new RuntimeInstallError(
      desc.name,
      `\`${shown}\` failed (${errorText(e)})`,
      undefined,
      'The executable does not start on this machine: check the platform build, or install it yourself and use `@path`.',
    );
  });
  const version = desc.versionCommand.pattern.exec(output)?.[1];
  if (version === undefined) {
    throw new RuntimeInstallError(
      desc.name,
      `cannot read a version from \`${shown}\` (printed: ${JSON.stringify(output.trim().slice(0, 200))})`,
      undefined,
      `Check that ${exe} really is ${desc.name}.`,
    );
  }
  return version;
}

function checkInstalledVersion(
  desc: RuntimeDescriptor,
  asked: string | undefined,
  found: string,
  source: InstallSource,
  opts: ResolveOptions,
): void {
  if (desc.minVersion !== undefined && compareVersions(found, desc.minVersion.version) < 0) {
    throw new RuntimeInstallError(
      desc.name,
      `version ${found} is too old: ${desc.minVersion.reason}`,
      undefined,
      `Use ${desc.name} ${desc.minVersion.version} or newer.`,
    );
  }
  const expected =
    asked === undefined || asked === 'path'
      ? source === 'path' || source === 'embedded'
        ? undefined
        : desc.defaultVersion
      : asked;
  if (expected !== undefined && expected !== found) {
    (opts.warn ?? opts.log)?.(
      `${desc.name}: asked for ${expected} but the executable reports ${found}; results are recorded as ${found}`,
    );
  }
}

// ---------- custom ----------

async function resolveCustom(ref: RuntimeRef): Promise<ResolvedRuntime> {
  const program = ref.command?.[0] ?? '';
  const exe =
    program.includes('/') || program.includes('\\') ? givenExecutable(ref.id, program) : await findExecutable(program);
  if (exe === undefined) {
    throw new RuntimeInstallError(
      ref.id,
      `\`${program}\` was not found on PATH`,
      undefined,
      'Install it in an earlier step, or give the command with a path.',
    );
  }
  return assembleCustom(ref, exe);
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
