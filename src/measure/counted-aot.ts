// Counting an AOT cell whose output is tied to the host CPU. wasmtime's .cwasm records the CPU features it was
// compiled for and refuses to load where one is missing ("compilation setting has_avx_vnni is enabled, but not
// available on the host"): valgrind's emulated CPU lacks several, so the output the timed runs ran cannot be
// counted under cachegrind. The counted runs get an output of their own, compiled under valgrind (--tool=none:
// no instrumentation), that is for the CPU valgrind shows — what a JIT runtime compiles for when counted.
import type { AotSupport, ResolvedRuntime } from '../runtimes/types.js';
import { compileArms } from './aot.js';
import { prepareArm, type ArmName, type ArmSetup, type PreparedArm } from './prepare-arm.js';

/** The same runtime, its AOT compiler started under valgrind. */
function compilingUnderValgrind(runtime: ResolvedRuntime, aot: AotSupport, valgrind: string): ResolvedRuntime {
  const wrap = ['--tool=none', '--log-file=/dev/null', '--'];
  const prepare: AotSupport['prepare'] = (wasm, outDir) => {
    const p = aot.prepare(wasm, outDir);
    return { ...p, compile: { ...p.compile, argv: [valgrind, ...wrap, ...p.compile.argv] } };
  };
  return { ...runtime, aot: { ...aot, prepare } };
}

/** Whether the counted runs need their own output: cachegrind counts, and the output checks the host CPU. */
export function needsCountedOutput(runtime: ResolvedRuntime, source: string): boolean {
  return source === 'cachegrind' && runtime.aot?.hostCpu === true;
}

/** The arms to count, each running an output compiled under valgrind; an arm whose compile failed says why in `notes`. */
export async function armsCompiledUnderValgrind(
  setup: ArmSetup,
  wasms: readonly { name: ArmName; wasm: string }[],
  opts: { valgrind: string; env: Record<string, string>; timeoutMs: number; notes: string[] },
): Promise<PreparedArm[]> {
  const aot = setup.runtime.aot;
  if (!aot) return [];
  const runtime = compilingUnderValgrind(setup.runtime, aot, opts.valgrind);
  const arms = wasms.map((w) => ({ arm: w.name, wasm: w.wasm, outDir: `${setup.scratch}-counted-aot-${w.name}` }));
  const results = await compileArms(runtime, arms, { runs: 1, env: opts.env, timeoutMs: opts.timeoutMs });
  opts.notes.push(
    `${setup.runtime.id}'s compiled output only loads on the CPU it was compiled for: the counted runs ran an output compiled under valgrind`,
  );
  return results.flatMap((r) => {
    if (r.run) return [prepareArm(setup, r.arm, r.run)];
    opts.notes.push(`${r.arm} instructions: ${r.failure?.message ?? 'no compiled output'}`);
    return [];
  });
}
