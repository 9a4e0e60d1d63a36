// The list of runtime descriptors (one file each in descriptors/) and the pure lookups on it:
// names, descriptor by name, and which release asset serves a version on a platform.
import type { ArchiveFormat, Platform, RuntimeDescriptor } from './descriptor.js';
import { node } from './descriptors/node.js';
import { bun } from './descriptors/bun.js';
import { deno } from './descriptors/deno.js';
import { wasmtime } from './descriptors/wasmtime.js';
import { wasmer } from './descriptors/wasmer.js';
import { wasmedge } from './descriptors/wasmedge.js';
import { wasm3 } from './descriptors/wasm3.js';
import { iwasm } from './descriptors/iwasm.js';
import { wazero } from './descriptors/wazero.js';
import { wasmi } from './descriptors/wasmi.js';
import { hyperfine } from './descriptors/hyperfine.js';
import { wamrc } from './descriptors/wamrc.js';
import { custom } from './descriptors/custom.js';
import { compareVersions } from './version.js';

export const registry: Readonly<Record<string, RuntimeDescriptor>> = {
  node,
  bun,
  deno,
  wasmtime,
  wasmer,
  wasmedge,
  wasm3,
  iwasm,
  wazero,
  wasmi,
  hyperfine,
  wamrc,
  custom,
};

export function runtimeNames(kind: 'runtime' | 'tool' = 'runtime'): string[] {
  return Object.values(registry)
    .filter((d) => d.kind === kind)
    .map((d) => d.name);
}

export function describe(name: string): RuntimeDescriptor | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

export function fill(template: string, version: string, tag: string, asset = ''): string {
  return template.replaceAll('{V}', version).replaceAll('{TAG}', tag).replaceAll('{ASSET}', asset);
}

export function currentPlatform(): Platform | undefined {
  const os = process.platform;
  const arch = process.arch;
  if ((os === 'linux' || os === 'darwin' || os === 'win32') && (arch === 'x64' || arch === 'arm64'))
    return `${os}-${arch}`;
  return undefined;
}

/** Everything needed to fetch and unpack one release asset; pure. */
export interface ResolvedAsset {
  runtime: string;
  version: string;
  tag: string;
  platform: Platform;
  name: string;
  format: ArchiveFormat;
  exe: string;
  url: string;
  checksumFileUrl?: string;
  /** the release page's API address (GitHub release digests) */
  owner: string;
  repo: string;
}

export const GITHUB = 'https://github.com';

/**
 * The asset for this version and platform, or undefined when the project ships none for it.
 * `mirror` replaces https://github.com (runtime-mirror input); the path stays GitHub's.
 */
export function releaseAsset(
  desc: RuntimeDescriptor,
  version: string,
  platform: Platform,
  mirror = GITHUB,
): ResolvedAsset | undefined {
  if (desc.install.kind !== 'release') return undefined;
  const rel = desc.install.release;
  const spec = rel.assets[platform];
  if (spec === undefined) return undefined;
  const tag = fill(rel.tag, version, '');
  const name = fill(spec.name, version, tag);
  const older =
    rel.exeBefore !== undefined && compareVersions(version, rel.exeBefore.version) < 0
      ? rel.exeBefore.exe[platform]
      : undefined;
  const root = `${mirror.replace(/\/+$/, '')}/${rel.owner}/${rel.repo}/releases/download/${encodeURIComponent(tag)}`;
  const asset: ResolvedAsset = {
    runtime: desc.name,
    version,
    tag,
    platform,
    name,
    format: spec.format,
    exe: fill(older ?? spec.exe, version, tag),
    url: `${root}/${encodeURIComponent(name)}`,
    owner: rel.owner,
    repo: rel.repo,
  };
  if (rel.checksumFile !== undefined)
    asset.checksumFileUrl = `${root}/${encodeURIComponent(fill(rel.checksumFile, version, tag, name))}`;
  return asset;
}

/** Platforms a descriptor has release builds for (for error messages). */
export function releasePlatforms(desc: RuntimeDescriptor): Platform[] {
  return desc.install.kind === 'release' ? (Object.keys(desc.install.release.assets) as Platform[]) : [];
}
