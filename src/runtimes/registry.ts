// Every runtime is one data descriptor: where its release lives, how the archive is laid out, how to
// verify it, how to ask its version, and how to turn an Invocation into argv. install.ts reads these;
// nothing here does I/O. Facts come from /work/shared/reference/runtimes.md (source lines cited there);
// "unverified" marks what could not be confirmed from the runtime's own repository.
import type { Command } from '../measure/types.js';
import { InputError } from '../config/input-error.js';
import type { CodeCacheSupport, Invocation } from './types.js';

export type Os = 'linux' | 'darwin' | 'win32';
export type Arch = 'x64' | 'arm64';
export type Platform = `${Os}-${Arch}`;
export type ArchiveFormat = 'tar.gz' | 'tar.xz' | 'zip' | 'raw';

/** One release file. Templates: `{V}` version without `v`, `{TAG}` the git tag. */
export interface AssetSpec {
  name: string;
  format: ArchiveFormat;
  /** executable inside the archive (for `raw`: the name the file is stored under) */
  exe: string;
}

/** sha256 (lowercase hex) per version, per asset file name. */
export type ChecksumMap = Readonly<Record<string, Readonly<Record<string, string>>>>;

export interface ReleaseSource {
  owner: string;
  repo: string;
  /** git tag template, e.g. `v{V}`, `bun-v{V}`, `WAMR-{V}` */
  tag: string;
  assets: Readonly<Partial<Record<Platform, AssetSpec>>>;
  /** exe path for versions before a layout change (wasmedge < 0.15 had a top directory) */
  exeBefore?: { version: string; exe: Readonly<Partial<Record<Platform, string>>> };
  /** pinned sha256 values; checked first */
  sha256: ChecksumMap;
  /** sha256sum-format file the project publishes in each release; `{ASSET}` = the asset name */
  checksumFile?: string;
  /** where the checksums come from, shown in errors */
  checksumNote: string;
}

export interface VariantSpec {
  summary: string;
  /** flags placed before the user's flags and the module */
  flags: readonly string[];
  /** the variant only exists precompiled (measure must run `aot.prepare` first) */
  precompile?: boolean;
}

/** What a run template sees. */
export interface RunContext {
  exe: string;
  version: string;
  variant?: string;
  variantFlags: readonly string[];
  /** user flags, placed before the module path */
  flags: readonly string[];
  inv: Invocation;
  /** the WASI launcher for node/bun/deno */
  launcher: string;
}

export interface AotSpec {
  outputExt: string;
  /** another registry entry that does the compiling (iwasm → wamrc); default: the runtime itself */
  tool?: string;
  /** argv (exe = the compiler) */
  compile(c: {
    exe: string;
    variantFlags: readonly string[];
    flags: readonly string[];
    wasm: string;
    out: string;
    outDir: string;
  }): string[];
  /** how the run changes once compiled */
  run(c: { wasm: string; out: string; outDir: string }): Pick<Invocation, 'wasm' | 'precompiled' | 'codeCache'>;
}

export type InstallSpec = { kind: 'embedded' } | { kind: 'release'; release: ReleaseSource } | { kind: 'command' };

export interface RuntimeDescriptor {
  name: string;
  /** `tool`s are installed the same way but are not runtimes (hyperfine, wamrc) */
  kind: 'runtime' | 'tool';
  summary: string;
  /** bump when install layout or cache contents change: part of the Actions cache key */
  revision: number;
  /** pinned default version ('' for the embedded node: the running node) */
  defaultVersion: string;
  minVersion?: { version: string; reason: string };
  install: InstallSpec;
  /** executable name looked up on PATH for `name@path` */
  exeName: string;
  versionCommand: { args: readonly string[]; pattern: RegExp };
  variants: Readonly<Record<string, VariantSpec>>;
  /** what the runtime does when no variant is given */
  defaultVariantNote?: string;
  run?: (ctx: RunContext) => Command;
  aot?: AotSpec;
  codeCache: CodeCacheSupport;
  trapExitCodes: readonly number[];
  notes: readonly string[];
}

// ---------- small pure helpers shared by the templates ----------

