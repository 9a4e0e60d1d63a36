// Prints action.yml from the input and output tables: `npx tsx scripts/action-yml.ts > action.yml`.
import { INPUTS } from '../src/config/inputs.js';
import { OUTPUTS } from '../src/report/outputs.js';
import { stringify } from 'yaml';
const doc = {
  name: 'wasm-perf-gate',
  description:
    'Measure .wasm programs on WebAssembly runtimes, compare with a stored baseline, comment on the PR and fail on regressions.',
  author: 'wasm-perf-gate',
  branding: { icon: 'activity', color: 'purple' },
  inputs: Object.fromEntries(
    INPUTS.map((i) => [i.name, { description: i.description, required: false, default: i.default }]),
  ),
  outputs: Object.fromEntries(OUTPUTS.map((o) => [o.name, { description: o.description }])),
  runs: { using: 'node24', main: 'dist/index.js' },
};
export const actionYml =
  '# Generated from src/config/inputs.ts and src/report/outputs.ts; a test checks that they agree.\n' +
  stringify(doc, { lineWidth: 0 });
if (process.argv[1]?.endsWith('action-yml.ts')) process.stdout.write(actionYml);
