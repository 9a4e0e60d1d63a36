// The baseline side of a runtime change (`baseline-path` / `baseline-version`): the other build of a runtime,
// checked and installed like any runtime, and both sides named by version and the sha256 of their executable.
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InputError } from '../model/input-error.js';
import type { RuntimeRef } from '../model/plan.js';
import type { RuntimeBuild } from '../model/measurement.js';
import { resolveRuntime, RuntimeInstallError, sha256File, type ResolveOptions } from './install.js';
import type { ResolvedRuntime } from './types.js';

export interface BaselineBuild {
  runtime: ResolvedRuntime;
  builds: { candidate: RuntimeBuild; baseline: RuntimeBuild };
}

/** Installs (or checks) the baseline build of `ref` and names both sides; `candidate` is `ref` resolved. */
export async function resolveBaselineBuild(
  ref: RuntimeRef,
  candidate: ResolvedRuntime,
  opts: ResolveOptions,
): Promise<BaselineBuild> {
  const side = ref.baseline;
  if (side === undefined) throw new Error(`resolveBaselineBuild: ${ref.id} has no baseline build`);
  const { baseline: _drop, sha256: _pin, ...rest } = ref;
  let runtime: ResolvedRuntime;
  if ('path' in side) {
    const exe = checkBaselinePath(ref.id, side.path);
    runtime = await resolveRuntime({ ...rest, path: exe, version: undefined }, opts);
  } else {
    try {
      runtime = await resolveRuntime({ ...rest, version: side.version, path: undefined }, opts);
    } catch (e) {
      if (!(e instanceof RuntimeInstallError)) throw e;
      throw new InputError(
        'baseline-version',
        `${ref.name} ${side.version} (the baseline side of ${ref.id}) could not be installed: ${e.message}`,
        `Check that ${ref.name} ${side.version} is released for this platform; where github.com cannot be reached, point \`runtime-mirror\` at a mirror that holds it${opts.mirror ? ` (now ${opts.mirror})` : ''}.`,
      );
    }
  }
  const [candidateSha, baselineSha] = await Promise.all([sha256File(candidate.exe), sha256File(runtime.exe)]);
  return {
    runtime,
    builds: {
      candidate: {
        label: candidateLabel(ref, candidate),
        version: candidate.version,
        sha256: candidateSha,
        from: from(ref),
      },
      baseline: {
        label: 'path' in side ? "main's build" : `${ref.name} ${runtime.version}`,
        version: runtime.version,
        sha256: baselineSha,
        from: 'path' in side ? 'path' : 'version',
      },
    },
  };
}

/** Install sources of a release installed by version (not a path, not embedded, not a custom command). */
const RELEASE_SOURCES: readonly ResolvedRuntime['installedFrom'][] = ['download', 'tool-cache', 'actions-cache'];

/**
 * An upgrade noticed without being told: the version the stored baseline measured `ref` on (`storedVersions`,
 * its cells' `runtimeVersion`), when the PR's side is a release installed by version that resolved to another
 * one and no other build was asked for. Undefined when there is nothing to notice, or the cells disagree.
 */
export function noticedUpgrade(
  ref: RuntimeRef,
  candidate: Pick<ResolvedRuntime, 'version' | 'installedFrom'>,
  storedVersions: readonly string[],
): string | undefined {
  if (ref.baseline !== undefined || ref.underTest || ref.path !== undefined || ref.version === 'path') return undefined;
  if (!RELEASE_SOURCES.includes(candidate.installedFrom)) return undefined;
  const versions = new Set(storedVersions);
  if (versions.size !== 1) return undefined;
  const [stored] = [...versions] as [string];
  // the stored document comes from a cache: only a plain version string is worth a download
  if (!/^v?\d+(\.\d+){0,3}([-+][0-9A-Za-z.-]{1,40})?$/.test(stored)) return undefined;
  return stored === candidate.version ? undefined : stored;
}

function from(ref: RuntimeRef): RuntimeBuild['from'] {
  if (ref.path !== undefined || ref.version === 'path') return 'path';
  return ref.version !== undefined ? 'version' : 'default';
}

function candidateLabel(ref: RuntimeRef, candidate: ResolvedRuntime): string {
  return from(ref) === 'path' ? "this PR's build" : `${ref.name} ${candidate.version}`;
}

/** `baseline-path` must name an executable file (relative paths are read from the working directory). */
function checkBaselinePath(id: string, path: string): string {
  const exe = isAbsolute(path) ? path : resolve(path);
  const fix =
    "Build the baseline runtime in an earlier step (e.g. check main out into base/ and build it there), and give the executable's path.";
  if (!existsSync(exe)) throw new InputError('baseline-path', `${id}: ${path} does not exist`, fix);
  if (!statSync(exe).isFile()) throw new InputError('baseline-path', `${id}: ${path} is not a file`, fix);
  try {
    accessSync(exe, constants.X_OK);
  } catch {
    throw new InputError('baseline-path', `${id}: ${path} is not executable`, `Make it executable (chmod +x ${path}).`);
  }
  return exe;
}
