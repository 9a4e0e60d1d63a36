// The copy of a module a native runtime runs when the module marks its region (bench.start/bench.end) or is
// an exported-function kernel: rewritten once per cell and artifact (by content), with a nonce of the cell's
// own, beside the cell's other scratch files (wasm/region-rewrite.ts; measured through region-report.ts).
import { createHash, randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { relative } from 'node:path';
import type { BenchmarkSpec } from '../model/plan.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import { rewriteForRegion, WasmWalkError } from '../wasm/region-rewrite.js';

/** Whether the cell's runs need the rewrite: region or kernel on a runtime without the JS launcher. */
export function needsRegionRewrite(bench: BenchmarkSpec, runtime: ResolvedRuntime): boolean {
  return (bench.region === true || bench.kernel !== undefined) && !runtime.reportsPhases;
}

export interface RegionModules {
  nonce: string;
  /** original path → rewritten copy */
  wasms: Map<string, string>;
}

/**
 * Rewrites each distinct module (by sha-256) of the cell's arms into `scratch`; a module the rewrite cannot
 * read is a `problem` naming it (and the opcode or byte offset).
 */
export async function regionModules(
  bench: BenchmarkSpec,
  wasms: readonly string[],
  scratch: string,
  workspace: string,
): Promise<RegionModules | { problem: string }> {
  const nonce = randomBytes(16).toString('hex');
  const bySha = new Map<string, string>();
  const out = new Map<string, string>();
  for (const wasm of wasms) {
    if (out.has(wasm)) continue;
    const bytes = await readFile(wasm);
    const sha = createHash('sha256').update(bytes).digest('hex');
    let copy = bySha.get(sha);
    if (copy === undefined) {
      const rel = relative(workspace, wasm);
      const shown = rel.startsWith('..') ? wasm : rel;
      let rewritten: Uint8Array;
      try {
        rewritten = rewriteForRegion(bytes, shown, {
          nonce,
          ...(bench.kernel ? { kernel: { ...bench.kernel, args: bench.args } } : {}),
        });
      } catch (e) {
        if (e instanceof WasmWalkError)
          return { problem: `the module cannot be rewritten to measure its region: ${e.message}` };
        throw e;
      }
      copy = `${scratch}-region-${sha.slice(0, 16)}.wasm`;
      await writeFile(copy, rewritten);
      bySha.set(sha, copy);
    }
    out.set(wasm, copy);
  }
  return { nonce, wasms: out };
}
