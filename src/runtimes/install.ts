// The one install flow: path → tool cache → Actions cache → download, sha256 verified before anything is
// extracted or run; a failed install leaves nothing cached (docs/adrs/0010-install-flow.md). This file picks the
// source; each step lives in its own file (release-install, expected-sha256, unpack-archive, read-version, …).
import { dirname, join } from 'node:path';
import type { RuntimeRef } from '../model/plan.js';
import { assembleCustom, assembleRuntime } from './assemble.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { findExecutable } from './find-executable.js';
import { RuntimeInstallError } from './install-error.js';
import { embeddedNode, givenExecutable, isExecutable, onPath, type Located } from './local-executable.js';
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
