// The local command that reproduces a CI run: the same inputs, a baseline file instead of the cache.
import { INPUTS, type RawInputs } from '../config/inputs.js';
import { shellWord } from '../measure/shell-word.js';

const NOT_LOCAL = new Set(['github-token', 'comment', 'mode', 'report-json', 'baseline-key', 'baseline-path']);

export function reproduceCommand(
  inputs: RawInputs,
  mode: 'compare' | 'baseline',
  baselinePath = 'wasm-perf-baseline.json',
): string {
  const flags = INPUTS.filter(
    (d) => !NOT_LOCAL.has(d.name) && inputs[d.name] !== '' && inputs[d.name] !== d.default,
  ).map((d) => `--${d.name} ${shellWord(inputs[d.name])}`);
  const cmd = (sub: string) =>
    ['npx wasm-perf-gate', sub, ...flags, `--baseline-path ${shellWord(baselinePath)}`].join(' ');
  if (mode === 'baseline') return cmd('baseline');
  return [
    `# on the base branch (after your build):`,
    cmd('baseline'),
    `# on the PR branch (after your build):`,
    cmd('compare'),
  ].join('\n');
}
