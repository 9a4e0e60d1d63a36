// Embedded: the node running the action (process.execPath); another version via setup-node + `node@path`.
// V8 flags (e.g. --liftoff) go in `flags`, placed before the launcher.
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE, jsRun, LAUNCHER_STDERR } from './run-helpers.js';

export const node: RuntimeDescriptor = {
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
  stderrPatterns: LAUNCHER_STDERR,
};
