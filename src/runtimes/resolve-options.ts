// How an install is configured (the action's inputs, the CLI's flags) and what each option means.
import type { ChecksumMap, Platform } from './descriptor.js';
import { GITHUB } from './registry.js';

export interface ResolveOptions {
  /** replaces https://github.com in release URLs (the `runtime-mirror` input) */
  mirror?: string;
  /** tool cache root; default RUNNER_TOOL_CACHE, else ~/.cache/wasm-perf-gate/tool-cache (sets RUNNER_TOOL_CACHE for @actions/tool-cache) */
  toolCacheDir?: string;
  /** also keep installs in the Actions cache (hosted runners lose the tool cache between jobs) */
  actionsCache?: boolean;
  /** extra pinned sha256 values: runtime name → version → asset name → sha256; checked before the registry's */
  checksums?: Readonly<Record<string, ChecksumMap>>;
  /** time limit of one download attempt (the `download-timeout` input) */
  downloadTimeoutMs?: number;
  /** GitHub REST API base for release digests; default https://api.github.com when no mirror is set */
  githubApiUrl?: string;
  /** token for the release-digest API call only (never given to a runtime) */
  githubToken?: string;
  /** defaults to this machine */
  platform?: Platform;
  log?: (msg: string) => void;
  warn?: (msg: string) => void;
}

/** The runtime-mirror in use, or undefined for github.com itself. */
export function mirrorOf(opts: ResolveOptions): string | undefined {
  return opts.mirror === undefined || opts.mirror.replace(/\/+$/, '') === GITHUB ? undefined : opts.mirror;
}
