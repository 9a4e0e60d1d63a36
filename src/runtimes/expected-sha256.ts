// Where an asset's sha256 comes from before anything is downloaded: a pin, the project's checksum file, GitHub's
// release digest, or a mirror's sidecar; and the check of the downloaded file against it.
import { createHash, randomUUID } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { sha256FromChecksumFile, sha256FromReleaseDocument } from './checksum.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { DownloadError, downloadFile } from './download.js';
import { errorText, RuntimeInstallError } from './install-error.js';
import type { ResolvedAsset } from './registry.js';
import { downloadFailure } from './release-download.js';
import { mirrorOf, type ResolveOptions } from './resolve-options.js';

/** A checksum file lists a few dozen lines. */
const CHECKSUM_FILE_LIMIT_BYTES = 2 ** 20;

export interface Expected {
  sha256: string;
  source: string;
}

/**
 * Where the sha256 comes from, first match wins: the config's `sha256:`, an option override, pinned in the
 * registry, the project's checksum file, GitHub's release digest; with a mirror, also `<asset>.sha256` beside it.
 */
export async function expectedSha256(
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

export async function verify(runtime: string, asset: ResolvedAsset, file: string, expected: Expected): Promise<void> {
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
