// Preopens are checked for read and write, hence both permissions; no --allow-env: the launcher passes
// the guest env.
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE, jsRun, LAUNCHER_STDERR } from './run-helpers.js';

export const deno: RuntimeDescriptor = {
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
      // Checksums: <asset>.sha256sum published beside each deno release zip.
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
  stderrPatterns: LAUNCHER_STDERR,
};
