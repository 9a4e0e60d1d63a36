// Since 0.17.0 AOT code is only used with --run-mode=aot (before: automatically). JIT and AOT need LLVM
// in the build (the ubuntu20.04 archives include it).
import type { RunContext, RuntimeDescriptor } from '../descriptor.js';
import { compareVersions } from '../version.js';
import { NO_CACHE, base, envPairs, refuseCache } from './run-helpers.js';

export const wasmedge: RuntimeDescriptor = {
  name: 'wasmedge',
  kind: 'runtime',
  summary: 'WasmEdge (interpreter by default, LLVM JIT, or AOT)',
  revision: 1,
  defaultVersion: '0.17.1',
  install: {
    kind: 'release',
    release: {
      owner: 'WasmEdge',
      repo: 'WasmEdge',
      tag: '{V}',
      assets: {
        'linux-x64': { name: 'WasmEdge-{V}-ubuntu20.04_x86_64.tar.gz', format: 'tar.gz', exe: 'bin/wasmedge' },
        'linux-arm64': { name: 'WasmEdge-{V}-ubuntu20.04_aarch64.tar.gz', format: 'tar.gz', exe: 'bin/wasmedge' },
        'darwin-x64': { name: 'WasmEdge-{V}-darwin_x86_64.tar.gz', format: 'tar.gz', exe: 'bin/wasmedge' },
        'darwin-arm64': { name: 'WasmEdge-{V}-darwin_arm64.tar.gz', format: 'tar.gz', exe: 'bin/wasmedge' },
        'win32-x64': { name: 'WasmEdge-{V}-windows.zip', format: 'zip', exe: 'bin/wasmedge.exe' },
      },
      // Before 0.15.0 the tarball had a top directory.
      exeBefore: {
        version: '0.15.0',
        exe: {
          'linux-x64': 'WasmEdge-{V}-Linux/bin/wasmedge',
          'linux-arm64': 'WasmEdge-{V}-Linux/bin/wasmedge',
          'darwin-x64': 'WasmEdge-{V}-Darwin/bin/wasmedge',
          'darwin-arm64': 'WasmEdge-{V}-Darwin/bin/wasmedge',
        },
      },
      sha256: {},
      // Checksums: WasmEdge publishes no checksum file (only an SBOM); verified by the GitHub release digest or a pinned sha256.
    },
  },
  exeName: 'wasmedge',
  versionCommand: { args: ['--version'], pattern: /version (\d+\.\d+\.\d+\S*)/ },
  variants: {
    interpreter: { flags: ['--run-mode=interpreter'] }, // the default
    jit: { flags: ['--run-mode=jit'] },
    aot: { flags: ['--run-mode=aot'], precompile: true }, // AOT-compiled with `wasmedge compile`, run with --run-mode=aot
  },
  run: (ctx) => {
    const { inv } = ctx;
    refuseCache('wasmedge', inv.codeCache, NO_CACHE);
    const argv = [ctx.exe, ...wasmedgeModeFlags(ctx), ...ctx.flags];
    // --dir GUEST:HOST — guest first, the opposite of wasmtime.
    if (inv.dir !== undefined) argv.push('--dir', `${inv.dir}:${inv.dir}`);
    for (const pair of envPairs(inv.env)) argv.push('--env', pair);
    return base(ctx, [...argv, inv.wasm, ...inv.args]);
  },
  aot: {
    outputExt: '.aot.wasm',
    compile: (c) => [c.exe, 'compile', c.wasm, c.out],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: NO_CACHE,
  trapExitCodes: [134],
  phasesUnavailable:
    'the wasmedge CLI loads, instantiates and runs the module in one process and prints no time of each (`wasmedge:aot` times the compile as aot-compile)',
};

/** --run-mode exists from 0.17.0; older releases had --enable-jit / --force-interpreter and used AOT sections automatically. */
function wasmedgeModeFlags(ctx: RunContext): string[] {
  const modern = compareVersions(ctx.version, '0.17.0') >= 0;
  if (ctx.inv.precompiled) return modern ? ['--run-mode=aot'] : [];
  if (modern) return [...ctx.variantFlags];
  if (ctx.variant === 'jit') return ['--enable-jit'];
  if (ctx.variant === 'interpreter') return ['--force-interpreter'];
  return [];
}
