// The end-to-end tests that build their own C programs with clang and gate a pull request on them through
// dist/index.js (e2e-kernels, e2e-sightglass, e2e-expected-output, e2e-runtimes-wamr-aot) share this: the
// build before the file's tests, a workspace of candidate and baseline modules, one PR run with short,
// fixed measuring, and the JSON report read back: cPrograms, prWorkspace, gatePullRequest, reportOf and why (plus
// the BUN and DENO paths); anything else a test needs is runAction's (helpers/run-action.ts).
//
//   const { clang, bins } = cPrograms('kernel-bins-', { o2: { source: SRC }, o0: { source: SRC, flags: ['-O0'] } });
//   describe('…', clang, () => test('…', async () => {
//     const r = await gatePullRequest(prWorkspace({ 'build/k.wasm': { from: bins.o0 }, 'perf.yml': yml }), { config: 'perf.yml' });
//     assert.equal(reportOf(r).verdicts[0]!.kind, 'regressed', why(r));
//   }));
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { before } from 'node:test';
import { buildC } from './build-c.js';
import { pullRequestPayload, runAction, scratchDir, type ActionRun } from './run-action.js';
import { requireTool } from './tools.js';

/** bun and deno from their npm platform packages (node_modules), for `bun@PATH` / `deno@PATH`. */
export const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
export const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');

/**
 * C programs built with clang (wasm32-wasi, -O2 unless `flags` says otherwise) in a `before` hook of the calling
 * file. `clang` is the node:test option of the tests that need them: skipped without clang, a failure under CI=true.
 * `bins[name]` is the module's path, known at once (`const { o2 } = bins` at the top level), built before the tests.
 */
export function cPrograms<K extends string>(
  prefix: string,
  specs: Record<K, { source: string; flags?: readonly string[] }>,
): { clang: { skip: string | false }; bins: Record<K, string> } {
  const clang = requireTool('clang');
  const dir = scratchDir(prefix);
  const entries = Object.entries(specs) as [K, { source: string; flags?: readonly string[] }][];
  const bins = Object.fromEntries(entries.map(([name]) => [name, join(dir, `${name}.wasm`)])) as Record<K, string>;
  before(() => {
    if (clang.skip) return;
    for (const [name, spec] of entries) buildC(spec.source, bins[name], spec.flags);
  });
  return { clang, bins };
}

/** A fresh workspace: path → text, bytes, or `{ from }` a file to copy (the built modules). */
export function prWorkspace(files: Record<string, string | Buffer | { from: string }>, prefix = 'pr-'): string {
  const ws = scratchDir(prefix);
  for (const [to, content] of Object.entries(files)) {
    const path = join(ws, to);
    mkdirSync(dirname(path), { recursive: true });
    if (typeof content === 'object' && 'from' in content) copyFileSync(content.from, path);
    else writeFileSync(path, content);
  }
  return ws;
}

/**
 * dist/index.js on a pull request in `workspace`: no comment, baseline file perf/baseline.json (none yet, so the
 * baseline arm is `baseline-artifacts`), exactly `runs` rounds after `warmup` (default 6 and 1; `maxRuns` lets the
 * stop rule add rounds up to it when the verdict is still open), alpha 0.001 (an
 * A/A run must not fail by chance). `inputs` add to or override these.
 */
export function gatePullRequest(
  workspace: string,
  inputs: Record<string, string>,
  opts: { runs?: number; maxRuns?: number; warmup?: number } = {},
): Promise<ActionRun> {
  const runs = String(opts.runs ?? 6);
  return runAction({
    workspace,
    inputs: {
      'baseline-path': 'perf/baseline.json',
      comment: 'false',
      warmup: String(opts.warmup ?? 1),
      'min-runs': runs,
      'max-runs': String(opts.maxRuns ?? runs),
      alpha: '0.001',
      ...inputs,
    },
    eventName: 'pull_request',
    payload: pullRequestPayload(),
  });
}

/** The parts of the JSON report (`report-json` output) these tests read. */
export interface GateReport {
  verdicts: {
    benchmark: string;
    runtime: string;
    metric: string;
    kind: string;
    ratio?: number;
    interval?: [number, number];
    runs?: { baseline: number; candidate: number };
    failure?: { kind: string; message: string };
  }[];
  measurements: {
    benchmark: string;
    runtime: string;
    candidate: { samples: { values: Record<string, number> }[]; failure?: { kind: string; message: string } };
    aot?: { compileMs: number[]; sizeBytes: number; baseline?: { compileMs: number[]; sizeBytes: number } };
  }[];
  runtimes: { id: string; version: string; exe: string }[];
}

export const reportOf = (r: ActionRun): GateReport => JSON.parse(readText(r.outputs['report-json'])) as GateReport;

/** One line per verdict (kind, ratio and interval, runs, failure), then the run's output: a failed assertion's message. */
export function verdictsAndWhy(r: ActionRun): string {
  return `\n${verdictSummary(r)}${why(r)}`;
}

/** One line per verdict: kind, ratio and interval, runs, failure (a test's diagnostic, or part of its failure). */
export function verdictSummary(r: ActionRun): string {
  let lines: string[];
  try {
    lines = reportOf(r).verdicts.map(
      (v) =>
        `${v.benchmark} on ${v.runtime} (${v.metric}): ${v.kind}` +
        (v.ratio === undefined ? '' : ` ×${v.ratio.toFixed(3)}`) +
        (v.interval ? ` [${v.interval.map((x) => x.toFixed(3)).join(', ')}]` : '') +
        (v.runs ? ` runs ${v.runs.baseline}/${v.runs.candidate}` : '') +
        (v.failure ? ` failed (${v.failure.kind}): ${v.failure.message}` : ''),
    );
  } catch (e) {
    lines = [`no report: ${e instanceof Error ? e.message : String(e)}`];
  }
  return lines.join('\n');
}

/** The tail of the run's stdout and stderr: the message of a failed assertion. */
export const why = (r: ActionRun): string => `\n${r.stdout.slice(-4000)}\n${r.stderr.slice(-2000)}`;

function readText(path: string | undefined): string {
  if (path === undefined) throw new Error('the run wrote no report-json output');
  return readFileSync(path, 'utf8');
}
