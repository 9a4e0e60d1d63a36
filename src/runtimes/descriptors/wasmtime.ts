// proc_exit(n ≥ 126) is reported as exit 1. Compiled-code cache on by default (~/.cache/wasmtime);
// .cwasm files need --allow-precompiled and the same wasmtime version.
import type { RuntimeDescriptor } from '../descriptor.js';
import { WASMTIME_CACHE, base, envPairs, refuseCache } from './run-helpers.js';

export const wasmtime: RuntimeDescriptor = {
  name: 'wasmtime',
  kind: 'runtime',
  summary: 'Wasmtime (Cranelift optimizing compiler, or Winch baseline)',
  revision: 1,
  defaultVersion: '48.0.0',
  install: {
    kind: 'release',
    release: {
      owner: 'bytecodealliance',
      repo: 'wasmtime',
      tag: 'v{V}',
      assets: {
        'linux-x64': {
          name: 'wasmtime-v{V}-x86_64-linux.tar.xz',
          format: 'tar.xz',
          exe: 'wasmtime-v{V}-x86_64-linux/wasmtime',
        },
        'linux-arm64': {
          name: 'wasmtime-v{V}-aarch64-linux.tar.xz',
          format: 'tar.xz',
          exe: 'wasmtime-v{V}-aarch64-linux/wasmtime',
        },
        'darwin-x64': {
          name: 'wasmtime-v{V}-x86_64-macos.tar.xz',
          format: 'tar.xz',
          exe: 'wasmtime-v{V}-x86_64-macos/wasmtime',
        },
        'darwin-arm64': {
          name: 'wasmtime-v{V}-aarch64-macos.tar.xz',
          format: 'tar.xz',
          exe: 'wasmtime-v{V}-aarch64-macos/wasmtime',
        },
        'win32-x64': {
          name: 'wasmtime-v{V}-x86_64-windows.zip',
          format: 'zip',
          exe: 'wasmtime-v{V}-x86_64-windows/wasmtime.exe',
        },
        'win32-arm64': {
          name: 'wasmtime-v{V}-aarch64-windows.zip',
          format: 'zip',
          exe: 'wasmtime-v{V}-aarch64-windows/wasmtime.exe',
        },
      },
      sha256: {},
      // Checksums: wasmtime publishes no checksum file (only build-provenance attestations); verified by the GitHub release digest or a pinned sha256.
    },
  },
  exeName: 'wasmtime',
  versionCommand: { args: ['-V'], pattern: /wasmtime(?:-cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    cranelift: { flags: ['-C', 'compiler=cranelift'] }, // the default
    winch: { flags: ['-C', 'compiler=winch'] },
  },
  run: (ctx) => {
    const { inv } = ctx;
    refuseCache('wasmtime', inv.codeCache, WASMTIME_CACHE);
    const argv = [ctx.exe, 'run', ...ctx.variantFlags];
    if (inv.codeCache === 'off') argv.push('-C', 'cache=n');
    if (inv.precompiled) argv.push('--allow-precompiled');
    argv.push(...ctx.flags);
    if (inv.dir !== undefined) argv.push('--dir', `${inv.dir}::${inv.dir}`);
    for (const pair of envPairs(inv.env)) argv.push('--env', pair);
    return base(ctx, [...argv, inv.wasm, ...inv.args]);
  },
  aot: {
    outputExt: '.cwasm',
    // "compilation setting has_avx_vnni is enabled, but not available on the host" under valgrind (49.0.3).
    hostCpu: true,
    // compile accepts the same -C/-O/-W/-S options as run, and the .cwasm must match the run's settings.
    compile: (c) => [c.exe, 'compile', ...c.variantFlags, ...c.flags, c.wasm, '-o', c.out],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: WASMTIME_CACHE,
  trapExitCodes: [134],
  phasesUnavailable:
    '`wasmtime run` compiles, instantiates and runs the module in one process and prints no time of each (`aot: true` times the compile as aot-compile)',
  // Only load failures: a trap is already told by exit code 134. The anyhow chain's root cause comes first.
  stderrPatterns: [
    { kind: 'load', pattern: /unknown import: / },
    { kind: 'load', pattern: /failed to parse WebAssembly module|failed to compile|failed to instantiate/ },
  ],
};
