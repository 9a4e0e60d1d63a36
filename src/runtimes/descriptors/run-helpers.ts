// Pure helpers the descriptors' run templates share: argv pieces and refusals of what a runtime cannot honour.
import { InputError } from '../../model/input-error.js';
import type { Command, StderrPattern } from '../../model/measurement.js';
import type { RunContext } from '../descriptor.js';
import type { CodeCacheSupport, Invocation } from '../types.js';

export const NO_CACHE: CodeCacheSupport = { onByDefault: false, canDisable: true, canRelocate: false };
export const WASMTIME_CACHE: CodeCacheSupport = { onByDefault: true, canDisable: true, canRelocate: false };
// Always on (no disable flag in the CLI read); WASMER_CACHE_DIR moves it — a fresh dir per run is a cold run.
export const WASMER_CACHE: CodeCacheSupport = { onByDefault: true, canDisable: false, canRelocate: true };
export const WAZERO_CACHE: CodeCacheSupport = { onByDefault: false, canDisable: true, canRelocate: true };

export function envPairs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

export function unsupported(runtime: string, what: string, fix: string): never {
  throw new InputError('runtimes', `${runtime} cannot ${what}`, fix);
}

export function refuseCache(runtime: string, cache: Invocation['codeCache'], support: CodeCacheSupport): void {
  if (cache === 'off' && !support.canDisable)
    unsupported(
      runtime,
      'disable its compiled-code cache',
      'Point it at a fresh empty directory instead (codeCache: { dir }).',
    );
  if (typeof cache === 'object' && !support.canRelocate)
    unsupported(runtime, 'move its compiled-code cache to a directory', "Use codeCache 'off' or the runtime default.");
}

export function refusePrecompiled(runtime: string, inv: Invocation): void {
  if (inv.precompiled) unsupported(runtime, 'run precompiled modules', 'Measure the .wasm directly.');
}

export function base(ctx: RunContext, argv: string[], env: Record<string, string> = {}): Command {
  const cmd: Command = { argv, env, cwd: ctx.inv.cwd };
  if (ctx.inv.stdinFile !== undefined) cmd.stdinFile = ctx.inv.stdinFile;
  return cmd;
}

/** What the WASI launcher prints (launchers/wasi-launcher.mjs), the same under node, bun and deno. */
export const LAUNCHER_STDERR: readonly StderrPattern[] = [
  { kind: 'trap', pattern: /^wasm trap: / },
  { kind: 'load', pattern: /^wasi-launcher: cannot load / },
  { kind: 'runtime', pattern: /^wasi-launcher: runtime error: / },
];

/** `[--dir HOST] [--env K=V]... [--timings FILE] -- MODULE ARGS...` for the JS launcher. */
export function launcherArgs(inv: Invocation): string[] {
  const out: string[] = [];
  if (inv.dir !== undefined) out.push('--dir', inv.dir);
  for (const pair of envPairs(inv.env)) out.push('--env', pair);
  if (inv.timingsFile !== undefined) out.push('--timings', inv.timingsFile);
  if (inv.invoke !== undefined)
    out.push(
      '--invoke',
      inv.invoke.name,
      '--params',
      inv.invoke.params.join(',') || '-',
      '--iterations',
      String(inv.invoke.iterations),
    );
  return [...out, '--', inv.wasm, ...inv.args];
}

export function jsRun(name: string, prefix: (ctx: RunContext) => string[], env: Record<string, string> = {}) {
  return (ctx: RunContext): Command => {
    refusePrecompiled(name, ctx.inv);
    refuseCache(name, ctx.inv.codeCache, NO_CACHE);
    return base(ctx, [...prefix(ctx), ...ctx.variantFlags, ...ctx.flags, ctx.launcher, ...launcherArgs(ctx.inv)], env);
  };
}
