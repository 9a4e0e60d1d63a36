// The installed executable's version, asked the way a measured process is run (own group, own scope, no tokens),
// and checked against what was asked for.
import { spawn, type ChildProcess } from 'node:child_process';
import { killGroup } from '../process/cancellation.js';
import { openScope } from '../process/escapees.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { errorText, RuntimeInstallError } from './install-error.js';
import type { ResolveOptions } from './resolve-options.js';
import type { InstallSource } from './types.js';
import { compareVersions } from './version.js';

const VERSION_TIMEOUT_MS = 15_000;

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

export async function readVersion(desc: RuntimeDescriptor, exe: string, known: string | undefined): Promise<string> {
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

export function checkInstalledVersion(
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
