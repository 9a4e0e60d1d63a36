// Traps print on stdout and exit 1. Release binaries are x86_64 only; the 64 KB aux stack needs
// --stack-size=N for deep recursion; SIMD only with llvm-jit and AOT.
import type { RuntimeDescriptor } from '../descriptor.js';
import { wamrRelease } from './wamr-release.js';
import { NO_CACHE, base, envPairs, refuseCache } from './run-helpers.js';

export const iwasm: RuntimeDescriptor = {
  name: 'iwasm',
  kind: 'runtime',
  summary: 'WAMR iwasm (classic interpreter, fast JIT, LLVM JIT, multi-tier, or AOT via wamrc)',
  revision: 1,
  defaultVersion: '2.4.5',
  install: { kind: 'release', release: wamrRelease('iwasm') },
  exeName: 'iwasm',
  versionCommand: { args: ['--version'], pattern: /iwasm (\d+\.\d+\.\d+\S*)/ },
  variants: {
    interpreter: { flags: ['--interp'] }, // classic interpreter (the release build has no fast interpreter)
    'fast-jit': { flags: ['--fast-jit'] },
    'llvm-jit': { flags: ['--llvm-jit'] },
    'multi-tier': { flags: ['--multi-tier-jit'] }, // Fast JIT tiering up to LLVM JIT (the release default)
    aot: { flags: [], precompile: true }, // AOT-compiled with wamrc of the same release
  },
  run: (ctx) => {
    const { inv } = ctx;
    refuseCache('iwasm', inv.codeCache, NO_CACHE);
    // A .aot file is recognised by content; running-mode flags only apply to bytecode.
    const argv = [ctx.exe, ...(inv.precompiled ? [] : ctx.variantFlags), ...ctx.flags];
    if (inv.dir !== undefined) argv.push(`--dir=${inv.dir}`);
    for (const pair of envPairs(inv.env)) argv.push(`--env=${pair}`);
    return base(ctx, [...argv, inv.wasm, ...inv.args]);
  },
  aot: {
    outputExt: '.aot',
    tool: 'wamrc',
    compile: (c) => [c.exe, '-o', c.out, c.wasm],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: NO_CACHE,
  trapExitCodes: [1],
  phasesUnavailable:
    'iwasm loads, instantiates and runs the module in one process and prints no time of each (`iwasm:aot` times wamrc as aot-compile)',
};
