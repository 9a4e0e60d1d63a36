// The shape of a runtime descriptor: where its release lives, how the archive is laid out, how to verify it,
// how to ask its version, and how to turn an Invocation into argv. Data only; one file each in descriptors/.
import type { Command, StderrPattern } from '../model/measurement.js';
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
  /** the most one archive download may bring, in MiB (default DEFAULT_DOWNLOAD_LIMIT_MIB): a mirror gone wrong stops there */
  maxDownloadMiB?: number;
}

/** A release archive's download limit unless its descriptor says otherwise: several times the largest real one. */
export const DEFAULT_DOWNLOAD_LIMIT_MIB = 512;

export interface VariantSpec {
  /** flags placed before the user's flags and the module */
  flags: readonly string[];
  /** the variant only exists precompiled (measure must run `aot.prepare` first) */
  precompile?: boolean;
  /** the variant compiles nothing (wazero's interpreter): no AOT and no compiled-code cache, whatever the runtime has */
  interprets?: boolean;
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
  /** the output records the compiling host's CPU features and refuses to load where one is missing (valgrind) */
  hostCpu?: boolean;
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
  run?: (ctx: RunContext) => Command;
  aot?: AotSpec;
  codeCache: CodeCacheSupport;
  trapExitCodes: readonly number[];
  /**
   * stderr lines that tell a trap from a load failure or a runtime error; earlier patterns win.
   * A runtime with `trap` patterns has its trap exit code read as a plain exit when none matches.
   */
  stderrPatterns?: readonly StderrPattern[];
  /**
   * Why compile, instantiate and execute cannot be timed apart on this runtime, completing "not available on
   * RUNTIME because …": every runtime the node/bun/deno launcher does not run.
   */
  phasesUnavailable?: string;
}
