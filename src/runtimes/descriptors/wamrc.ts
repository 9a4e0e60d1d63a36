// Not a runtime: the AOT compiler for iwasm:aot; must come from iwasm's release (the AOT format is versioned).
import type { RuntimeDescriptor } from '../descriptor.js';
import { wamrRelease } from './wamr-release.js';
import { NO_CACHE } from './run-helpers.js';

export const wamrc: RuntimeDescriptor = {
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
};
