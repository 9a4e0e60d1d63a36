// The check run through the real @actions/github client, over HTTP, against the local GitHub API server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { publishCheckRun, fitSummary, CHECK_RUN_NAME } from '../src/github/check-run.js';
import { gateOutcome } from '../src/compare/gate.js';
import { CHECK_SUMMARY_MAX_CHARS, checkRunContent } from '../src/report/check-run-content.js';
import { startGitHubServer } from './helpers/github-server.js';
import { MALICIOUS, makeReport, names } from './helpers/report-fixtures.js';

const SHA = 'b'.repeat(40);
const gate = { failOnRegression: true, failOnInconclusive: false };

describe('checkRunContent', () => {
  test('conclusion: failure on a regression, neutral without a baseline, success otherwise', () => {
    const regressed = makeReport({ kindOf: (_b, _r, i) => (i === 0 ? 'regressed' : 'unchanged') });
    const pass = makeReport();
    const fresh = makeReport({ baseline: null, kindOf: () => 'new' });
    assert.equal(checkRunContent(regressed, gateOutcome(regressed.verdicts, gate)).conclusion, 'failure');
    assert.equal(checkRunContent(pass, gateOutcome(pass.verdicts, gate)).conclusion, 'success');
    assert.equal(fresh.headline, 'no-baseline');
    assert.equal(checkRunContent(fresh, gateOutcome(fresh.verdicts, gate)).conclusion, 'neutral');
    const lenient = gateOutcome(regressed.verdicts, { ...gate, failOnRegression: false });
    assert.equal(checkRunContent(regressed, lenient).conclusion, 'success', 'the check follows the gate settings');
  });

  test('title is the headline; the summary has no marker or heading and escapes names', () => {
    const report = makeReport({ benchmarks: [MALICIOUS], kindOf: () => 'regressed' });
    const c = checkRunContent(report, gateOutcome(report.verdicts, gate));
    assert.match(c.title, /wasm-perf-gate: /);
    assert.doesNotMatch(c.summary, /^###/);
    assert.doesNotMatch(c.summary, /<img/);
    assert.match(c.summary, /regress/i);
  });

  test('400 cells fit the 65,535-character output.summary', () => {
    const report = makeReport({
      benchmarks: names('a-rather-long-benchmark-name/for-the-budget', 100),
      runtimes: ['wasmtime@48.0.0', 'node@20.20.2', 'bun@1.3.0', 'deno@2.5.0'],
      kindOf: (_b, _r, i) => (i % 3 === 0 ? 'regressed' : i % 3 === 1 ? 'improved' : 'unchanged'),
    });
    const c = checkRunContent(report, gateOutcome(report.verdicts, gate));
    assert.ok(c.summary.length <= CHECK_SUMMARY_MAX_CHARS, `summary is ${c.summary.length} chars`);
    assert.match(c.summary, /more row|job summary/);
  });

  test('fitSummary cuts at a line and says so', () => {
    const text = Array.from({ length: 100 }, (_, i) => `line ${i}`).join('\n');
    const cut = fitSummary(text, 200);
    assert.ok(cut.length <= 200, String(cut.length));
    assert.match(cut, /job summary has the full report/);
    assert.equal(fitSummary('short', 200), 'short');
  });
});

describe('publishCheckRun over HTTP', () => {
  test('creates the check in progress on the head commit, then completes it with the output', async () => {
    const gh = await startGitHubServer({ token: 't' });
    try {
      const r = await publishCheckRun({
        token: 't',
        owner: 'octo',
        repo: 'demo',
        headSha: SHA,
        conclusion: 'failure',
        title: '🔴 wasm-perf-gate: regression',
        summary: 'x'.repeat(70_000),
        detailsUrl: 'https://github.com/octo/demo/actions/runs/1',
        apiUrl: gh.url,
      });
      assert.equal(r.action, 'completed', r.warning);
      assert.equal(gh.checkRuns.length, 1);
      const run = gh.checkRuns[0]!;
      assert.equal(run.name, CHECK_RUN_NAME);
      assert.equal(run.head_sha, SHA);
      assert.equal(run.status, 'completed');
      assert.equal(run.conclusion, 'failure');
      assert.ok(run.output!.summary!.length <= CHECK_SUMMARY_MAX_CHARS);
      const calls = gh.requests.map((q) => `${q.method} ${q.path}`);
      assert.deepEqual(calls, ['POST /repos/octo/demo/check-runs', `PATCH /repos/octo/demo/check-runs/${run.id}`]);
      assert.equal((gh.requests[0]!.body as { status: string }).status, 'in_progress');
    } finally {
      await gh.close();
    }
  });

  test('a token without checks: write gives one warning, not an error', async () => {
    const gh = await startGitHubServer({
      failChecks: { status: 403, message: 'Resource not accessible by integration' },
    });
    try {
      const r = await publishCheckRun({
        token: 't',
        owner: 'octo',
        repo: 'demo',
        headSha: SHA,
        conclusion: 'success',
        title: 't',
        summary: 's',
        apiUrl: gh.url,
        policy: { maxRetryWaitMs: 10 },
      });
      assert.equal(r.action, 'skipped');
      assert.match(r.warning!, /checks: write/);
      assert.equal(gh.requests.length, 1, 'no retry of a 403 that is not a rate limit');
    } finally {
      await gh.close();
    }
  });
});
