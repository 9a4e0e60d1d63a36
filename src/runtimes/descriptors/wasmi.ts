// Release binaries exist from the v2.0.0 betas (`full` has WASI); v1.x only via `cargo install wasmi_cli`
// (binary `wasmi_cli`, use `path`).
import type { RuntimeDescriptor } from '../descriptor.js';
import { compareVersions } from '../version.js';
import { NO_CACHE, base, envPairs, refuseCache, refusePrecompiled, unsupported } from './run-helpers.js';

export const wasmi: RuntimeDescriptor = {
  name: 'wasmi',
  kind: 'runtime',
  summary: 'Wasmi register-based interpreter',
  revision: 1,
  defaultVersion: '2.0.0-beta.9',
  install: {
    kind: 'release',
    release: {
      owner: 'wasmi-labs',
      repo: 'wasmi',
      tag: 'v{V}',
      assets: {
        'linux-x64': {
          name: 'wasmi-{TAG}-x86_64-linux-full.tar.xz',
          format: 'tar.xz',
          exe: 'wasmi-{TAG}-x86_64-linux-full/wasmi',
        },
        'linux-arm64': {
          name: 'wasmi-{TAG}-aarch64-linux-full.tar.xz',
          format: 'tar.xz',
          exe: 'wasmi-{TAG}-aarch64-linux-full/wasmi',
        },
        'darwin-x64': {
          name: 'wasmi-{TAG}-x86_64-macos-full.tar.xz',
          format: 'tar.xz',
          exe: 'wasmi-{TAG}-x86_64-macos-full/wasmi',
        },
        'darwin-arm64': {
          name: 'wasmi-{TAG}-aarch64-macos-full.tar.xz',
          format: 'tar.xz',
          exe: 'wasmi-{TAG}-aarch64-macos-full/wasmi',
        },
        'win32-x64': {
          name: 'wasmi-{TAG}-x86_64-windows-full.zip',
          format: 'zip',
          exe: 'wasmi-{TAG}-x86_64-windows-full/wasmi.exe',
        },
      },
      sha256: {},
      checksumFile: 'wasmi-{TAG}-SHA256SUMS',
      // Checksums: wasmi-<TAG>-SHA256SUMS published in each wasmi release (v2 betas; v1.x has no binaries).
    },
  },
  exeName: 'wasmi',
  versionCommand: { args: ['--version'], pattern: /wasmi(?:_cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    eager: { flags: ['--compilation-mode', 'eager'] }, // translate every function up front
    lazy: { flags: ['--compilation-mode', 'lazy'] }, // translate and validate on first call
    'lazy-translation': { flags: ['--compilation-mode', 'lazy-translation'] }, // validate eagerly, translate on first call (the default)
  },
  run: (ctx) => {
    const { inv } = ctx;
    refusePrecompiled('wasmi', inv);
    refuseCache('wasmi', inv.codeCache, NO_CACHE);
    const empty = Object.entries(inv.env).filter(([, v]) => v === '');
    if (empty.length > 0) {
      unsupported(
        'wasmi',
        `pass an empty environment value (${empty.map(([k]) => k).join(', ')}): its --env rejects NAME=`,
        'Give the variable a value or measure this benchmark on another runtime.',
      );
    }
    // The module path is a trailing var-arg: every option must come before it. v2 has a `run` subcommand.
    const argv = [
      ctx.exe,
      ...(compareVersions(ctx.version, '2.0.0-0') >= 0 ? ['run'] : []),
      ...ctx.variantFlags,
      ...ctx.flags,
    ];
    if (inv.dir !== undefined) argv.push('--dir', inv.dir);
    for (const pair of envPairs(inv.env)) argv.push('--env', pair);
    return base(ctx, [...argv, inv.wasm, ...inv.args]);
  },
  codeCache: NO_CACHE,
  trapExitCodes: [1],
  phasesUnavailable:
    'wasmi translates functions lazily by default, while the program executes, and its CLI prints no time of each step',
  // wasmi 2.0.0 exits 1 for a trap, a load failure and a guest's exit(1) alike: stderr tells them apart.
  // Validation errors end in wasmparser's "(at offset 0x…)" — under lazy compilation they surface only when
  // the function is first called ("failed during execution of _start: type mismatch … (at offset 0x3)").
  stderrPatterns: [
    {
      kind: 'load',
      pattern:
        /failed to compile Wasm module|failed to populate WASI externals|could not find exported WASI entry point|\(at offset 0x[0-9a-f]+\)$/,
    },
    { kind: 'trap', pattern: /failed during execution of / },
  ],
};