const NO_CACHE: CodeCacheSupport = { onByDefault: false, canDisable: true, canRelocate: false };
const WASMTIME_CACHE: CodeCacheSupport = { onByDefault: true, canDisable: true, canRelocate: false };
// Always on (no disable flag in the CLI read); WASMER_CACHE_DIR moves it — a fresh dir per run is a cold run.
const WASMER_CACHE: CodeCacheSupport = { onByDefault: true, canDisable: false, canRelocate: true };
const WAZERO_CACHE: CodeCacheSupport = { onByDefault: false, canDisable: true, canRelocate: true };

function envPairs(env: Record<string, string>): string[] {
  return Object.entries(env).map(([k, v]) => `${k}=${v}`);
}

/** Numeric compare of `x.y.z[-pre]`; a prerelease sorts before its release. */
export function compareVersions(a: string, b: string): number {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { nums: core.split('.').map((n) => Number.parseInt(n, 10) || 0), pre };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) {
    const d = (x.nums[i] ?? 0) - (y.nums[i] ?? 0);
    if (d !== 0) return d;
  }
  if (x.pre === y.pre) return 0;
  if (x.pre === undefined) return 1;
  if (y.pre === undefined) return -1;
  return x.pre.localeCompare(y.pre, 'en', { numeric: true });
}

function unsupported(runtime: string, what: string, fix: string): never {
  throw new InputError('runtimes', `${runtime} cannot ${what}`, fix);
}

function refuseCache(runtime: string, cache: Invocation['codeCache'], support: CodeCacheSupport): void {
  if (cache === 'off' && !support.canDisable)
    unsupported(
      runtime,
      'disable its compiled-code cache',
      'Point it at a fresh empty directory instead (codeCache: { dir }).',
    );
  if (typeof cache === 'object' && !support.canRelocate)
    unsupported(runtime, 'move its compiled-code cache to a directory', "Use codeCache 'off' or the runtime default.");
}

function refusePrecompiled(runtime: string, inv: Invocation): void {
  if (inv.precompiled) unsupported(runtime, 'run precompiled modules', 'Measure the .wasm directly.');
}

function base(ctx: RunContext, argv: string[], env: Record<string, string> = {}): Command {
  const cmd: Command = { argv, env, cwd: ctx.inv.cwd };
  if (ctx.inv.stdin !== undefined) cmd.stdin = ctx.inv.stdin;
  return cmd;
}

/** `[--dir HOST] [--env K=V]... [--timings FILE] -- MODULE ARGS...` for the JS launcher. */
function launcherArgs(inv: Invocation): string[] {
  const out: string[] = [];
  if (inv.dir !== undefined) out.push('--dir', inv.dir);
  for (const pair of envPairs(inv.env)) out.push('--env', pair);
  if (inv.timingsFile !== undefined) out.push('--timings', inv.timingsFile);
  return [...out, '--', inv.wasm, ...inv.args];
}

function jsRun(name: string, prefix: (ctx: RunContext) => string[], env: Record<string, string> = {}) {
  return (ctx: RunContext): Command => {
    refusePrecompiled(name, ctx.inv);
    refuseCache(name, ctx.inv.codeCache, NO_CACHE);
    return base(ctx, [...prefix(ctx), ...ctx.variantFlags, ...ctx.flags, ctx.launcher, ...launcherArgs(ctx.inv)], env);
  };
}

// ---------- descriptors ----------

const node: RuntimeDescriptor = {
  name: 'node',
  kind: 'runtime',
  summary: 'Node.js (V8) through node:wasi: the node running this action, no download',
  revision: 1,
  defaultVersion: '',
  install: { kind: 'embedded' },
  exeName: 'node',
  versionCommand: { args: ['--version'], pattern: /v(\d+\.\d+\.\d+\S*)/ },
  variants: {},
  // --no-warnings: node:wasi prints an ExperimentalWarning on every start, which would land in measured stderr.
  run: (ctx) => jsRun('node', (c) => [c.exe, '--no-warnings'])(ctx),
  codeCache: NO_CACHE,
  trapExitCodes: [134],
  notes: [
    'Embedded: runs on the node executing the action (process.execPath). Another version: install it with actions/setup-node in an earlier step and use `node@path`.',
    'V8 flags (e.g. --liftoff --no-wasm-tier-up) go in `flags`; they are placed before the launcher.',
  ],
};

