// v0.5.0 (2021) is the last release: no bulk-memory/reference-types, no env or preopen control;
// binaries for linux-x64 (static) and windows only.
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE, base, refuseCache, refusePrecompiled, unsupported } from './run-helpers.js';

export const wasm3: RuntimeDescriptor = {
  name: 'wasm3',
  kind: 'runtime',
  summary: 'wasm3 interpreter',
  revision: 1,
  defaultVersion: '0.5.0',
  install: {
    kind: 'release',
    release: {
      owner: 'wasm3',
      repo: 'wasm3',
      tag: 'v{V}',
      assets: {
        'linux-x64': { name: 'wasm3-linux-x64.elf', format: 'raw', exe: 'wasm3' },
        'win32-x64': { name: 'wasm3-win-x64.exe', format: 'raw', exe: 'wasm3.exe' },
      },
      sha256: {},
      // Checksums: wasm3 publishes no checksum file; verified by the GitHub release digest or a pinned sha256.
    },
  },
  exeName: 'wasm3',
  versionCommand: { args: ['--version'], pattern: /Wasm3 v(\d+\.\d+\.\d+\S*)/i },
  variants: {},
  run: (ctx) => {
    const { inv } = ctx;
    refusePrecompiled('wasm3', inv);
    refuseCache('wasm3', inv.codeCache, NO_CACHE);
    const envNames = Object.keys(inv.env);
    if (envNames.length > 0) {
      unsupported(
        'wasm3',
        `pass environment variables to the guest (the benchmark sets ${envNames.join(', ')}): its WASI environment is fixed`,
        'Remove `env` from this benchmark or measure it on another runtime.',
      );
    }
    // `.` is the working directory, which wasm3 always shows (as /): a sightglass benchmark reads its inputs so.
    if (inv.dir !== undefined && inv.dir !== '.') {
      unsupported(
        'wasm3',
        `preopen ${inv.dir}: --dir is ignored and only the working directory is visible (as /)`,
        'Remove `dir` from this benchmark or measure it on another runtime.',
      );
    }
    return base(ctx, [ctx.exe, ...ctx.flags, inv.wasm, ...inv.args]);
  },
  codeCache: NO_CACHE,
  trapExitCodes: [1],
  phasesUnavailable:
    'wasm3 compiles each function lazily, on its first call, while the program executes: there is no compile step to time apart',
  // Its error strings (source/m3_exception.h): "[trap] …" is the guest; compile limits are wasm3's own.
  stderrPatterns: [
    { kind: 'trap', pattern: /^Error: \[trap\]/ },
    { kind: 'load', pattern: /missing imported function|unknown import|function lookup failed|while parsing/ },
    { kind: 'load', pattern: /^Error: (malformed|unknown (section|value_type)|incompatible Wasm binary)/ },
    // An opcode wasm3 lacks (SIMD: "opcode 'fd' not available", in sightglass's libsodium) is a valid module this
    // runtime cannot run, not one to rebuild as a command; so are its compiler's own limits.
    {
      kind: 'runtime',
      pattern: /^Error: (unknown opcode|compiling function|no compiler found|memory allocation failed|\[Fatal\])/,
    },
  ],
};
