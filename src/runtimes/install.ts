// The one install flow: path → tool cache → Actions cache → download, sha256 verified before anything is
// extracted or run; a failed install leaves nothing cached (docs/adrs/0010-install-flow.md). This file picks the
// source; each step lives in its own file (release-install, expected-sha256, unpack-archive, read-version, …).
import type { RuntimeRef } from '../model/plan.js';
import { assembleCustom, assembleRuntime } from './assemble.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { findExecutable } from './find-executable.js';
import { RuntimeInstallError } from './install-error.js';
import { embeddedNode, givenExecutable, onPath, type Located } from './local-executable.js';
import { checkInstalledVersion, readVersion } from './read-version.js';
import { describe } from './registry.js';
import { installFromRelease } from './release-install.js';
import type { ResolveOptions } from './resolve-options.js';
import type { ResolvedRuntime, ResolvedTool } from './types.js';

export { RuntimeInstallError } from './install-error.js';
export { sha256File } from './expected-sha256.js';
export type { ResolveOptions } from './resolve-options.js';

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
      ? await resolveTool(desc.aot.tool, { ...opts, version })
      : undefined;
  return assembleRuntime(ref, located.exe, version, located.source, compiler);
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
