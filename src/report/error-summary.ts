// The job summary of a run that stopped before measuring (bad input, a runtime that could not be installed):
// the reader of the summary sees why, not an empty page. The text is untrusted (it quotes config values).
import { escapeMarkdown, truncateText } from './escape.js';

export function renderErrorSummary(message: string): string {
  return [
    '## ❌ wasm-perf-gate did not run',
    '',
    escapeMarkdown(truncateText(message, 2000)),
    '',
    'Nothing was measured and the previous baseline is unchanged.',
    '',
  ].join('\n');
}
