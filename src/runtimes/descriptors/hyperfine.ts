// Not a runtime: the hyperfine measuring engine. -i/--ignore-failure=CODES needs 1.20.
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE } from './run-helpers.js';

export const hyperfine: RuntimeDescriptor = {
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
      // Checksums: hyperfine publishes no checksum file; verified by the GitHub release digest or a pinned sha256.
    },
  },
  exeName: 'hyperfine',
  versionCommand: { args: ['--version'], pattern: /hyperfine (\d+\.\d+\.\d+\S*)/ },
  variants: {},
  codeCache: NO_CACHE,
  trapExitCodes: [],
};
