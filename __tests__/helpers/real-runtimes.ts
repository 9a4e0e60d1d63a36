// The real wasmtime, wasmer, wasmi and wazero binaries scripts/install-real-runtimes.sh installs (issue 19):
// WPG_REAL_<NAME>=/abs/exe from the environment, else from the paths.env the script writes. In CI a missing
// binary fails (CI must show they ran); elsewhere the test is skipped with the command that installs it.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { requireTool } from './tools.js';

export type RealName = 'wasmtime' | 'wasmer' | 'wasmi' | 'wazero';
/** second, older versions of two runtimes (issue 26: runtime changes): wasmi_cli 0.32.3, wazero 1.9.0 */
export type OlderName = 'wasmi_old' | 'wazero_old';

const PATHS_ENV = join(
  process.env['WPG_REAL_RUNTIMES_DIR'] ?? join(homedir(), '.cache/wasm-perf-gate/real-runtimes'),
  'paths.env',
);

export const INSTALL_HINT = 'run scripts/install-real-runtimes.sh (CI: .ci/run does)';

function fromPathsEnv(key: string): string | undefined {
  if (!existsSync(PATHS_ENV)) return undefined;
  const line = readFileSync(PATHS_ENV, 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${key}=`));
  return line?.slice(key.length + 1).trim();
}

/** The real executable of `name`, or undefined when it is not installed here. */
export function realExe(name: RealName | OlderName): string | undefined {
  const key = `WPG_REAL_${name.toUpperCase()}`;
  const exe = process.env[key] || fromPathsEnv(key);
  return exe && existsSync(exe) ? exe : undefined;
}

/** `{ skip }` for node:test (helpers/tools.ts): skipped with the install command, a failure under CI=true. */
export function skipUnlessReal(name: RealName | OlderName): { skip: string | false } {
  return requireTool(`real-${name}`, () => realExe(name) !== undefined, {
    what: `the real ${name}`,
    get: 'bash scripts/install-real-runtimes.sh',
  });
}

/** The executable, or a failure naming what to run (the CI case). */
export function requireExe(name: RealName | OlderName): string {
  const exe = realExe(name);
  if (exe === undefined) throw new Error(`real ${name} not installed (CI=true, so this fails): ${INSTALL_HINT}`);
  return exe;
}

/** What the binary says its version is (`wasmtime 49.0.3 (f96eabaa1 2026-10-14)`), for the test log. */
export function versionLine(name: RealName | OlderName, exe: string): string {
  const args = name.startsWith('wazero') ? ['version'] : ['--version'];
  return execFileSync(exe, args, { encoding: 'utf8' }).trim().split('\n')[0]!;
}

/** The prebuilt binaries in ../shared/runtimes/linux-x64/ (its README): wasm3, WAMR's iwasm and its AOT compiler wamrc. */
export type SharedName = 'wasm3' | 'iwasm' | 'wamrc';

const SHARED_DIR = join(
  process.env['WPG_SHARED_DIR'] ?? resolve(import.meta.dirname, '../../../shared'),
  'runtimes/linux-x64',
);

/** The shared executable of `name` when it is there and runs (`--version` exits 0: wamrc needs libLLVM.so.19.1). */
export function sharedExe(name: SharedName): string | undefined {
  const exe = join(SHARED_DIR, name);
  if (!existsSync(exe)) return undefined;
  return spawnSync(exe, ['--version'], { stdio: 'ignore', timeout: 30_000 }).status === 0 ? exe : undefined;
}

/** `{ skip }` for node:test: skipped naming what is missing, a failure under CI=true. */
export function skipUnlessShared(...names: SharedName[]): { skip: string | false } {
  const missing = names.find((n) => sharedExe(n) === undefined);
  if (missing === undefined) return { skip: false };
  return requireTool(`shared-${missing}`, () => false, {
    what: `${join(SHARED_DIR, missing)} (runnable)`,
    get: `put the shared runtimes in ${SHARED_DIR} (WPG_SHARED_DIR=… elsewhere); wamrc needs apt-get install llvm-19-dev`,
  });
}

/** Every native runtime as `runtimes:` entries: the four real ones and the shared wasm3 and iwasm (issue 27). */
export function nativeRuntimes(): string {
  const real = (['wasmtime', 'wasmer', 'wasmi', 'wazero'] as const).map((n) => `${n}@${realExe(n)}`);
  const shared = (['wasm3', 'iwasm'] as const).flatMap((n) => {
    const exe = sharedExe(n);
    return exe === undefined ? [] : [`${n}@${exe}`];
  });
  return [...real, ...shared].join(', ');
}

/** `{ skip }` unless the four real runtimes and the shared wasm3 and iwasm are all there. */
export function skipUnlessNative(): { skip: string | false } {
  const real = (['wasmtime', 'wasmer', 'wasmi', 'wazero'] as const).map((n) => skipUnlessReal(n)).find((s) => s.skip);
  return real ?? skipUnlessShared('wasm3', 'iwasm');
}
