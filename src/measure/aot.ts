// Ahead-of-time compilation (wasmtime/wasmer/wasmedge compile, wamrc for iwasm): each arm's .wasm is
// compiled a few times before the timed loop — the compile runs are timed (AOT compile time), the output's
// size is recorded (AOT size), and the timed loop then runs the compiled output (AOT execute).
// The two arms' compiles alternate, so a slow moment of the machine does not land on one arm only.
import { readdirSync, rmSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkSpec } from '../model/plan.js';
import { InputError } from '../model/input-error.js';
import type { Invocation, ResolvedRuntime } from '../runtimes/types.js';
import { classifyOutcome } from './classify-outcome.js';
import { runProcess } from './process.js';
import type { AotFigures, Command, RunFailure } from '../model/measurement.js';

/** Compile runs per arm when aot-compile is only reported; when it is gated, min-runs (3…10) of them. */
export const AOT_COMPILE_RUNS = 3;
const MAX_GATED_COMPILE_RUNS = 10;

const AOT_METRICS = ['aot-compile', 'aot-size'];

/** Whether this cell runs precompiled: the variant only exists so, the benchmark asks, or it gates an AOT metric. */
export function wantsAot(bench: BenchmarkSpec, runtime: ResolvedRuntime): boolean {
  const gated = bench.metrics.filter((m) => AOT_METRICS.includes(m));
  if (gated.length > 0 && runtime.aot === undefined) {
    throw new InputError(
      `metrics of benchmark ${bench.id}`,
      `${gated.join(', ')} needs an ahead-of-time compiler, and ${runtime.id} has none`,
      'Gate AOT metrics only on benchmarks whose runtimes compile ahead of time (wasmtime, wasmer, wasmedge, iwasm:aot, wazero): give that benchmark its own `runtimes` list.',
    );
  }
  if (runtime.aot === undefined) return false;
  return runtime.aot.required || bench.aot === true || gated.length > 0;
}

export function compileRuns(bench: BenchmarkSpec, minRuns: number): number {
  return bench.metrics.includes('aot-compile')
    ? Math.min(MAX_GATED_COMPILE_RUNS, Math.max(AOT_COMPILE_RUNS, minRuns))
    : AOT_COMPILE_RUNS;
}

/** One arm to compile: its .wasm and an empty directory for the output. */
export interface AotArm {
  arm: 'candidate' | 'baseline';
  wasm: string;
  outDir: string;
  /** the arm's own runtime build (a runtime change); default: the cell's runtime */
  runtime?: ResolvedRuntime;
}

export interface AotArmResult {
  arm: AotArm['arm'];
  figures?: AotFigures;
  /** how the timed runs invoke the compiled output */
  run?: Pick<Invocation, 'wasm' | 'precompiled' | 'codeCache'>;
  failure?: RunFailure;
}

/** Compiles every arm `runs` times (alternating arms) and measures what the last compile left in its directory. */
export async function compileArms(
  runtime: ResolvedRuntime,
  arms: readonly AotArm[],
  opts: { runs: number; env: Record<string, string>; timeoutMs: number },
): Promise<AotArmResult[]> {
  const aot = runtime.aot;
  if (!aot) throw new Error(`compileArms: ${runtime.id} has no AOT support`);
  const states = arms.map((a) => {
    mkdirSync(a.outDir, { recursive: true });
    const prepared = (a.runtime?.aot ?? aot).prepare(a.wasm, a.outDir);
    const compile: Command = { ...prepared.compile, env: { ...opts.env, ...prepared.compile.env } };
    return { arm: a, compile, run: prepared.run, times: [] as number[], failure: undefined as RunFailure | undefined };
  });
  for (let i = 0; i < opts.runs; i++) {
    const order = i % 2 === 0 ? states : [...states].reverse();
    for (const s of order.filter((x) => !x.failure)) {
      // Every compile starts from an empty directory: a compiler must not find its previous output.
      emptyDir(s.arm.outDir);
      const outcome = await runProcess(s.compile, { timeoutMs: opts.timeoutMs });
      const failure = classifyOutcome(outcome, [], opts.timeoutMs);
      if (failure)
        s.failure = { ...failure, message: `AOT compile (${s.compile.argv.join(' ')}) failed: ${failure.message}` };
      else s.times.push(outcome.wallMs);
    }
  }
  return states.map((s) =>
    s.failure
      ? { arm: s.arm.arm, failure: s.failure }
      : { arm: s.arm.arm, figures: { compileMs: s.times, sizeBytes: treeSize(s.arm.outDir) }, run: s.run },
  );
}

function emptyDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

/** Bytes of every file under `dir`: one .cwasm/.wasmu/.aot file, or wazero's whole compilation cache. */
export function treeSize(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) total += treeSize(p);
    else if (e.isFile()) total += statSync(p).size;
  }
  return total;
}

/** Sample values an arm's AOT figures contribute: compile time k to round k, the size to every compile round. */
export function aotSideValues(figures: AotFigures): Record<string, number[]> {
  return { 'aot-compile': figures.compileMs, 'aot-size': figures.compileMs.map(() => figures.sizeBytes) };
}
