// iwasm and wamrc ship in the same WAMR release, with the same asset naming.
import type { ReleaseSource } from '../descriptor.js';

export const wamrRelease = (tool: 'iwasm' | 'wamrc'): ReleaseSource => ({
  owner: 'bytecodealliance',
  repo: 'wasm-micro-runtime',
  tag: 'WAMR-{V}',
  assets: {
    'linux-x64': { name: `${tool}-{V}-x86_64-ubuntu-22.04.tar.gz`, format: 'tar.gz', exe: tool },
    'darwin-x64': { name: `${tool}-{V}-x86_64-macos-15-intel.tar.gz`, format: 'tar.gz', exe: tool },
    'win32-x64': { name: `${tool}-{V}-x86_64-windows-2022.zip`, format: 'zip', exe: `${tool}.exe` },
  },
  sha256: {},
  // Checksums: WAMR publishes no checksum file; verified by the GitHub release digest or a pinned sha256.
});
