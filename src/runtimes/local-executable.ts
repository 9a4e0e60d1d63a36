// An executable the user already has: a given path, one on PATH, or the node running the action.
import { accessSync, constants, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import type { RuntimeDescriptor } from './descriptor.js';
import { findExecutable } from './find-executable.js';
import { RuntimeInstallError } from './install-error.js';
import type { InstallSource } from './types.js';

export interface Located {
  exe: string;
  source: InstallSource;
  /** known without asking the executable (the embedded node) */
  version?: string;
}

export function embeddedNode(desc: RuntimeDescriptor, version: string | undefined): Located {
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

export function givenExecutable(runtime: string, path: string): string {
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

export async function onPath(desc: RuntimeDescriptor): Promise<string> {
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

export function isExecutable(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
