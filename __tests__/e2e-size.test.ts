// Issue 28 end to end through dist/index.js: a size-only gate (size, size-gzip, size-brotli, code-size,
// data-size) over modules built here with clang. The baseline (a push run) stores main's build; a PR with
// identical builds passes; a PR in which one function grew fails the step, and the job summary and the PR
// comment name that function and not the ones that did not change. Nothing runs: the configured runtimes
// are a custom command that would leave a marker file and a wasmtime that is not installed.
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireTool } from './helpers/tools.js';
import { wasmLayout } from '../src/wasm/wasm-sections.js';
import { buildSizeFixture } from './helpers/build-size-fixture.js';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir, type ActionRun } from './helpers/run-action.js';

const SIZE_METRICS = 'size, size-gzip, size-brotli, code-size, data-size';

interface Report {
  verdicts: { benchmark: string; runtime: string; metric: string; kind: string; thresholdBytes?: number }[];
  measurements: { runtime: string; size?: { grew: { name: string }[]; names: string } }[];
  runtimes: unknown[];
}
const reportOf = (r: ActionRun): Report => JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as Report;

// clang with wasi-libc builds the programs: without it these tests are skipped (a failure under CI=true).
const clang = requireTool('clang');
describe('size-only gate over clang-built modules', clang, () => {
  let gh: GitHubServer;
  let ws: string;
  let builds: string;
  const marker = () => join(ws, 'RUNTIME-WAS-RUN');

  before(async () => {
    gh = await startGitHubServer();
    builds = scratchDir('size-builds-');
    buildSizeFixture(join(builds, 'main.wasm'), [], builds);
    buildSizeFixture(join(builds, 'grown.wasm'), ['GROW'], builds);
    ws = scratchDir('size-ws-');
    const runner = join(ws, 'would-run.sh');
    writeFileSync(runner, `#!/bin/sh\ntouch '${join(ws, 'RUNTIME-WAS-RUN')}'\n`);
    chmodSync(runner, 0o755);
    writeFileSync(
      join(ws, 'perf.yml'),
      [
        'runtimes:',
        `  - { name: custom, id: would-run, command: ['${runner}', '{wasm}'] }`,
        '  - wasmtime@path',
        `metrics: [${SIZE_METRICS}]`,
        'threshold: 1%',
        'benchmarks:',
        '  - { name: app, artifact: build/app.wasm, thresholds: { size: 256B } }',
        '  - { name: steady, artifact: build/steady.wasm }',
        '',
      ].join('\n'),
    );
    mkdirSync(join(ws, 'build'));
    place('main.wasm', 'main.wasm');
  });
  after(() => gh.close());

  function place(app: string, steady: string): void {
    writeFileSync(join(ws, 'build', 'app.wasm'), readFileSync(join(builds, app)), { flag: 'w' });
    writeFileSync(join(ws, 'build', 'steady.wasm'), readFileSync(join(builds, steady)));
  }

  const run = (eventName: 'push' | 'pull_request') =>
    runAction({
      workspace: ws,
      inputs: {
        config: 'perf.yml',
        'baseline-path': 'perf/baseline.json',
        'github-token': 'ghs_test_token',
        'check-run': 'false',
      },
      eventName,
      payload: eventName === 'push' ? pushPayload() : pullRequestPayload(),
      env: { GITHUB_API_URL: gh.url, PATH: '/usr/bin:/bin' },
    });

  test('the builds keep their name section (clang ran without wasm-opt)', () => {
    const layout = wasmLayout(readFileSync(join(builds, 'grown.wasm')));
    assert.ok(layout.named, 'the name section names functions');
    assert.ok(layout.functions.some((f) => f.name === 'grow_me'));
  });

  test('a push run saves the sizes as the baseline, installs and runs nothing', async () => {
    const started = Date.now();
    const r = await run('push');
    const took = Date.now() - started;
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved');
    assert.equal(existsSync(marker()), false, 'the custom runtime never ran');
    assert.doesNotMatch(r.stdout, /runtime (would-run|wasmtime)/, 'no runtime was resolved');
    assert.deepEqual(reportOf(r).runtimes, []);
    const doc = JSON.parse(readFileSync(join(ws, 'perf/baseline.json'), 'utf8'));
    const app = doc.entries.find((e: { benchmark: string }) => e.benchmark === 'app');
    assert.equal(app.runtime, 'static');
    assert.deepEqual(Object.keys(app.metrics).sort(), SIZE_METRICS.split(', ').sort());
    assert.equal(app.metrics.size.median, readFileSync(join(builds, 'main.wasm')).length);
    console.log(`size-only baseline run of 2 modules through dist/index.js: ${took} ms (node start-up included)`);
  });

  test('a PR with identical builds passes', async () => {
    const r = await run('pull_request');
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'pass');
    const report = reportOf(r);
    assert.equal(report.verdicts.length, 10, '2 benchmarks × 5 size metrics');
    assert.ok(report.verdicts.every((v) => v.kind === 'unchanged' && v.runtime === 'static'));
    assert.equal(existsSync(marker()), false);
    assert.equal(gh.comments.length, 1);
    assert.doesNotMatch(gh.comments[0]!.body, /grow_me/);
  });

  test('a PR in which one function grew fails, and names that function only', async () => {
    place('grown.wasm', 'main.wasm');
    const r = await run('pull_request');
    assert.notEqual(r.code, 0, 'the step fails');
    assert.equal(r.outputs['verdict'], 'regressed');
    const report = reportOf(r);
    const regressed = report.verdicts.filter((v) => v.kind === 'regressed');
    assert.ok(
      regressed.some((v) => v.benchmark === 'app' && v.metric === 'code-size'),
      JSON.stringify(report.verdicts),
    );
    const size = report.verdicts.find((v) => v.benchmark === 'app' && v.metric === 'size')!;
    assert.equal(size.kind, 'regressed', 'over the 256 B threshold of `size`');
    assert.equal(size.thresholdBytes, 256);
    assert.ok(report.verdicts.filter((v) => v.benchmark === 'steady').every((v) => v.kind === 'unchanged'));
    assert.equal(report.measurements.find((m) => m.size?.grew.length)?.size?.grew[0]?.name, 'grow_me');
    assert.match(r.stdout, /::error::.*app/);
    const comment = gh.comments[0]!.body;
    for (const [where, text] of [
      ['job summary', r.summary],
      ['PR comment', comment],
    ] as const) {
      assert.match(text, /grow_me/, `the ${where} names the function that grew`);
      assert.doesNotMatch(text, /steady_one|steady_two/, `the ${where} names no unchanged function`);
      assert.match(text, /What changed in <code>app<\/code>/, where);
    }
    assert.match(r.summary, /\| <code>code<\/code> \|/, 'the summary has the per-section table');
    assert.match(
      r.summary,
      /<code>app<\/code> on <code>static<\/code> \(code-size\) — main's last 1 refresh/,
      "size has a trend against main's history like every metric",
    );
    assert.equal(existsSync(marker()), false, 'still nothing ran');
  });
});
