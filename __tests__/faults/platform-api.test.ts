// Fault catalogue, GitHub API side: the bundled action against a local API that hangs, answers slowly,
// fails with 5xx, 404, 403 or a rate limit. The verdict is always set before the API is asked, and the
// step never waits longer than the request budget.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { startGitHubServer, type GitHubServerOptions } from '../helpers/github-server.js';
import { pullRequestPayload } from '../helpers/run-action.js';
import {
  assertBaselineKept,
  assertSummary,
  assertWarning,
  FAST_INPUTS,
  faultWorkspace,
  runFault,
  TRAP,
  type FaultRun,
} from '../helpers/fault-case.js';

const T = { timeout: 120_000 };

async function prRun(
  t: Parameters<typeof runFault>[0],
  server: GitHubServerOptions,
  extra: { trap?: boolean; inputs?: Record<string, string> } = {},
): Promise<FaultRun & { posted: number; requests: number }> {
  const gh = await startGitHubServer(server);
  try {
    const ws = await faultWorkspace(extra.trap ? { 'build/trap.wasm': TRAP } : {});
    const r = await runFault(t, {
      workspace: ws,
      inputs: { ...FAST_INPUTS, comment: 'true', 'api-timeout': '400ms', ...extra.inputs },
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: { GITHUB_API_URL: gh.url },
    });
    await assertBaselineKept(ws);
    return { ...r, posted: gh.comments.length, requests: gh.requests.length };
  } finally {
    await gh.close();
  }
}

describe('platform faults: the GitHub API', () => {
  test('an API that accepts the connection and never answers: verdict first, then a bounded wait', T, async (t) => {
    const r = await prRun(t, { delayAll: Infinity }, { trap: true });
    assert.equal(r.code, 1, 'the trapped benchmark fails the step');
    assert.equal(r.outputs['verdict'], 'failed');
    const failedAt = r.stdout.indexOf('::error::wasm-perf-gate:');
    const apiAt = r.stdout.indexOf('::warning::could not post the PR comment');
    assert.ok(failedAt >= 0 && apiAt > failedAt, 'the outcome is set before the API is asked');
    assertWarning(r, /did not answer in time.*api-timeout/);
    assert.equal(r.requests, 2, 'one retry, no more');
    assertSummary(r, /build\/trap/);
  });

  test('an API that answers slowly but within api-timeout: the comment is posted', T, async (t) => {
    const r = await prRun(t, { delayAll: 150 }, { inputs: { 'api-timeout': '5s' } });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.posted, 1);
    assert.equal(r.warnings.filter((w) => /PR comment/.test(w)).length, 0, r.warnings.join('\n'));
    assertSummary(r, /build\/add-one/);
  });

  test('one request that hangs is retried and the comment still arrives', T, async (t) => {
    const r = await prRun(t, { delayNext: [Infinity] });
    assert.equal(r.code, 0, r.stdout);
    assert.equal(r.posted, 1);
    assertSummary(r);
  });

  test('a persistent 502: retried once, then a warning; the verdict and exit code stand', T, async (t) => {
    const bad = { status: 502, message: 'Bad Gateway' };
    const r = await prRun(t, { failNext: [bad, bad, bad] });
    assert.equal(r.code, 0, r.stdout);
    assert.ok(['pass', 'no-baseline'].includes(r.outputs['verdict']!), r.outputs['verdict']);
    assertWarning(r, /could not post the PR comment \(HTTP 502: Bad Gateway\).*job summary has the full report/);
    assertSummary(r);
  });

  test('a 404 on the comments (PR deleted) is worded as such, not as a read-only token', T, async (t) => {
    const r = await prRun(t, { failReads: { status: 404, message: 'Not Found' } });
    assert.equal(r.code, 0, r.stdout);
    assertWarning(r, /HTTP 404.*pull request #7 .*no longer exists/);
    assert.ok(!r.warnings.some((w) => /read-only/.test(w)), r.warnings.join('\n'));
    assertSummary(r);
  });

  test('a 403 on writing (fork token): the read-only hint, summary intact', T, async (t) => {
    const r = await prRun(t, { failWrites: { status: 403, message: 'Resource not accessible by integration' } });
    assert.equal(r.code, 0, r.stdout);
    assertWarning(r, /HTTP 403.*read-only \(fork PR\?\).*pull-requests: write/);
    assert.equal(r.posted, 0);
    assertSummary(r);
  });

  test('a rate limit that outlasts the retry: named as a rate limit', T, async (t) => {
    const limited = { status: 429, message: 'API rate limit exceeded', headers: { 'retry-after': '0' } };
    const r = await prRun(t, { failNext: [limited, limited] });
    assert.equal(r.code, 0, r.stdout);
    assertWarning(r, /HTTP 429.*rate limit was still hit/);
    assertSummary(r);
  });
});
