// Shared setup for the measure tests: the JS runtimes that can host the WASI launcher, fixture paths, options.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MeasureOptions } from '../../src/model/plan.js';
import { wasiLauncherPath } from '../../src/runtimes/launcher-path.js';
import { scrubEnv } from '../../src/measure/scrub-env.js';
import type { Command } from '../../src/model/measurement.js';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const exampleWasm = (name: string): string => join(repoRoot, 'examples', 'wasm', `${name}.wasm`);
export const measureFixture = (name: string): string => join(repoRoot, '__tests__', 'fixtures', 'measure', name);

export interface JsRuntime {
  name: 'node' | 'bun' | 'deno';
  exe: string;
  available: boolean;
  /** argv that runs the launcher with `launcherArgs` */
  argv(launcherArgs: string[]): string[];
}

const bun = join(repoRoot, 'node_modules', '@oven', 'bun-linux-x64', 'bin', 'bun');
const deno = join(repoRoot, 'node_modules', '@deno', 'linux-x64-glibc', 'deno');

export const jsRuntimes: JsRuntime[] = [
  {
    name: 'node',
    exe: process.execPath,
    available: true,
    argv: (a) => [process.execPath, '--no-warnings', wasiLauncherPath, ...a],
  },
  { name: 'bun', exe: bun, available: existsSync(bun), argv: (a) => [bun, wasiLauncherPath, ...a] },
  {
    name: 'deno',
    exe: deno,
    available: existsSync(deno),
    argv: (a) => [deno, 'run', '--allow-read', '--allow-write', '--no-prompt', wasiLauncherPath, ...a],
  },
];

export const nodeRuntime: JsRuntime = jsRuntimes[0]!;

/** A command with the scrubbed host env, as the real pipeline builds it. */
export function command(argv: string[], extra: Partial<Command> = {}): Command {
  return { argv, env: scrubEnv(process.env), ...extra };
}

export function measureOptions(overrides: Partial<MeasureOptions> = {}): MeasureOptions {
  return {
    engine: 'builtin',
    schedule: 'interleaved',
    warmup: 0,
    minRuns: 3,
    maxRuns: 3,
    minTimeMs: 0,
    maxTimeMs: 60_000,
    timeoutMs: 20_000,
    cache: 'warm',
    ...overrides,
  };
}
