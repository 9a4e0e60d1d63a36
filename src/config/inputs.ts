// Every input of the action and the CLI, with its default and description: the single source for
// action.yml, the README table and the CLI flags (a test checks action.yml against this list).

export interface InputDef {
  name: string;
  default: string;
  description: string;
}

export const INPUTS = [
  {
    name: 'artifacts',
    default: '',
    description: 'Glob patterns (one per line or comma-separated) of the .wasm files to measure.',
  },
  {
    name: 'runtimes',
    default: 'node',
    description:
      'Runtimes to measure on: `name`, `name@version`, `name:variant`, `name@path` (one per line or comma-separated).',
  },
  {
    name: 'baseline-runtimes',
    default: '',
    description:
      "A runtime change: the baseline side of runtimes in `runtimes`, one per runtime, as `name@version` (another release, e.g. `wasmi@0.32.3`) or `name@/path/to/exe` (another build, e.g. main's built in this job). Each cell then runs the same .wasm on both builds side by side (docs/runtime-changes.md). In the config file: `baseline-version` / `baseline-path` on a runtimes entry.",
  },
  {
    name: 'config',
    default: '',
    description:
      'Optional YAML file describing benchmarks (artifact, args, env, runtimes, threshold, metrics, program-metrics) and measurement settings.',
  },
  {
    name: 'mode',
    default: 'auto',
    description:
      '`auto` (baseline on push/schedule/workflow_dispatch, compare on pull_request), `compare`, `baseline`, `report` (merge the partial reports of `shard` jobs: one verdict, comment and check run), or `bisect` (find the commit between `bisect-good` and `bisect-bad` that caused a change; see docs/bisect.md).',
  },
  {
    name: 'shard',
    default: '',
    description:
      "This job's share of the cells as `k/n` (e.g. `${{ matrix.shard }}/4`): it measures them and uploads a partial report for a `mode: report` job instead of judging.",
  },
  {
    name: 'run-id',
    default: '',
    description:
      '`mode: report` only: read the partial reports of this workflow run (e.g. `${{ github.event.workflow_run.id }}`; needs `actions: read`) instead of the current one.',
  },
  {
    name: 'bisect-good',
    default: '',
    description:
      '`mode: bisect`: the last commit known good (SHA, tag or branch). Default: the commit before the newest change point in the history (the baseline, and the history branch with `history: branch:NAME`).',
  },
  {
    name: 'bisect-bad',
    default: '',
    description:
      '`mode: bisect`: the first commit known bad. Default: the first commit measured after the newest change point in the history.',
  },
  {
    name: 'build',
    default: '',
    description:
      '`mode: bisect`: the command (run with bash in a worktree of each probed commit) that builds the artifacts `artifacts` / `config` name, e.g. `make wasm`. Runs only on workflow_dispatch, schedule and push events.',
  },
  { name: 'build-timeout', default: '15m', description: '`mode: bisect`: time limit of one `build`.' },
  {
    name: 'build-env',
    default: '',
    description:
      "`mode: bisect`: further environment variables `build` gets, by name or `PREFIX_*` (one per line or comma-separated). It always gets PATH, HOME, the locale, temp dirs and toolchain variables (CC, CFLAGS, RUSTFLAGS, CARGO_*, GO*, EMSDK, …); nothing else of the job's environment, so secrets stay out unless listed.",
  },
  {
    name: 'bisect-cells',
    default: '',
    description:
      '`mode: bisect`: the cells to follow, as `benchmark` or `benchmark/runtime` (one per line or comma-separated). Default: every cell that changed between the ends.',
  },
  {
    name: 'bisect-issue',
    default: '',
    description:
      '`mode: bisect`: number of the tracking issue to comment the bisection on (needs `issues: write`), e.g. the one `on-change-point: issue` opened.',
  },
  {
    name: 'threshold',
    default: '5%',
    description:
      "Relative change that counts as a regression (per benchmark in the config file), e.g. '5%'; for metrics measured in bytes also a size such as '2KiB' (docs/size.md).",
  },
  {
    name: 'metrics',
    default: 'wall',
    description:
      'Metrics to gate (see docs/measuring.md): wall, user, sys, cpu, peak-rss, compile, instantiate, execute, instructions, aot-compile, aot-size, size, size-gzip, size-brotli, code-size, data-size (read from the .wasm, nothing runs: docs/size.md), or the name of a program metric.',
  },
  {
    name: 'baseline-path',
    default: '',
    description: 'Keep the baseline in this JSON file instead of the Actions cache (local runs, tests).',
  },
  {
    name: 'baseline-key',
    default: 'wasm-perf-gate-baseline',
    description: 'Actions cache key prefix of the baseline; each refresh saves under a unique key with this prefix.',
  },
  {
    name: 'history',
    default: 'baseline',
    description:
      "Where main's history of refreshes is kept: `baseline` (in the baseline document only) or `branch:NAME` (also as a JSON file per platform on git branch NAME, pushed with `github-token`; needs `contents: write`), so it outlives the Actions cache's 7-day eviction.",
  },
  {
    name: 'baseline-artifacts',
    default: '',
    description:
      'Glob patterns of .wasm files built from the merge-base in this job; re-measured side by side with the candidate.',
  },
  {
    name: 'side-by-side',
    default: 'true',
    description:
      "Re-measure the baseline's own .wasm on this runner, interleaved with the candidate (paired A/B); `false` compares with the stored figures only.",
  },
  {
    name: 'engine',
    default: 'builtin',
    description: '`builtin` (interleaved, adaptive) or `hyperfine` (drives the hyperfine on PATH).',
  },
  {
    name: 'schedule',
    default: 'auto',
    description:
      '`auto` (`pinned` where taskset and two cores exist, else `interleaved`), `interleaved` (A B B A …), `duet` (A and B at once, pinned to two cores) or `pinned` (interleaved, both arms pinned to the same core).',
  },
  { name: 'warmup', default: '1', description: 'Warm-up runs per artifact before measuring.' },
  { name: 'min-runs', default: '6', description: 'Minimum measured runs per artifact.' },
  {
    name: 'max-runs',
    default: '200',
    description:
      'Maximum measured runs per artifact (adaptive stopping ends earlier when the verdict is clear). For a ≈ 0.1 s program it meets `max-time` at about a minute.',
  },
  { name: 'min-time', default: '0s', description: 'Minimum measuring time per benchmark and runtime.' },
  {
    name: 'max-time',
    default: '60s',
    description:
      'Time budget per benchmark and runtime. It never ends a cell before the verdict could reach significance across the run (see `hard-max-time`); a verdict still unclear then is `inconclusive`.',
  },
  {
    name: 'hard-max-time',
    default: '',
    description:
      'Hard time limit per benchmark and runtime: ends measuring even before the verdict could reach significance (the report then says how many rounds it needed). Empty: no limit beyond `max-runs`.',
  },
  {
    name: 'time-budget',
    default: '',
    description:
      "Measuring time for the whole run (e.g. `10m`): cells that reach their verdict early hand their time to undecided ones; `max-time` stays each cell's cap and `hard-max-time` the hard one. Empty: no budget, each cell gets `max-time`.",
  },
  { name: 'timeout', default: '120s', description: 'Time limit of a single run.' },
  { name: 'comment', default: 'true', description: 'Post (and update in place) one PR comment with the report.' },
  {
    name: 'check-run',
    default: 'true',
    description:
      'Create a `wasm-perf-gate` check run on the PR head commit (needs `checks: write`; without it: one warning).',
  },
  {
    name: 'fail-on-regression',
    default: 'true',
    description: 'Fail the step when a benchmark regressed beyond its threshold.',
  },
  {
    name: 'fail-on-likely-regression',
    default: 'true',
    description:
      'Fail the step on a `likely-regressed` cell: its whole interval lies beyond the threshold, but too few rounds for a significant p-value.',
  },
  { name: 'fail-on-inconclusive', default: 'false', description: 'Also fail when a verdict stayed inconclusive.' },
  {
    name: 'alpha',
    default: '0.05',
    description:
      'Significance level of the whole run: it bounds the chance that any unchanged cell is called a change (Holm over every cell × metric). Lower it (e.g. `0.01`) for a suite run many times a day; cells then measure more rounds before a verdict can be significant. With shards, give the measuring jobs and the `mode: report` job the same value.',
  },
  {
    name: 'git-timeout',
    default: '60s',
    description:
      'Time limit of each git command of `history: branch:NAME` (fetch, push, …); past it, git is killed, a warning, and the history stays in the baseline.',
  },
  {
    name: 'history-push-attempts',
    default: '5',
    description:
      'Pushes of the `history: branch:NAME` file tried (1–20) while other jobs move the branch at once; each retry re-reads and merges their points first.',
  },
  {
    name: 'on-change-point',
    default: 'warn',
    description:
      'On a baseline refresh, what a new change point in the history of main does: `none`, `warn` (a warning per change point), `fail` (fail the step) or `issue` (open or update one tracking issue per change point; needs `issues: write`).',
  },
  {
    name: 'trend',
    default: 'changed',
    description:
      "Which cells of a compare run get a trend chart of main's recent refreshes (Mermaid) in the comment and job summary: `changed` (regressed or improved cells), `all`, or `none`.",
  },
  {
    name: 'runtime-mirror',
    default: 'https://github.com',
    description:
      'Base URL that replaces https://github.com for runtime release downloads (GHES, air-gapped mirrors). Downloads are checked against a `sha256:` pinned in the config, the project checksum file, or `<asset>.sha256` on the mirror.',
  },
  {
    name: 'download-timeout',
    default: '5m',
    description:
      'Time limit of one runtime download (an archive or its checksum file, from GitHub or `runtime-mirror`); a download that times out, is refused or gets a 5xx is retried once.',
  },
  {
    name: 'report-json',
    default: '',
    description: 'Where to write the JSON report (default: $RUNNER_TEMP/wasm-perf-gate/report.json).',
  },
  {
    name: 'api-timeout',
    default: '10s',
    description:
      'Time limit of one GitHub API request (the PR comment); a request that times out or gets a 5xx is retried once, all of them within about 4× this.',
  },
  {
    name: 'cache-timeout',
    default: '60s',
    description:
      'Time limit of each Actions cache operation (restoring or saving the baseline); past it, a warning and the run goes on as without a cache.',
  },
  {
    name: 'github-token',
    default: '${{ github.token }}',
    description:
      'Token for the PR comment and the check run (needs `pull-requests: write`, `checks: write`), and for pushing the `history: branch:NAME` branch (`contents: write`).',
  },
] as const satisfies readonly InputDef[];

export type InputName = (typeof INPUTS)[number]['name'];
export type RawInputs = Record<InputName, string>;

/** Fills every input from a lookup (core.getInput or CLI flags), falling back to the defaults. */
export function readInputs(get: (name: InputName) => string | undefined): RawInputs {
  const out = {} as RawInputs;
  for (const def of INPUTS) {
    const v = get(def.name)?.trim();
    out[def.name] = v ? v : def.default.startsWith('${{') ? '' : def.default;
  }
  return out;
}

/** Splits a list input on newlines and on commas outside `{…}` (so `*.{a,b}` globs survive); drops blanks. */
export function splitList(value: string): string[] {
  const items: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of value) {
    if (ch === '{') depth++;
    if (ch === '}') depth = Math.max(0, depth - 1);
    if (ch === '\n' || (ch === ',' && depth === 0)) {
      items.push(current);
      current = '';
    } else current += ch;
  }
  items.push(current);
  return items.map((s) => s.trim()).filter(Boolean);
}
