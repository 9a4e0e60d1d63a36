// Prints action.yml from the input table: `npx tsx scripts/action-yml.ts > action.yml`.
import { INPUTS } from '../src/config/inputs.js';
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
  outputs: {
    verdict: { description: 'pass | regressed | no-baseline | failed | baseline-saved' },
    regressions: { description: 'Number of benchmark × runtime × metric cells that regressed beyond their threshold.' },
    'regressed-cells': {
      description:
        'JSON array of the regressed cells, worst first: benchmark, runtime, metric, ratio, interval, change.',
    },
    'report-json': { description: 'Path of the JSON report with every figure and sample.' },
    'change-points': {
      description:
        'Baseline refresh: JSON array of the change points first found in the history of main (benchmark, commit range, cells with ratio, interval, p-value, and `path`: `fast` or `permutation`, the rule that found it).',
    },
    culprit: {
      description: '`mode: bisect`: the full SHA of the commit that caused the change; empty when none was found.',
    },
    bisect: {
      description:
        '`mode: bisect`: JSON of the bisection: outcome, answers per cell, and every probe with its commit, build result and measured change with interval.',
    },
  },
  runs: { using: 'node24', main: 'dist/index.js' },
};
export const actionYml =
  '# Generated from src/config/inputs.ts; a test checks that they agree.\n' + stringify(doc, { lineWidth: 0 });
if (process.argv[1]?.endsWith('action-yml.ts')) process.stdout.write(actionYml);
