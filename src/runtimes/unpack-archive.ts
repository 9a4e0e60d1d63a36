// Unpacking a verified archive: only regular files, folders and symlinks between them; the executable must be a
// regular file before it is made executable.
import { randomUUID } from 'node:crypto';
import { lstatSync, type Stats } from 'node:fs';
import { chmod, copyFile, mkdir, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import * as tc from '@actions/tool-cache';
import { unsafeArchiveEntry } from './archive-entries.js';
import { errorText, RuntimeInstallError } from './install-error.js';
import type { ResolvedAsset } from './registry.js';

export async function unpack(runtime: string, asset: ResolvedAsset, file: string, temp: string): Promise<string> {
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

export function lstatIfAny(path: string): Stats | undefined {
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