const bun: RuntimeDescriptor = {
  name: 'bun',
  kind: 'runtime',
  summary: 'Bun (JavaScriptCore) through its node:wasi polyfill',
  revision: 1,
  defaultVersion: '1.4.5',
  install: {
    kind: 'release',
    release: {
      owner: 'oven-sh',
      repo: 'bun',
      tag: 'bun-v{V}',
      assets: {
        'linux-x64': { name: 'bun-linux-x64.zip', format: 'zip', exe: 'bun-linux-x64/bun' },
        'linux-arm64': { name: 'bun-linux-aarch64.zip', format: 'zip', exe: 'bun-linux-aarch64/bun' },
        'darwin-x64': { name: 'bun-darwin-x64.zip', format: 'zip', exe: 'bun-darwin-x64/bun' },
        'darwin-arm64': { name: 'bun-darwin-aarch64.zip', format: 'zip', exe: 'bun-darwin-aarch64/bun' },
        'win32-x64': { name: 'bun-windows-x64.zip', format: 'zip', exe: 'bun-windows-x64/bun.exe' },
      },
      sha256: {},
      checksumFile: 'SHASUMS256.txt',
      checksumNote: 'SHASUMS256.txt published in each bun release (packages/bun-release/scripts/upload-assets.ts)',
    },
  },
  exeName: 'bun',
  versionCommand: { args: ['--version'], pattern: /^v?(\d+\.\d+\.\d+\S*)/m },
  variants: {},
  run: (ctx) => jsRun('bun', (c) => [c.exe])(ctx),
  codeCache: NO_CACHE,
  trapExitCodes: [134],
  notes: [
    "node:wasi in bun is a JS polyfill ('partially implemented'); proc_exit exits the process at once.",
    'bun-linux-x64 needs AVX2; CPUs without it need the -baseline build (not selected automatically).',
  ],
};

const deno: RuntimeDescriptor = {
  name: 'deno',
  kind: 'runtime',
  summary: 'Deno (V8) through node:wasi (real implementation since 2.8.0)',
  revision: 1,
  defaultVersion: '2.9.6',
  minVersion: { version: '2.8.0', reason: 'node:wasi is a stub that throws before deno 2.8.0' },
  install: {
    kind: 'release',
    release: {
      owner: 'denoland',
      repo: 'deno',
      tag: 'v{V}',
      assets: {
        'linux-x64': { name: 'deno-x86_64-unknown-linux-gnu.zip', format: 'zip', exe: 'deno' },
        'linux-arm64': { name: 'deno-aarch64-unknown-linux-gnu.zip', format: 'zip', exe: 'deno' },
        'darwin-x64': { name: 'deno-x86_64-apple-darwin.zip', format: 'zip', exe: 'deno' },
        'darwin-arm64': { name: 'deno-aarch64-apple-darwin.zip', format: 'zip', exe: 'deno' },
        'win32-x64': { name: 'deno-x86_64-pc-windows-msvc.zip', format: 'zip', exe: 'deno.exe' },
      },
      sha256: {},
      checksumFile: '{ASSET}.sha256sum',
      checksumNote: '<asset>.sha256sum published beside each deno release zip',
    },
  },
  exeName: 'deno',
  versionCommand: { args: ['--version'], pattern: /deno (\d+\.\d+\.\d+\S*)/ },
  variants: {},
  // Preopens are checked for read AND write permission by deno's node:wasi; --timings writes a file.
  // --no-config/--no-lock: the workspace's deno.json or lock file must not change what is measured.
  run: (ctx) =>
    jsRun('deno', (c) => [c.exe, 'run', '--no-prompt', '--no-config', '--no-lock', '--allow-read', '--allow-write'], {
      DENO_NO_UPDATE_CHECK: '1',
    })(ctx),
  codeCache: NO_CACHE,
  trapExitCodes: [134],
  notes: [
    'Needs --allow-read and --allow-write (preopens are checked for both); no --allow-env: the guest env is passed by the launcher.',
  ],
};

