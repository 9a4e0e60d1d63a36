// Report-job bench (a script, not a test): how long `mode: report` itself takes on a sharded suite, and how
// big its comment and check-run output get, against GitHub's limits.
//
//   npx tsx bench/report-job.ts [--cells 40] [--shards 4] [--size-cells 400] [--reps 5]
//
// Input: one real partial report (a shard of one add-one.wasm cell measured by dist/index.js against a stored
// baseline), cloned into `cells` cells over `shards` shards with scaled samples (every 10th cell 20% slower).
// Figures: (1) in process, bytes → validated → merged → judged → summary, comment, check run, JSON (no
// download); (2) dist/index.js as a report job against the local artifact and API servers (loopback download
// included); (3) the comment and check-run summary sizes for `size-cells` cells, as posted to the API server.
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { startArtifactServer } from '../__tests__/helpers/artifact-server.js';
import { startGitHubServer } from '../__tests__/helpers/github-server.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir } from '../__tests__/helpers/run-action.js';
import { checkRunContent } from '../src/report/check-run-content.js';
import { commentMarker, renderComment } from '../src/report/comment-markdown.js';
import { renderJson } from '../src/report/json-report.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { judgeRun } from '../src/pipeline/run-gate.js';
import { mergePartials } from '../src/shard/merge.js';
import { parsePartial } from '../src/shard/partial-report.js';
import type { PartialReport } from '../src/shard/partial-schema.js';

const flags = new Map<string, string>();
for (let i = 2; i < process.argv.length; i += 2) flags.set(process.argv[i]!.replace(/^--/, ''), process.argv[i + 1]!);
const CELLS = Number(flags.get('cells') ?? 40);
const SHARDS = Number(flags.get('shards') ?? 4);
const SIZE_CELLS = Number(flags.get('size-cells') ?? 400);
const REPS = Number(flags.get('reps') ?? 5);
const KEY = 'wasm-perf-gate-baseline';

/** One real shard's partial report: a baseline run, then shard 1/1 of a PR run, through dist/index.js. */
async function realPartial(): Promise<PartialReport> {
  const ws = scratchDir('bench-ws-');
  mkdirSync(join(ws, 'build'));
  copyFileSync('examples/wasm/add-one.wasm', join(ws, 'build/add-one.wasm'));
  const inputs = {
    artifacts: 'build/*.wasm',
    'baseline-path': 'perf/baseline.json',
    'min-runs': '20',
    'max-runs': '20',
  };
  const base = await runAction({ workspace: ws, inputs, eventName: 'push', payload: pushPayload() });
  if (base.code !== 0) throw new Error(`baseline run failed:\n${base.stdout}`);
  const temp = scratchDir('bench-temp-');
  const shard = await runAction({
    workspace: ws,
    inputs: { ...inputs, shard: '1/1' },
    eventName: 'pull_request',
    payload: pullRequestPayload(),
    env: { RUNNER_TEMP: temp },
  });
  if (shard.code !== 0) throw new Error(`shard run failed:\n${shard.stdout}`);
  return JSON.parse(readFileSync(join(temp, 'wasm-perf-gate/report.json'), 'utf8')) as PartialReport;
}

/** `cells` copies of the template's one cell, dealt round-robin to `shards` shards. */
function cloneSuite(t: PartialReport, cells: number, shards: number): string[] {
  const m0 = t.measurements[0]!;
  const b0 = t.benchmarks[0]!;
  const e0 = t.baseline!.entries[0]!;
  const a0 = t.artifacts[0]!;
  const id = (i: number) => `build/suite-${String(Math.floor(i / 10)).padStart(2, '0')}/program-${i}`;
  const partition = Array.from({ length: shards }, (_, k) =>
    Array.from({ length: cells }, (_, i) => i)
      .filter((i) => i % shards === k)
      .map((i) => ({ benchmark: id(i), runtime: m0.runtime })),
  );
  const scale = (s: (typeof m0.candidate.samples)[number], f: number) => ({
    ...s,
    values: Object.fromEntries(Object.entries(s.values).map(([k, v]) => [k, v * f])),
  });
  return partition.map((mine, k) => {
    const idx = mine.map((c) => Number(c.benchmark.split('-').at(-1)));
    const doc: PartialReport = {
      ...t,
      shard: { index: k + 1, count: shards },
      partition,
      benchmarks: idx.map((i) => ({ ...b0, id: id(i), artifact: `/ws/${id(i)}.wasm`, artifactRel: `${id(i)}.wasm` })),
      artifacts: idx.map((i) => ({ ...a0, path: `/ws/${id(i)}.wasm`, rel: `${id(i)}.wasm` })),
      baseline: {
        ...t.baseline!,
        entries: idx.map((i) => ({ ...e0, benchmark: id(i), artifactRel: `${id(i)}.wasm` })),
      },
      base: { ...t.base, sha256: Object.fromEntries(idx.map((i) => [id(i), t.base.sha256[b0.id]!])) },
      measurements: idx.map((i) => {
        const f = i % 10 === 0 ? 1.2 : 1 + ((i % 7) - 3) / 1000;
        return {
          ...m0,
          benchmark: id(i),
          candidate: { ...m0.candidate, samples: m0.candidate.samples.map((s) => scale(s, f)) },
        };
      }),
    };
    return JSON.stringify(doc);
  });
}

