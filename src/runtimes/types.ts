import type { RuntimeRef } from '../config/types.js';
import type { Command } from '../measure/types.js';

/** What to run: the module and what the guest sees. */
export interface Invocation {
  wasm: string;
  args: string[];
  env: Record<string, string>;
  /** host directory preopened for the guest */
  dir?: string;
  stdin?: string;
  cwd: string;
}

/** A runtime ready to run: installed (or embedded), its version read from its own version command. */
export interface ResolvedRuntime {
  ref: RuntimeRef;
  /** display id with the resolved version, e.g. `wasmtime:winch@48.0.0` */
  id: string;
  /** the executable (process.execPath for the embedded node) */
  exe: string;
  version: string;
  /** builds the argv for one run; pure */
  command(inv: Invocation): Command;
  /** exit codes that mean the guest trapped (134 on wasmtime and wasmedge, 1 elsewhere) */
  trapExitCodes: number[];
}