const wasmtime: RuntimeDescriptor = {
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
      checksumNote:
        'wasmtime publishes no checksum file (only build-provenance attestations); pin sha256 here or rely on the GitHub release digest',
    },
  },
  exeName: 'wasmtime',
  versionCommand: { args: ['-V'], pattern: /wasmtime(?:-cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    cranelift: { summary: 'Cranelift optimizing compiler (default)', flags: ['-C', 'compiler=cranelift'] },
    winch: { summary: 'Winch baseline compiler', flags: ['-C', 'compiler=winch'] },
  },
  defaultVariantNote: 'cranelift',
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
    // compile accepts the same -C/-O/-W/-S options as run, and the .cwasm must match the run's settings.
    compile: (c) => [c.exe, 'compile', ...c.variantFlags, ...c.flags, c.wasm, '-o', c.out],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: WASMTIME_CACHE,
  trapExitCodes: [134],
  notes: [
    'proc_exit(n) with n >= 126 is reported as an error (exit 1).',
    'The compiled-code cache is on by default (~/.cache/wasmtime); codeCache "off" passes -C cache=n.',
    'Precompiled .cwasm files run with --allow-precompiled and must come from the same wasmtime version.',
  ],
};

const wasmer: RuntimeDescriptor = {
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
      checksumNote:
        'no wasmer checksum file found (unverified for 7.x); pin sha256 here or rely on the GitHub release digest',
    },
  },
  exeName: 'wasmer',
  versionCommand: { args: ['--version'], pattern: /wasmer(?:-cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    cranelift: { summary: 'Cranelift compiler', flags: ['--cranelift'] },
    singlepass: { summary: 'Singlepass (linear-time) compiler', flags: ['--singlepass'] },
    llvm: { summary: 'LLVM compiler (only where the release binary includes it)', flags: ['--llvm'] },
  },
  defaultVariantNote: 'the first backend built in, usually cranelift',
  run: (ctx) => {
    const { inv } = ctx;
    refuseCache('wasmer', inv.codeCache, WASMER_CACHE);
    // A .wasmu artifact carries its compiler; a backend flag would only conflict.
    const argv = [ctx.exe, 'run', ...(inv.precompiled ? [] : ctx.variantFlags), ...ctx.flags];
    // --dir needs an absolute path (or "."); it is mounted at the same path in the guest.
    if (inv.dir !== undefined) argv.push('--dir', inv.dir);
    for (const pair of envPairs(inv.env)) argv.push('--env', pair);
    const env: Record<string, string> =
      typeof inv.codeCache === 'object' ? { WASMER_CACHE_DIR: inv.codeCache.dir } : {};
    return base(ctx, [...argv, inv.wasm, ...inv.args], env);
  },
  aot: {
    outputExt: '.wasmu',
    compile: (c) => [c.exe, 'compile', ...c.variantFlags, c.wasm, '-o', c.out],
    run: (c) => ({ wasm: c.out, precompiled: true }),
  },
  codeCache: WASMER_CACHE,
  trapExitCodes: [1],
  notes: [
    'Flags read from 6.x sources; 7.x changed preopen behaviour (unverified): check --dir on the installed version.',
    'Which backends are in the release binary varies by platform (LLVM: unverified for 7.x).',
  ],
};

const wasmedge: RuntimeDescriptor = {
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
      checksumNote:
        'WasmEdge publishes no checksum file (only an SBOM); pin sha256 here or rely on the GitHub release digest',
    },
  },
  exeName: 'wasmedge',
  versionCommand: { args: ['--version'], pattern: /version (\d+\.\d+\.\d+\S*)/ },
  variants: {
    interpreter: { summary: 'interpreter (the default)', flags: ['--run-mode=interpreter'] },
    jit: { summary: 'LLVM JIT (O1)', flags: ['--run-mode=jit'] },
    aot: {
      summary: 'AOT-compiled with `wasmedge compile`, run with --run-mode=aot',
      flags: ['--run-mode=aot'],
      precompile: true,
    },
  },
  defaultVariantNote: 'interpreter',
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
  notes: [
    'Since 0.17.0 AOT code is only used with --run-mode=aot; before, with --enable-jit/--force-interpreter flags and automatically.',
    'JIT and AOT need LLVM in the build (the ubuntu20.04 archives include it; unverified for every platform).',
  ],
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

