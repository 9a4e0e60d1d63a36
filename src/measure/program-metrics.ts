// Numbers the program prints about itself (CoreMark's `Iterations/Sec`, a game's score), read from the
// head of stdout after each timed run. A declared metric that is missing or not a number fails the
// benchmark: a gate that silently loses its figure would pass every PR.
import type { ProgramMetricSpec } from '../model/plan.js';
import type { ReadExtra } from './engine.js';
import type { ProcessOutcome } from './process.js';

/** Lines of stdout quoted in the error when a metric cannot be read. */
const QUOTED_LINES = 5;

/** Pure: one value per declared metric, keyed by its name; throws naming the first metric that cannot be read. */
export function parseProgramMetrics(
  stdout: string,
  specs: readonly ProgramMetricSpec[],
  truncated = false,
): Record<string, number> {
  const values: Record<string, number> = {};
  for (const spec of specs) {
    const found =
      spec.pattern !== undefined ? fromPattern(stdout, spec.pattern) : fromJsonLine(stdout, spec.json ?? '');
    if (typeof found === 'number') values[spec.name] = found;
    else throw new Error(`program metric '${spec.name}': ${found} ${describeOutput(stdout, truncated)}`);
  }
  return values;
}

/** The first match's `value` group as a number, or why there is none. */
function fromPattern(stdout: string, pattern: string): number | string {
  const m = new RegExp(pattern, 'm').exec(stdout);
  const shown = `pattern /${pattern}/`;
  if (!m) return `${shown} did not match the program's stdout.`;
  const raw = m.groups?.['value'];
  if (raw === undefined) return `${shown} matched, but its group 'value' captured nothing.`;
  return toNumber(raw) ?? `${shown} captured ${JSON.stringify(raw)}, which is not a number.`;
}

/** The key's value in the first stdout line that is a JSON object holding it, or why there is none. */
function fromJsonLine(stdout: string, key: string): number | string {
  for (const line of stdout.split('\n')) {
    const text = line.trim();
    if (!text.startsWith('{')) continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      continue;
    }
    if (typeof obj !== 'object' || obj === null || !Object.hasOwn(obj, key)) continue;
    const v = (obj as Record<string, unknown>)[key];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
    return `JSON key "${key}" holds ${JSON.stringify(v)}, which is not a number.`;
  }
  return `no stdout line is a JSON object with the key "${key}".`;
}

function toNumber(raw: string): number | undefined {
  const text = raw.trim();
  if (text === '') return undefined;
  const n = Number(text);
  return Number.isFinite(n) ? n : undefined;
}

function describeOutput(stdout: string, truncated: boolean): string {
  if (stdout.trim() === '') return 'The program printed nothing on stdout.';
  const lines = stdout.split('\n');
  const head = lines.slice(0, QUOTED_LINES).map((l) => `  | ${l.length > 200 ? `${l.slice(0, 200)}…` : l}`);
  const more = lines.length > QUOTED_LINES ? [`  | … (${lines.length - QUOTED_LINES} more lines)`] : [];
  const cut = truncated ? ' Only the first 64 KiB of stdout are kept: print the figure earlier.' : '';
  return `Its stdout begins:\n${[...head, ...more].join('\n')}${cut}`;
}

/** A ReadExtra that reads the declared metrics from each run's stdout. */
export function programMetricsReader(specs: readonly ProgramMetricSpec[]): ReadExtra {
  return (outcome: ProcessOutcome) => parseProgramMetrics(outcome.stdoutHead, specs, outcome.stdoutTruncated);
}
