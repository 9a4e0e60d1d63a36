import type { RuntimeRef } from '../model/plan.js';
import type { Command, StderrPattern } from '../model/measurement.js';

/** What to run: the module and what the guest sees. */
export interface Invocation {
  wasm: string;
  args: string[];
  env: Record<string, string>;
  /** host directory preopened for the guest (same path inside) */
  dir?: string;
  /** a regular file fed to the guest as standard input */
  stdinFile?: string;
  cwd: string;
  /** the module is the output of `aot.prepare` (wasmtime needs --allow-precompiled, wasmedge --run-mode=aot) */
  precompiled?: boolean;
  /**
   * The runtime's compiled-code cache: 'off' disables it, `{ dir }` points it at a directory
   * (cold runs: a fresh empty dir each run; warm runs: one dir reused). Undefined: the runtime's default.
   * Only honoured where `ResolvedRuntime.codeCache` says so; otherwise `command()` throws.
   */
  codeCache?: 'off' | { dir: string };
  /** where the node/bun/deno launcher writes compile/instantiate/execute phases (ignored unless `reportsPhases`) */
  timingsFile?: string;
  /** an exported-function kernel: call `name` with `args` (typed by `params`) `iterations` times instead of `_start` */
  invoke?: { name: string; params: string[]; iterations: number };
}

/** How a runtime keeps compiled code between runs (what makes "cold" and "warm" differ). */
export interface CodeCacheSupport {
  /** runs share a persistent on-disk cache when nothing is said */
  onByDefault: boolean;
  /** `Invocation.codeCache = 'off'` is honoured */
  canDisable: boolean;
  /** `Invocation.codeCache = { dir }` is honoured */
  canRelocate: boolean;
}

/** Ahead-of-time compilation: compile once (not measured), then run the output like a module. */
export interface AotSupport {
  /** extension of the compiled output (`.cwasm`, `.wasmu`, `.aot`, …) */
  outputExt: string;
  /** true for variants that only exist precompiled (wasmedge:aot, iwasm:aot): measure must prepare first */
  required: boolean;
  /** the output only loads on a CPU with the compiling host's features (see AotSpec.hostCpu) */
  hostCpu: boolean;
  /** the compile command for `wasm` into `outDir`, and how the invocation changes to run the output */
  prepare(
    wasm: string,
    outDir: string,
  ): { compile: Command; run: Pick<Invocation, 'wasm' | 'precompiled' | 'codeCache'> };
}

/** Where the executable came from (logged; tests assert it). */
export type InstallSource = 'embedded' | 'path' | 'tool-cache' | 'actions-cache' | 'download' | 'custom';

/** A runtime ready to run: installed (or embedded), its version read from its own version command. */
export interface ResolvedRuntime {
  ref: RuntimeRef;
  /** display id with the resolved version, e.g. `wasmtime:winch@48.0.0` */
  id: string;
  /** the executable (process.execPath for the embedded node) */
  exe: string;
  version: string;
  installedFrom: InstallSource;
  /** builds the argv for one run; pure. Throws InputError when the runtime cannot honour the invocation (e.g. env on wasm3). */
  command(inv: Invocation): Command;
  /** exit codes that mean the guest trapped (134 on wasmtime, wasmedge and the JS launcher; 1 elsewhere) */
  trapExitCodes: number[];
  /** stderr lines that tell a trap from a load failure or a runtime error (see measure/classify-outcome.ts) */
  stderrPatterns?: readonly StderrPattern[];
  codeCache: CodeCacheSupport;
  /** present when the runtime (and, for iwasm, its compiler wamrc) can compile ahead of time */
  aot?: AotSupport;
  /** the JS launcher writes `Invocation.timingsFile` */
  reportsPhases: boolean;
  /** why it cannot (completes "not available on RUNTIME because …"; from the descriptor) */
  phasesUnavailable?: string;
}

/** A helper program (hyperfine for the hyperfine engine, wamrc for iwasm AOT). */
export interface ResolvedTool {
  name: string;
  exe: string;
  version: string;
  installedFrom: InstallSource;
}