const wasm3: RuntimeDescriptor = {
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
      checksumNote: 'wasm3 publishes no checksum file; pin sha256 here or rely on the GitHub release digest',
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
    if (inv.dir !== undefined) {
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
  notes: [
    'v0.5.0 (2021) is the last release: no bulk-memory/reference-types; modules from recent toolchains may not load.',
    'Release binaries: linux-x64 (static) and windows only; no env or preopen control.',
  ],
};

const wamrRelease = (tool: 'iwasm' | 'wamrc'): ReleaseSource => ({
  owner: 'bytecodealliance',
  repo: 'wasm-micro-runtime',
  tag: 'WAMR-{V}',
  assets: {
    'linux-x64': { name: `${tool}-{V}-x86_64-ubuntu-22.04.tar.gz`, format: 'tar.gz', exe: tool },
    'darwin-x64': { name: `${tool}-{V}-x86_64-macos-15-intel.tar.gz`, format: 'tar.gz', exe: tool },
    'win32-x64': { name: `${tool}-{V}-x86_64-windows-2022.zip`, format: 'zip', exe: `${tool}.exe` },
  },
  sha256: {},
  checksumNote: 'WAMR publishes no checksum file; pin sha256 here or rely on the GitHub release digest',
});

const iwasm: RuntimeDescriptor = {
  name: 'iwasm',
  kind: 'runtime',
  summary: 'WAMR iwasm (classic interpreter, fast JIT, LLVM JIT, multi-tier, or AOT via wamrc)',
  revision: 1,
  defaultVersion: '2.4.5',
  install: { kind: 'release', release: wamrRelease('iwasm') },
  exeName: 'iwasm',
  versionCommand: { args: ['--version'], pattern: /iwasm (\d+\.\d+\.\d+\S*)/ },
  variants: {
    interpreter: { summary: 'classic interpreter (the release build has no fast interpreter)', flags: ['--interp'] },
    'fast-jit': { summary: 'Fast JIT', flags: ['--fast-jit'] },
    'llvm-jit': { summary: 'LLVM JIT', flags: ['--llvm-jit'] },
    'multi-tier': { summary: 'Fast JIT tiering up to LLVM JIT (the release default)', flags: ['--multi-tier-jit'] },
    aot: { summary: 'AOT-compiled with wamrc of the same release', flags: [], precompile: true },
  },
  defaultVariantNote: 'multi-tier',
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
  notes: [
    'Traps print the exception on stdout and exit 1.',
    'Release binaries are x86_64 only (linux, macOS intel, windows).',
    'The default aux stack is 64 KB; deep recursion needs --stack-size=N in flags.',
    'SIMD works only with llvm-jit and AOT in the release build.',
  ],
};

const wazero: RuntimeDescriptor = {
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
      checksumNote: 'wazero_<V>_checksums.txt published in each wazero release',
    },
  },
  exeName: 'wazero',
  versionCommand: { args: ['version'], pattern: /^v?(\d+\.\d+\.\d+\S*)/m },
  variants: {
    compiler: { summary: 'optimizing compiler (the default on amd64/arm64)', flags: [] },
    interpreter: { summary: 'interpreter', flags: ['-interpreter'] },
  },
  defaultVariantNote: 'compiler',
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
  notes: [
    'No compiled-code cache unless -cachedir is given.',
    'Host paths with a drive letter (Windows) clash with -mount=HOST:GUEST.',
  ],
};

const wasmi: RuntimeDescriptor = {
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
      checksumNote: 'wasmi-<TAG>-SHA256SUMS published in each wasmi release (v2 betas; v1.x has no binaries)',
    },
  },
  exeName: 'wasmi',
  versionCommand: { args: ['--version'], pattern: /wasmi(?:_cli)? v?(\d+\.\d+\.\d+\S*)/ },
  variants: {
    eager: { summary: 'translate every function up front', flags: ['--compilation-mode', 'eager'] },
    lazy: { summary: 'translate and validate on first call', flags: ['--compilation-mode', 'lazy'] },
    'lazy-translation': {
      summary: 'validate eagerly, translate on first call (the default)',
      flags: ['--compilation-mode', 'lazy-translation'],
    },
  },
  defaultVariantNote: 'lazy-translation',
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
  notes: [
    'Release binaries exist from v2.0.0 betas (the `full` feature set has WASI); v1.x only via `cargo install wasmi_cli` (binary `wasmi_cli`, use `path:`).',
    'Whether the v2 beta draft releases were published is unverified.',
  ],
};

