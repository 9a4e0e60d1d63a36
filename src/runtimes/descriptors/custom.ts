// Any command: the install step fills the argv template from the ref; the benchmark env becomes the
// process environment of the command.
import type { RuntimeDescriptor } from '../descriptor.js';
import { NO_CACHE } from './run-helpers.js';

export const custom: RuntimeDescriptor = {
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
  phasesUnavailable: 'a custom command is timed as one whole process',
};
