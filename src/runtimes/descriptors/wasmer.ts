// Flags read from 6.x sources; 7.x changed preopens (unverified). Which backends the release binary
// includes varies by platform (LLVM unverified for 7.x).
import type { RuntimeDescriptor } from '../descriptor.js';
import { WASMER_CACHE, base, envPairs, refuseCache } from './run-helpers.js';

export const wasmer: RuntimeDescriptor = {
  name: 'wasmer',
  kind: 'runtime',
  summary: 'Wasmer (Cranelift, Singlepass or LLVM backend)',
  revision: 1,
  defaultVersion: '7.2.0',
  install: {
    kind: 'release',
    release: {
      owner: 'wasmerio',
      repo: 'wasmer',
      tag: 'v{V}',
      assets: {
        'linux-x64': { name: 'wasmer-linux-amd64.tar.gz', format: 'tar.gz', exe: 'bin/wasmer' },
        'linux-arm64': { name: 'wasmer-linux-aarch64.tar.gz', format: 'tar.gz', exe: 'bin/wasmer' },
        'darwin-x64': { name: 'wasmer-darwin-amd64.tar.gz', format: 'tar.gz', exe: 'bin/wasmer' },
        'darwin-arm64': { name: 'wasmer-darwin-arm64.tar.gz', format: 'tar.gz', exe: 'bin/wasmer' },
        'win32-x64': { name: 'wasmer-windows-amd64.tar.gz', format: 'tar.gz', exe: 'bin/wasmer.exe' },
      },
      sha256: {},
      // Its archives carry the LLVM backend: the largest of the registry's.
      maxDownloadMiB: 1024,
      // Checksums: no wasmer checksum file found (unverified for 7.x); verified by the GitHub release digest or a pinned sha256.
    },
  },
  exeName: 'wasmer',
  versionCommand: { args: ['--version'], pattern: /wasmer(?:-cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    cranelift: { flags: ['--cranelift'] },
    singlepass: { flags: ['--singlepass'] }, // linear-time compile
    llvm: { flags: ['--llvm'] }, // only where the release binary includes it
  },
  run: (ctx) => {
    const { inv } = ctx;
    refuseCache('wasmer', inv.codeCache, WASMER_CACHE);
    // A .wasmu artifact carries its compiler; a backend flag would only conflict.
    const argv = [ctx.exe, 'run', ...(inv.precompiled ? [] : ctx.variantFlags), ...ctx.flags];
    // --dir needs an absolute path (or "."); it is mounted at the same path in the guest.
    // `--dir .` fails in 7.4.2 ("Could not check specified current directory at '/home'"): the working
    // directory (a sightglass benchmark's own) is mounted as the guest's root, where relative paths resolve.
    if (inv.dir === '.') argv.push('--volume', `${inv.cwd}:/`);
    else if (inv.dir !== undefined) argv.push('--dir', inv.dir);
    for (const pair of envPairs(inv.env)) argv.push('--env', pair);
    const env: Record<string, string> =
      typeof inv.codeCache === 'object' ? { WASMER_CACHE_DIR: inv.codeCache.dir } : {};
    return base(ctx, [...argv, inv.wasm, ...inv.args], env);
  },
  aot: {
    outputExt: '.wasmu',
    // 7.4.2 under valgrind: "incompatible binary: Some CPU Features needed for the artifact are missing".
    hostCpu: true,
    compile: (c) => [c.exe, 'compile', ...c.variantFlags, c.wasm, '-o', c.out],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: WASMER_CACHE,
  // 7.4.2 exits 45 on a trap ("RuntimeError: unreachable" on stderr), as it would for a guest's exit(45):
  // stderr tells them apart. Load failures exit 1.
  trapExitCodes: [45],
  phasesUnavailable:
    '`wasmer run` compiles, instantiates and runs the module in one process and prints no time of each (`aot: true` times the compile as aot-compile)',
  stderrPatterns: [
    { kind: 'load', pattern: /Unable to (compile|instantiate)/ },
    { kind: 'trap', pattern: /^RuntimeError: / },
  ],
};