const hyperfine: RuntimeDescriptor = {
  name: 'hyperfine',
  kind: 'tool',
  summary: 'hyperfine, for the hyperfine measuring engine',
  revision: 1,
  defaultVersion: '1.20.0',
  install: {
    kind: 'release',
    release: {
      owner: 'sharkdp',
      repo: 'hyperfine',
      tag: 'v{V}',
      assets: {
        'linux-x64': {
          name: 'hyperfine-v{V}-x86_64-unknown-linux-gnu.tar.gz',
          format: 'tar.gz',
          exe: 'hyperfine-v{V}-x86_64-unknown-linux-gnu/hyperfine',
        },
        'linux-arm64': {
          name: 'hyperfine-v{V}-aarch64-unknown-linux-gnu.tar.gz',
          format: 'tar.gz',
          exe: 'hyperfine-v{V}-aarch64-unknown-linux-gnu/hyperfine',
        },
        'darwin-x64': {
          name: 'hyperfine-v{V}-x86_64-apple-darwin.tar.gz',
          format: 'tar.gz',
          exe: 'hyperfine-v{V}-x86_64-apple-darwin/hyperfine',
        },
        'darwin-arm64': {
          name: 'hyperfine-v{V}-aarch64-apple-darwin.tar.gz',
          format: 'tar.gz',
          exe: 'hyperfine-v{V}-aarch64-apple-darwin/hyperfine',
        },
        'win32-x64': {
          name: 'hyperfine-v{V}-x86_64-pc-windows-msvc.zip',
          format: 'zip',
          exe: 'hyperfine-v{V}-x86_64-pc-windows-msvc/hyperfine.exe',
        },
      },
      sha256: {},
      checksumNote: 'hyperfine publishes no checksum file; pin sha256 here or rely on the GitHub release digest',
    },
  },
  exeName: 'hyperfine',
  versionCommand: { args: ['--version'], pattern: /hyperfine (\d+\.\d+\.\d+\S*)/ },
  variants: {},
  codeCache: NO_CACHE,
  trapExitCodes: [],
  notes: ['-i/--ignore-failure=CODES needs 1.20.'],
};

const wamrc: RuntimeDescriptor = {
  name: 'wamrc',
  kind: 'tool',
  summary: 'WAMR AOT compiler, for iwasm:aot',
  revision: 1,
  defaultVersion: '2.4.5',
  install: { kind: 'release', release: wamrRelease('wamrc') },
  exeName: 'wamrc',
  versionCommand: { args: ['--version'], pattern: /wamrc (\d+\.\d+\.\d+\S*)/ },
  variants: {},
  codeCache: NO_CACHE,
  trapExitCodes: [],
  notes: ['Use the wamrc of the same release as iwasm: the AOT format is versioned.'],
};

const custom: RuntimeDescriptor = {
  name: 'custom',
  kind: 'runtime',
  summary: 'any command: argv template with {wasm}, optional {args} and {dir}',
  revision: 1,
  defaultVersion: '',
  install: { kind: 'command' },
  exeName: '',
  versionCommand: { args: [], pattern: /$^/ },
  variants: {},
  // The template is filled by install.ts (it needs the ref's command); the guest env becomes the process env.
  codeCache: NO_CACHE,
  // Unknown: a custom command's exit code on a trap is whatever it chooses.
  trapExitCodes: [],
  notes: ['The benchmark env is passed as the process environment of the command.'],
};

export const registry: Readonly<Record<string, RuntimeDescriptor>> = {
  node,
  bun,
  deno,
  wasmtime,
  wasmer,
  wasmedge,
  wasm3,
  iwasm,
  wazero,
  wasmi,
  hyperfine,
  wamrc,
  custom,
};

/** Runtimes of the seed list that the action does not install, and how to measure them anyway. */
export interface UnsupportedRuntime {
  name: string;
  reason: string;
  /** a `custom` config entry that runs it once installed by an earlier step */
  instead: string;
}

