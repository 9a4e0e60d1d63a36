// The runner's OS and architecture in Node's names (`linux-x64`, `darwin-arm64`): RUNNER_OS / RUNNER_ARCH when
// the runner sets them, else this process's. Baselines are kept per platform; a report groups cells by it.

const OS: Record<string, string> = { Linux: 'linux', macOS: 'darwin', Windows: 'win32' };
const ARCH: Record<string, string> = { X64: 'x64', ARM64: 'arm64', X86: 'ia32', ARM: 'arm' };

export interface Platform {
  os: string;
  arch: string;
}

export function runnerPlatform(env: NodeJS.ProcessEnv = process.env): Platform {
  return {
    os: OS[env['RUNNER_OS'] ?? ''] ?? process.platform,
    arch: ARCH[env['RUNNER_ARCH'] ?? ''] ?? process.arch,
  };
}

/** `os-arch`; the parts are Node's names, so a label is also safe in a cache key and an artifact name. */
export function platformLabel(p: Platform): string {
  return `${p.os}-${p.arch}`;
}

/** A label from untrusted data (a partial report's machine): Node-style names only, else undefined. */
export function safePlatformLabel(p: { os: string; arch: string }): string | undefined {
  const part = /^[a-z0-9_]{1,20}$/;
  return part.test(p.os) && part.test(p.arch) ? platformLabel(p) : undefined;
}