async function inProcess(texts: string[]): Promise<{ ms: number; comment: number; check: number; summary: number }> {
  const t0 = performance.now();
  const partials = texts.map((t, i) => {
    const p = parsePartial(Buffer.from(t), `shard ${i + 1}`);
    if (!p.report) throw new Error(p.problem);
    return p.report;
  });
  const merged = mergePartials(partials);
  const report = { jsonPath: '', comment: true, checkRun: true, failOnRegression: true } as never;
  const r = await judgeRun({ mode: merged.mode, benchmarks: merged.benchmarks, report }, merged.run, {
    warn: () => undefined,
    saveBaseline: () => Promise.reject(new Error('compare mode saves nothing')),
    reproduce: 'npx wasm-perf-gate compare',
    context: {},
  });
  const summary = renderSummary(r.report);
  const comment = renderComment(r.report, { marker: commentMarker(KEY) });
  const check = checkRunContent(r.report, r.outcome);
  renderJson(r.report);
  return { ms: performance.now() - t0, comment: comment.length, check: check.summary.length, summary: summary.length };
}

async function asReportJob(texts: string[]): Promise<{ ms: number; comment?: number; check?: number }> {
  const store = await startArtifactServer();
  const gh = await startGitHubServer({ artifacts: store });
  try {
    const runId = '777';
    texts.forEach((t, k) =>
      store.put(runId, `wasm-perf-gate-partial-${KEY}-linux-x64-${k + 1}-of-${texts.length}.json`, Buffer.from(t)),
    );
    const t0 = performance.now();
    const r = await runAction({
      workspace: scratchDir('bench-report-'),
      inputs: { mode: 'report', 'github-token': 'ghs_bench' },
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: runId,
        ACTIONS_RESULTS_URL: store.url,
        ACTIONS_RUNTIME_TOKEN: store.tokenFor(runId, 'job-report'),
      },
    });
    const ms = performance.now() - t0;
    if (!r.outputs['verdict']) throw new Error(`report job gave no verdict:\n${r.stdout}`);
    return { ms, comment: gh.comments[0]?.body.length, check: gh.checkRuns[0]?.output?.summary?.length };
  } finally {
    await gh.close();
    await store.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

const template = await realPartial();
console.log(
  `template: 1 real cell (${template.measurements[0]!.candidate.samples.length} runs per arm); load ${loadavg()[0]!.toFixed(1)}`,
);
const suite = cloneSuite(template, CELLS, SHARDS);
const inProc: number[] = [];
for (let i = 0; i < REPS; i++) inProc.push((await inProcess(suite)).ms);
console.log(
  `${CELLS} cells / ${SHARDS} shards, in process (parse+validate+merge+judge+render, no download): median ${fmt(median(inProc))}, max ${fmt(Math.max(...inProc))} over ${REPS}`,
);
const jobs: number[] = [];
for (let i = 0; i < REPS; i++) jobs.push((await asReportJob(suite)).ms);
console.log(
  `${CELLS} cells / ${SHARDS} shards, dist/index.js report job (node start + loopback download + comment + check run): median ${fmt(median(jobs))}, max ${fmt(Math.max(...jobs))} over ${REPS}`,
);
const big = cloneSuite(template, SIZE_CELLS, SHARDS);
const sizes = await inProcess(big);
const posted = await asReportJob(big);
console.log(
  `${SIZE_CELLS} cells: comment ${sizes.comment.toLocaleString('en-US')} chars (limit 65,536), check-run summary ${sizes.check.toLocaleString('en-US')} chars (limit 65,535), job summary ${sizes.summary.toLocaleString('en-US')} chars (limit 1 MiB); in process ${fmt(sizes.ms)}`,
);
console.log(
  `${SIZE_CELLS} cells as posted to the API server: comment ${posted.comment?.toLocaleString('en-US')} chars, check-run summary ${posted.check?.toLocaleString('en-US')} chars; report job ${fmt(posted.ms)}`,
);