export const unsupportedRuntimes: readonly UnsupportedRuntime[] = [
  {
    name: 'lucet',
    reason: 'end-of-life: archived by the Bytecode Alliance in 2022 in favour of wasmtime; no maintained releases',
    instead: 'measure on `wasmtime` (its successor)',
  },
  {
    name: 'wavm',
    reason: 'no maintained release binaries with WASI preview1 support to pin',
    instead:
      "build it in an earlier step, then `{ name: custom, id: wavm, command: ['wavm', 'run', '--abi=wasi', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'innative',
    reason: 'unmaintained; no current release binaries',
    instead:
      "build it in an earlier step, then `{ name: custom, id: innative, command: ['innative-cmd', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'fizzy',
    reason: 'inactive; its WASI runner (fizzy-wasi) is only built from source',
    instead:
      "build fizzy with WASI in an earlier step, then `{ name: custom, id: fizzy, command: ['fizzy-wasi', '{wasm}', '{args}'] }`",
  },
  {
    name: 'graalvm',
    reason: 'GraalWasm needs a GraalVM JDK plus the wasm language; no single release binary to pin',
    instead:
      "set it up with graalvm/setup-graalvm, then `{ name: custom, id: graalwasm, command: ['wasm', '--Builtins=wasi_snapshot_preview1', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'stitch',
    reason: 'research interpreter without release binaries',
    instead:
      "build it in an earlier step, then `{ name: custom, id: stitch, command: ['stitch', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'wasm-interp',
    reason:
      'wabt release and Debian builds are compiled without WASI (WITH_WASI=OFF): `--wasi` fails with "wasi support not compiled in"',
    instead:
      "build wabt with -DWITH_WASI=ON in an earlier step, then `{ name: custom, id: wasm-interp, command: ['wasm-interp', '--wasi', '{wasm}', '{args}'] }`",
  },
  {
    name: 'wasm2c',
    reason: 'wasm2c output needs a WASI host written by the user (none ships with wabt) and a C compiler',
    instead:
      "write a script that translates, compiles (with your WASI host) and runs, then `{ name: custom, id: wasm2c, command: ['./wasm2c-run.sh', '{wasm}', '{args}'] }`",
  },
];

// ---------- lookups used by spec.ts and install.ts ----------

export function runtimeNames(kind: 'runtime' | 'tool' = 'runtime'): string[] {
  return Object.values(registry)
    .filter((d) => d.kind === kind)
    .map((d) => d.name);
}

export function describe(name: string): RuntimeDescriptor | undefined {
  return Object.hasOwn(registry, name) ? registry[name] : undefined;
}

export function fill(template: string, version: string, tag: string, asset = ''): string {
  return template.replaceAll('{V}', version).replaceAll('{TAG}', tag).replaceAll('{ASSET}', asset);
}

export function currentPlatform(): Platform | undefined {
  const os = process.platform;
  const arch = process.arch;
  if ((os === 'linux' || os === 'darwin' || os === 'win32') && (arch === 'x64' || arch === 'arm64'))
    return `${os}-${arch}`;
  return undefined;
}

/** Everything needed to fetch and unpack one release asset; pure. */
export interface ResolvedAsset {
  runtime: string;
  version: string;
  tag: string;
  platform: Platform;
  name: string;
  format: ArchiveFormat;
  exe: string;
  url: string;
  checksumFileUrl?: string;
  /** the release page's API address (GitHub release digests) */
  owner: string;
  repo: string;
}

export const GITHUB = 'https://github.com';

/**
 * The asset for this version and platform, or undefined when the project ships none for it.
 * `mirror` replaces https://github.com (runtime-mirror input); the path stays GitHub's.
 */
export function releaseAsset(
  desc: RuntimeDescriptor,
  version: string,
  platform: Platform,
  mirror = GITHUB,
): ResolvedAsset | undefined {
  if (desc.install.kind !== 'release') return undefined;
  const rel = desc.install.release;
  const spec = rel.assets[platform];
  if (spec === undefined) return undefined;
  const tag = fill(rel.tag, version, '');
  const name = fill(spec.name, version, tag);
  const older =
    rel.exeBefore !== undefined && compareVersions(version, rel.exeBefore.version) < 0
      ? rel.exeBefore.exe[platform]
      : undefined;
  const root = `${mirror.replace(/\/+$/, '')}/${rel.owner}/${rel.repo}/releases/download/${encodeURIComponent(tag)}`;
  const asset: ResolvedAsset = {
    runtime: desc.name,
    version,
    tag,
    platform,
    name,
    format: spec.format,
    exe: fill(older ?? spec.exe, version, tag),
    url: `${root}/${encodeURIComponent(name)}`,
    owner: rel.owner,
    repo: rel.repo,
  };
  if (rel.checksumFile !== undefined)
    asset.checksumFileUrl = `${root}/${encodeURIComponent(fill(rel.checksumFile, version, tag, name))}`;
  return asset;
}

/** Platforms a descriptor has release builds for (for error messages). */
export function releasePlatforms(desc: RuntimeDescriptor): Platform[] {
  return desc.install.kind === 'release' ? (Object.keys(desc.install.release.assets) as Platform[]) : [];
}
