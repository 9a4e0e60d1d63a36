// The local command that reproduces a CI run: the same inputs, a baseline file instead of the cache.
import type { RunSettings } from '../model/plan.js';
import { shellWord } from '../measure/shell-word.js';

export function reproduceCommand(
  settings: Pick<RunSettings, 'localFlags'>,
  mode: 'compare' | 'baseline',
  baselinePath = 'wasm-perf-baseline.json',
): string {
  const flags = settings.localFlags.map((f) => `--${f.name} ${shellWord(f.value)}`);
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
