// `--help` for the terminal: the action's own input descriptions (src/config/inputs.ts), grouped, without
// the inputs that only mean something on GitHub. Pure: text out.
import { INPUTS, type InputName } from '../config/inputs.js';

/** Inputs that only exist for the action: the CLI has commands, --json, and no PR to comment on. */
export const GITHUB_ONLY: ReadonlySet<InputName> = new Set<InputName>([
  'mode',
  'comment',
  'check-run',
  'github-token',
  'baseline-key',
  'report-json',
  'run-id',
  'bisect-issue',
  'api-timeout',
  'cache-timeout',
  'on-change-point',
]);

/** Every CLI input sits in one group (a test checks it): a new input must be placed, not left in a heap. */
export const GROUPS: ReadonlyArray<{ title: string; inputs: readonly InputName[] }> = [
  { title: 'What to measure', inputs: ['artifacts', 'runtimes', 'baseline-runtimes', 'config', 'metrics', 'shard'] },
  {
    title: 'How to measure',
    inputs: [
      'engine',
      'schedule',
      'warmup',
      'min-runs',
      'max-runs',
      'min-time',
      'max-time',
      'hard-max-time',
      'time-budget',
      'timeout',
      'runtime-mirror',
      'download-timeout',
    ],
  },
  {
    title: 'Baseline',
    inputs: ['baseline-path', 'baseline-artifacts', 'side-by-side', 'history', 'git-timeout', 'history-push-attempts'],
  },
  {
    title: 'Bisect (wasm-perf-gate bisect; --good and --bad are short for --bisect-good and --bisect-bad)',
    inputs: ['bisect-good', 'bisect-bad', 'build', 'build-timeout', 'build-env', 'bisect-cells'],
  },
  {
    title: 'Verdict and reporting',
    inputs: ['threshold', 'fail-on-regression', 'fail-on-likely-regression', 'fail-on-inconclusive', 'alpha', 'trend'],
  },
];

/** What the CLI uses where the action's default means "on GitHub" or "on the runner". */
export const CLI_DEFAULTS: Partial<Record<InputName, string>> = {
  'baseline-path': '.wasm-perf-gate/baseline.json',
  comment: 'false',
  'check-run': 'false',
};

/** Where the action's description speaks of jobs and workflows, what the input means on a laptop. */
const CLI_DESCRIPTIONS: Partial<Record<InputName, string>> = {
  shard:
    'Measure only share k/n of the cells (the cells CI shard k of n measures) and judge them: reproduces one red shard.',
};

/** Options of the CLI itself (not action inputs), shown in the reporting group. */
export const CLI_OPTIONS = [
  { flag: '--markdown FILE', description: 'Also write the Markdown report (the job summary of a CI run) to FILE.' },
  { flag: '--json FILE', description: 'Also write the JSON report, every figure and every sample, to FILE.' },
  { flag: '-h, --help', description: 'Show this help.' },
  { flag: '-V, --version', description: 'Print the version.' },
] as const;

export const CLI_INPUTS: readonly InputName[] = INPUTS.map((i) => i.name).filter((n) => !GITHUB_ONLY.has(n));

export const EXIT_CODES = [
  { code: 0, meaning: 'no regression (compare), or the baseline was measured and saved' },
  { code: 1, meaning: 'a benchmark regressed or failed (or stayed inconclusive with --fail-on-inconclusive true)' },
  { code: 2, meaning: 'bad input or usage: the message names the input and the fix' },
  { code: 3, meaning: 'an unexpected error (a bug: please report it with the message)' },
] as const;

const INDENT = 34;
const WIDTH = 100;

/** Markdown-isms of the shared descriptions, read on a terminal. */
function plain(description: string): string {
  return description.replaceAll('`', '');
}

function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  return line ? [...lines, line] : lines;
}

function entry(flag: string, description: string): string {
  const [first = '', ...rest] = wrap(description, WIDTH - INDENT);
  const head =
    flag.length + 2 < INDENT ? `  ${flag.padEnd(INDENT - 2)}${first}` : `  ${flag}\n${' '.repeat(INDENT)}${first}`;
  return [head, ...rest.map((l) => ' '.repeat(INDENT) + l)].join('\n');
}

/** What the value looks like, for the flag column; booleans and lists say so. */
const METAVAR: Partial<Record<InputName, string>> = {
  artifacts: 'GLOBS',
  'baseline-artifacts': 'GLOBS',
  runtimes: 'LIST',
  'baseline-runtimes': 'LIST',
  metrics: 'LIST',
  config: 'FILE',
  'baseline-path': 'FILE',
  engine: 'builtin|hyperfine',
  schedule: 'auto|interleaved|duet|pinned',
  threshold: 'PERCENT',
  'min-time': 'DURATION',
  'max-time': 'DURATION',
  'hard-max-time': 'DURATION',
  timeout: 'DURATION',
  'runtime-mirror': 'URL',
  warmup: 'N',
  'min-runs': 'N',
  'max-runs': 'N',
  shard: 'K/N',
  'time-budget': 'DURATION',
  trend: 'changed|all|none',
  'bisect-good': 'COMMIT',
  'bisect-bad': 'COMMIT',
  build: 'COMMAND',
  'build-timeout': 'DURATION',
  'build-env': 'NAMES',
  'bisect-cells': 'LIST',
};

function inputEntry(name: InputName): string {
  const def = INPUTS.find((i) => i.name === name)!;
  const fallback = CLI_DEFAULTS[name] ?? def.default;
  const shown = fallback && !fallback.startsWith('${{') ? ` (default: ${fallback})` : '';
  const metavar = METAVAR[name] ?? (def.default === 'true' || def.default === 'false' ? 'true|false' : 'VALUE');
  return entry(`--${name} ${metavar}`, `${plain(CLI_DESCRIPTIONS[name] ?? def.description)}${shown}`);
}

export function helpText(version: string): string {
  const sections = GROUPS.map((g) => ({ title: g.title, entries: g.inputs.map(inputEntry) }));
  sections.at(-1)!.entries.push(...CLI_OPTIONS.map((o) => entry(o.flag, o.description)));
  return [
    `wasm-perf-gate ${version}: measure WebAssembly benchmarks, compare them with a baseline, flag regressions`,
    '',
    'Usage: wasm-perf-gate <baseline|compare|run|bisect> [options]',
    '',
    'Commands:',
    entry('baseline', 'Measure and save the baseline file.'),
    entry('compare', 'Measure and compare with the baseline file; the table and verdict go to stdout.'),
    entry('run', 'Compare when the baseline file exists, else create it.'),
    entry(
      'bisect',
      'Find the commit between --good and --bad that changed performance (builds each probe with --build).',
    ),
    ...sections.flatMap((s) => ['', `${s.title}:`, ...s.entries]),
    '',
    'Exit codes:',
    ...EXIT_CODES.map((e) => `  ${e.code}  ${e.meaning}`),
    '',
    'Progress goes to stderr (one live line per cell on a terminal); NO_COLOR turns colours off, FORCE_COLOR on.',
  ].join('\n');
}
