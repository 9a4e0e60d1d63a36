// The bundled action, started as the runner starts it, against a local GitHub API (issue comments).
// Baseline in a file (`baseline-path`); the Actions cache path has its own test file.
import assert from 'node:assert/strict';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { tablesOf } from './helpers/markdown-check.js';
import { gateInputs, pullRequestPayload, pushPayload, runAction, workspaceWith } from './helpers/run-action.js';

const FAST = 'examples/wasm/fibonacci.wasm';
const SLOW = '__tests__/fixtures/e2e/fibonacci-x40.wasm'; // the same program doing 40× the work (≥2× wall on node 20 and 24)

const workspace = () =>
  workspaceWith({ 'build/fibonacci.wasm': FAST, 'build/add-one.wasm': 'examples/wasm/add-one.wasm' });
const inputs = gateInputs;

describe('the gate end to end on node, baseline in a file', () => {
  let gh: GitHubServer;
  let ws: string;
  before(async () => {
    gh = await startGitHubServer();
    ws = workspace();
  });
  after(() => gh.close());

  test('a push run measures and saves the baseline', async () => {
    const r = await runAction({ workspace: ws, inputs: inputs(), eventName: 'push', payload: pushPayload() });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved');
    const doc = JSON.parse(readFileSync(join(ws, 'perf/baseline.json'), 'utf8'));
    assert.deepEqual(doc.entries.map((e: { benchmark: string }) => e.benchmark).sort(), [
      'build/add-one',
      'build/fibonacci',
    ]);
    assert.ok(Object.keys(doc.artifacts).length === 2, 'the baseline carries its own .wasm files');
    assert.match(r.summary, /baseline saved/i);
    assert.equal(gh.requests.length, 0, 'a baseline run posts no comment');
  });

  test('a PR with the same artifacts passes and posts one comment', async () => {
    const r = await runAction({
      workspace: ws,
      inputs: inputs(),
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: { GITHUB_API_URL: gh.url },
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'pass');
    assert.equal(r.outputs['regressions'], '0');
    assert.equal(gh.comments.length, 1);
    assert.match(gh.comments[0]!.body, /<!-- wasm-perf-gate:/);
    assert.equal(gh.requests.filter((q) => q.method === 'POST' && q.path.endsWith('/comments')).length, 1);
    assert.equal(gh.checkRuns.length, 1, 'one check run');
    assert.deepEqual(
      [gh.checkRuns[0]!.name, gh.checkRuns[0]!.head_sha, gh.checkRuns[0]!.conclusion],
      ['wasm-perf-gate', 'b'.repeat(40), 'success'],
      'on the PR head commit, not the merge commit',
    );
    const json = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
    assert.ok(
      json.measurements.every((m: { baseline?: unknown }) => m.baseline),
      'the baseline artifacts were re-measured side by side',
    );
    // Only wall time is gated, yet every cell shows CPU, peak RSS (with its change) and node's phases.
    const body = gh.comments[0]!.body;
    const at = body.search(/<details><summary>📊 Resources: CPU, peak RSS, phases \(2 cells[;)]/);
    assert.ok(at > 0, body);
    const rows = tablesOf(body.slice(at))[0]!.rows;
    assert.deepEqual(rows.map((row) => row[0]!.trim()).sort(), [
      '<code>build/add-one</code>',
      '<code>build/fibonacci</code>',
    ]);
    for (const row of rows) {
      assert.match(row[2]!, /\d (ms|s) \([+±-][\d.]+%\)/, `CPU with change: ${row.join('|')}`);
      assert.match(row[3]!, /\d MiB \([+±-][\d.]+%\)/, `peak RSS with change: ${row.join('|')}`);
      for (const phase of row.slice(4, 7)) assert.match(phase, /\d (µs|ms|s)/, `phases: ${row.join('|')}`);
    }
    for (const m of json.measurements as { gated: string[]; candidate: { samples: { values: object }[] } }[]) {
      assert.deepEqual(m.gated, ['wall']);
      assert.deepEqual(
        Object.keys(m.candidate.samples[0]!.values).sort(),
        ['compile', 'cpu', 'execute', 'instantiate', 'peak-rss', 'sys', 'user', 'wall'],
        'the JSON report carries every figure of every run',
      );
    }
  });

  test('a clearly slower artifact fails the step, is listed first, and updates the same comment', async () => {
    copyFileSync(SLOW, join(ws, 'build/fibonacci.wasm'));
    const r = await runAction({
      workspace: ws,
      inputs: inputs(),
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: { GITHUB_API_URL: gh.url },
    });
    assert.notEqual(r.code, 0, 'the step fails on the regression');
    assert.equal(r.outputs['verdict'], 'regressed', r.summary);
    assert.equal(r.outputs['regressions'], '1');
    assert.match(r.stdout, /::error::.*build\/fibonacci/);
    const first = r.summary.indexOf('build/fibonacci');
    assert.ok(first >= 0 && first < r.summary.indexOf('build/add-one'), 'the regression comes first in the summary');
    assert.equal(gh.comments.length, 1, 'the comment is updated in place, not duplicated');
    assert.equal(gh.requests.filter((q) => q.method === 'PATCH' && q.path.includes('/comments/')).length, 1);
    assert.equal(gh.checkRuns.at(-1)!.conclusion, 'failure', r.summary);
    assert.match(gh.checkRuns.at(-1)!.output!.summary!, /fibonacci/);
    assert.match(gh.comments[0]!.body, /fibonacci/);
    assert.match(gh.comments[0]!.body, /regress/i);
  });
});

describe('a fork PR whose token cannot comment', () => {
  test('still writes the summary, still fails on the regression, and warns why no comment was posted', async () => {
    const gh = await startGitHubServer({
      failWrites: { status: 403, message: 'Resource not accessible by integration' },
      failChecks: { status: 403, message: 'Resource not accessible by integration' },
    });
    try {
      const ws = workspace();
      const base = await runAction({ workspace: ws, inputs: inputs(), eventName: 'push', payload: pushPayload() });
      assert.equal(base.code, 0, base.stderr);
      copyFileSync(SLOW, join(ws, 'build/fibonacci.wasm'));
      const r = await runAction({
        workspace: ws,
        inputs: inputs(),
        eventName: 'pull_request',
        payload: pullRequestPayload({ fork: true }),
        env: { GITHUB_API_URL: gh.url },
      });
      assert.equal(r.outputs['verdict'], 'regressed', r.summary);
      assert.notEqual(r.code, 0);
      assert.match(r.summary, /fibonacci/);
      assert.match(r.stdout, /::warning::.*(403|read-only)/);
      const checkWarnings = r.stdout.split('\n').filter((l) => /^::warning::.*check run/.test(l));
      assert.equal(checkWarnings.length, 1, `one warning about the check run:\n${r.stdout}`);
      assert.equal(gh.comments.length, 0);
    } finally {
      await gh.close();
    }
  });
});

describe('bad input: one clear line naming the input, non-zero exit', () => {
  const cases: [string, Record<string, string>, RegExp, ((ws: string) => void)?][] = [
    ['no artifacts matched', { artifacts: 'nothing/*.wasm' }, /::error::artifacts: no \.wasm files matched/],
    ['an unknown runtime', { runtimes: 'nodejs' }, /::error::runtimes: .*nodejs/],
    ['a threshold like five', { threshold: 'five' }, /::error::threshold: 'five' is not a percentage/],
    [
      'a malformed config file',
      { config: 'perf.yml' },
      /::error::config: perf\.yml/,
      (ws) => writeFileSync(join(ws, 'perf.yml'), 'benchmarks:\n  - artifact: build/a.wasm\n    args: [1, 2\n'),
    ],
    [
      'a wasm file that is not wasm',
      { artifacts: 'build/*.wasm' },
      /::error::artifacts: build\/fake\.wasm is not a WebAssembly module/,
      (ws) => writeFileSync(join(ws, 'build/fake.wasm'), '(module)\n'),
    ],
  ];
  for (const [name, extra, expected, prepare] of cases) {
    test(name, async () => {
      const ws = workspace();
      prepare?.(ws);
      const r = await runAction({
        workspace: ws,
        inputs: inputs(extra),
        eventName: 'pull_request',
        payload: pullRequestPayload(),
      });
      assert.notEqual(r.code, 0);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
      assert.equal(errors.length, 1, r.stdout);
      assert.match(errors[0]!, expected);
      assert.ok(!existsSync(join(ws, 'perf/baseline.json')));
    });
  }
});

describe('a benchmark whose program fails', () => {
  test('is reported as failed (a trap named as a trap), never timed, and fails the step', async () => {
    const ws = workspace();
    copyFileSync('__tests__/fixtures/measure/trap.wasm', join(ws, 'build/trap.wasm'));
    const r = await runAction({
      workspace: ws,
      inputs: inputs({ comment: 'false' }),
      eventName: 'pull_request',
      payload: pullRequestPayload(),
    });
    assert.notEqual(r.code, 0);
    assert.equal(r.outputs['verdict'], 'failed');
    assert.match(r.summary, /build\/trap/);
    assert.match(r.summary, /trap/i);
    const json = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8'));
    const cell = json.measurements.find((m: { benchmark: string }) => m.benchmark === 'build/trap');
    assert.equal(cell.candidate.failure.kind, 'trap');
    assert.equal(cell.candidate.samples.length, 0, 'a failed run is never timed');
  });
});
