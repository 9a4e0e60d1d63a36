// No compiled-code cache unless -cachedir is given; Windows drive letters clash with -mount=HOST:GUEST.
import type { RuntimeDescriptor } from '../descriptor.js';
import { WAZERO_CACHE, base, envPairs, refuseCache, refusePrecompiled } from './run-helpers.js';

export const wazero: RuntimeDescriptor = {
  name: 'wazero',
  kind: 'runtime',
  summary: 'wazero (Go; optimizing compiler on amd64/arm64, or interpreter)',
  revision: 1,
  defaultVersion: '1.9.0',
  install: {
    kind: 'release',
    release: {
      owner: 'tetratelabs',
      repo: 'wazero',
      tag: 'v{V}',
      assets: {
        'linux-x64': { name: 'wazero_{V}_linux_amd64.tar.gz', format: 'tar.gz', exe: 'wazero' },
        'linux-arm64': { name: 'wazero_{V}_linux_arm64.tar.gz', format: 'tar.gz', exe: 'wazero' },
        'darwin-x64': { name: 'wazero_{V}_darwin_amd64.tar.gz', format: 'tar.gz', exe: 'wazero' },
        'darwin-arm64': { name: 'wazero_{V}_darwin_arm64.tar.gz', format: 'tar.gz', exe: 'wazero' },
        'win32-x64': { name: 'wazero_{V}_windows_amd64.zip', format: 'zip', exe: 'wazero.exe' },
      },
      sha256: {},
      checksumFile: 'wazero_{V}_checksums.txt',
      // Checksums: wazero_<V>_checksums.txt published in each wazero release.
    },
  },
  exeName: 'wazero',
  versionCommand: { args: ['version'], pattern: /^v?(\d+\.\d+\.\d+\S*)/m },
  variants: {
    compiler: { flags: [] }, // the default on amd64/arm64
    interpreter: { flags: ['-interpreter'], interprets: true },
  },
  run: (ctx) => {
    const { inv } = ctx;
    refusePrecompiled('wazero', inv);
    refuseCache('wazero', inv.codeCache, WAZERO_CACHE);
    // Go's flag package: every flag before the module path, -flag=value form.
    const argv = [ctx.exe, 'run', ...ctx.variantFlags];
    if (typeof inv.codeCache === 'object') argv.push(`-cachedir=${inv.codeCache.dir}`);
    argv.push(...ctx.flags);
    if (inv.dir !== undefined) argv.push(`-mount=${inv.dir}:${inv.dir}`);
    for (const pair of envPairs(inv.env)) argv.push(`-env=${pair}`);
    return base(ctx, [...argv, inv.wasm, ...inv.args]);
  },
  aot: {
    // wazero's "AOT" is a pre-filled compilation cache, reused by run -cachedir (same wazero version only).
    outputExt: '',
    compile: (c) => [c.exe, 'compile', `-cachedir=${c.outDir}`, ...c.variantFlags, c.wasm],
    run: (c) => ({ wasm: c.wasm, codeCache: { dir: c.outDir } }),
  },
  codeCache: WAZERO_CACHE,
  trapExitCodes: [1],
  phasesUnavailable:
    '`wazero run` compiles, instantiates and runs the module in one process and prints no time of each (`aot: true` times `wazero compile` as aot-compile)',
  // wazero's errors: guest traps read "wasm error: <trap>"; compile and link errors name the binary.
  stderrPatterns: [
    { kind: 'trap', pattern: /wasm error: / },
    { kind: 'load', pattern: /error (compiling|decoding) wasm binary|not instantiated|is not exported in module/ },
  ],
};
