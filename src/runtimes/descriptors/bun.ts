// node:wasi in bun is a JS polyfill (proc_exit exits at once); bun-linux-x64 needs AVX2
// (CPUs without it need the -baseline build, not selected automatically).
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE, jsRun, LAUNCHER_STDERR } from './run-helpers.js';

export const bun: RuntimeDescriptor = {
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
      // Checksums: SHASUMS256.txt published in each bun release (packages/bun-release/scripts/upload-assets.ts).
    },
  },
  exeName: 'bun',
  versionCommand: { args: ['--version'], pattern: /^v?(\d+\.\d+\.\d+\S*)/m },
  variants: {},
  run: (ctx) => jsRun('bun', (c) => [c.exe])(ctx),
  codeCache: NO_CACHE,
  trapExitCodes: [134],
  stderrPatterns: LAUNCHER_STDERR,
};
