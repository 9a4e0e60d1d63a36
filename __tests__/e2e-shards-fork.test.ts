// The fork flow end to end, through dist/index.js as the runner starts it: a `pull_request` run whose token
// cannot write (every write gets 403) measures in 2 shards and uploads; a later `workflow_run` run (payload
// as GitHub sends it for a fork: `pull_requests: []`) downloads them through the REST artifacts endpoints,
// finds the PR through the API and posts the comment and the check run on the payload's head SHA.
// Then tampered partial reports in that flow: each refused with one line, the verdict never `pass`.
import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startArtifactServer, type ArtifactServer } from './helpers/artifact-server.js';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { foreignTags } from './helpers/markdown-check.js';
import {
  gateInputs,
  pullRequestPayload,
  pushPayload,
  runAction,
  scratchDir,
  workspaceWith,
  type ActionRun,
} from './helpers/run-action.js';

const SLOW = '__tests__/fixtures/e2e/fibonacci-x40.wasm';
const HEAD = 'b'.repeat(40);
// A fork can name its files anything: HTML, a Markdown link, a table break, a mention and a bidi override.
const HOSTILE = 'evil<img src=x onerror=alert(1)>[pwn](javascript:alert(1))|@octo\u202Eexe';
const NAMES = ['alpha', 'bravo', 'charlie', HOSTILE];
const KEY = 'wasm-perf-gate-baseline';
const artifactName = (k: number) => `wasm-perf-gate-partial-${KEY}-${process.platform}-${process.arch}-${k}-of-2.json`;

const inputs = (extra: Record<string, string> = {}) =>
  gateInputs({ 'github-token': 'ghs_read_only_fork_token', 'max-runs': '10', ...extra });

/** `workflow_run` (completed) as GitHub sends it after a fork PR's measuring workflow. */
function workflowRunPayload(runId: number, headSha = HEAD): object {
  const repo = { id: 1, full_name: 'octo/demo', name: 'demo', owner: { login: 'octo', type: 'User' } };
  const fork = {
    id: 2,
    full_name: 'stranger/demo',
    name: 'demo',
    owner: { login: 'stranger', type: 'User' },
    fork: true,
  };
  return {
    action: 'completed',
    workflow_run: {
      id: runId,
      name: 'wasm-perf-fork-measure',
      event: 'pull_request',
      status: 'completed',
      conclusion: 'success',
      head_branch: 'feature',
      head_sha: headSha,
      run_attempt: 1,
      pull_requests: [],
      head_repository: fork,
      repository: repo,
    },
    workflow: { id: 99, name: 'wasm-perf-fork-measure', path: '.github/workflows/wasm-perf-fork-measure.yml' },
    repository: repo,
    sender: { login: 'stranger', type: 'User' },
  };
}

describe('fork PR: pull_request measures read-only, workflow_run reports', () => {
  let store: ArtifactServer;
  let readOnly: GitHubServer;
  let ws: string;
  const measuredRun = 6001;
  const genuine = new Map<number, Buffer>();

  before(async () => {
    store = await startArtifactServer();
    // The fork's token: reads work, every write (comment, check run) gets 403.
    const forbidden = { status: 403, message: 'Resource not accessible by integration' };
    readOnly = await startGitHubServer({ artifacts: store, failWrites: forbidden, failChecks: forbidden });
    ws = workspaceWith(
      Object.fromEntries(NAMES.map((n) => [`build/${n}.wasm`, 'examples/wasm/add-one.wasm'])),
      'fork-ws-',
    );
    const base = await runAction({ workspace: ws, inputs: inputs(), eventName: 'push', payload: pushPayload() });
    assert.equal(base.code, 0, base.stdout + base.stderr);
    copyFileSync(SLOW, join(ws, 'build/alpha.wasm'));
    for (const k of [1, 2]) {
      const s = await runAction({
        workspace: ws,
        inputs: inputs({ shard: `${k}/2` }),
        eventName: 'pull_request',
        payload: pullRequestPayload({ fork: true }),
        env: {
          GITHUB_API_URL: readOnly.url,
          GITHUB_RUN_ID: String(measuredRun),
          ACTIONS_RESULTS_URL: store.url,
          ACTIONS_RUNTIME_TOKEN: store.tokenFor(String(measuredRun), `job-${k}`),
        },
      });
      assert.equal(s.code, 0, `shard ${k}/2: ${s.stdout}${s.stderr}`);
    }
    for (const a of store.artifacts) genuine.set(Number(/(\d)-of-2/.exec(a.name)![1]), a.bytes!);
  });
  after(async () => {
    await readOnly.close();
    await store.close();
  });

  /** The workflow_run job: its own run id and runtime token; the measured run's artifacts only through REST. */
  async function report(gh: GitHubServer, runId: number, headSha = HEAD): Promise<ActionRun> {
    const own = String(runId + 500);
    return runAction({
      workspace: scratchDir('report-ws-'),
      inputs: { mode: 'report', 'run-id': String(runId), 'github-token': 'ghs_base_repo_token' },
      eventName: 'workflow_run',
      payload: workflowRunPayload(runId, headSha),
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: own,
        GITHUB_SHA: 'c'.repeat(40), // workflow_run runs on the default branch's commit, not the PR's
        GITHUB_REF: 'refs/heads/main',
        ACTIONS_RESULTS_URL: store.url,
        ACTIONS_RUNTIME_TOKEN: store.tokenFor(own, 'job-report'),
      },
    });
  }
  const baseRepoApi = (extra: { pulls?: { number: number; headSha: string }[] } = {}) =>
    startGitHubServer({
      artifacts: store,
      token: 'ghs_base_repo_token',
      pulls: (extra.pulls ?? [{ number: 7, headSha: HEAD }]).map((p) => ({
        ...p,
        headOwner: 'stranger',
        headRef: 'feature',
      })),
    });

  test('the read-only run uploads; the workflow_run run comments on the PR it found and checks the head SHA', async () => {
    assert.deepEqual(
      store.artifacts.map((a) => a.name),
      [1, 2].map(artifactName),
    );
    assert.equal(readOnly.comments.length + readOnly.checkRuns.length, 0, 'the measuring run writes nothing');
    const gh = await baseRepoApi();
    try {
      const r = await report(gh, measuredRun);
      assert.equal(r.outputs['verdict'], 'regressed', r.stdout + r.stderr);
      assert.notEqual(r.code, 0);
      const listed = gh.requests.find((q) => q.path === `/repos/octo/demo/actions/runs/${measuredRun}/artifacts`);
      assert.ok(listed, 'the other run is listed through the REST artifacts endpoint');
      assert.equal(gh.requests.filter((q) => /\/actions\/artifacts\/\d+\/zip$/.test(q.path)).length, 2);
      const lookup = gh.requests.find((q) => q.path === '/repos/octo/demo/pulls');
      assert.equal(lookup?.query['head'], 'stranger:feature', 'the PR is found through the API by the fork head');
      assert.deepEqual(
        gh.comments.map((c) => c.issueNumber),
        [7],
      );
      assert.deepEqual(
        gh.checkRuns.map((c) => [c.name, c.head_sha, c.conclusion]),
        [['wasm-perf-gate', HEAD, 'failure']],
      );
      assert.match(gh.comments[0]!.body, /alpha/);
    } finally {
      await gh.close();
    }
  });

  test('the PR comes from the API, never from the reports: a moved head gets the check but no comment', async () => {
    const gh = await baseRepoApi({ pulls: [{ number: 7, headSha: 'e'.repeat(40) }] });
    try {
      const r = await report(gh, measuredRun);
      assert.equal(gh.comments.length, 0, 'no PR has this head: nothing to comment on');
      assert.match(r.stdout, /no open PR has head commit bbbbbbb/);
      assert.deepEqual(
        gh.checkRuns.map((c) => c.head_sha),
        [HEAD],
      );
    } finally {
      await gh.close();
    }
  });

  /** Shard 1 genuine, shard 2 as given, in a run of its own; the report run against the base repo's API. */
  async function tampered(runId: number, shard2: Buffer, lie?: (size: number) => number) {
    store.put(String(runId), artifactName(1), genuine.get(1)!);
    const a = store.put(String(runId), artifactName(2), shard2);
    if (lie) a.size = lie(a.size);
    const gh = await baseRepoApi();
    try {
      const r = await report(gh, runId);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      const refusals = errors.filter((l) => l.includes(artifactName(2)));
      assert.equal(refusals.length, 1, `one line for the refused report:\n${errors.join('\n')}`);
      assert.notEqual(r.outputs['verdict'], 'pass', r.stdout);
      assert.equal(r.outputs['verdict'], 'failed', `shard 2 refused: ${r.stdout}`);
      assert.notEqual(r.code, 0);
      assert.match(r.summary, /shard 2\/2 was refused/);
      assert.equal(gh.checkRuns.at(-1)?.conclusion, 'failure');
      return { refusal: refusals[0]!, run: r };
    } finally {
      await gh.close();
    }
  }
  const edited = (edit: (doc: Record<string, unknown>) => void): Buffer => {
    const doc = JSON.parse(genuine.get(2)!.toString('utf8')) as Record<string, unknown>;
    edit(doc);
    return Buffer.from(JSON.stringify(doc));
  };

  test('tampered: wrong schema', async () => {
    const bad = edited((d) => ((d['measurements'] as { elapsedMs: unknown }[])[0]!.elapsedMs = 'fast'));
    const { refusal } = await tampered(6101, bad);
    assert.match(refusal, /does not match the partial-report schema at measurements\.0\.elapsedMs/);
  });

  test('tampered: 100 MB, refused from the listing before any download', async () => {
    const blobGets = store.calls.filter((c) => c === 'blob:get').length;
    const { refusal } = await tampered(6102, Buffer.alloc(100 * 1024 * 1024, 0x20));
    assert.match(refusal, /is 100\.0 MiB, over the 64\.0 MiB limit of a partial report: refused unread/);
    assert.equal(store.calls.filter((c) => c === 'blob:get').length - blobGets, 1, 'only shard 1 was downloaded');
  });

  test('tampered: 100 MB whose listing lies about its size, refused before parsing', async () => {
    const { refusal } = await tampered(6103, Buffer.alloc(100 * 1024 * 1024, 0x20), () => 2000);
    assert.match(
      refusal,
      /is more than the 64\.0 MiB limit of a partial report \(listed as 2\.0 KiB\): the download was stopped there, nothing was written to disk: refused$/,
    );
  });

  test('tampered: claims another head commit', async () => {
    const bad = edited((d) => ((d['claims'] as { commit: string }).commit = 'd'.repeat(40)));
    const { refusal } = await tampered(6104, bad);
    assert.match(refusal, /claims commit "d{40}", but the run under report is for "b{40}": refused/);
  });

  test('tampered: claims another PR', async () => {
    const bad = edited((d) => ((d['claims'] as { pullRequest: number }).pullRequest = 8));
    const { refusal } = await tampered(6105, bad);
    assert.match(refusal, /claims PR #8, but head commit "b{40}" belongs to PR #7: refused/);
  });

  test("tampered: a fork's run claims to be a baseline refresh, refused (it would become main's baseline)", async () => {
    const bad = edited((d) => (d['mode'] = 'baseline'));
    const { refusal, run } = await tampered(6107, bad);
    assert.match(refusal, /is a baseline refresh, but the run under report is not a push, schedule or manual run/);
    assert.doesNotMatch(run.summary, /saved the baseline|nothing was saved/, 'judged as a comparison, no refresh');
    assert.match(run.summary, /<code>build\/alpha<\/code>/, 'the genuine shard (alpha) was still judged');
  });

  test('every report refused: no verdict is `pass`, the check run fails and says why', async () => {
    const runId = 6106;
    const wrongCommit = (k: number) => {
      const doc = JSON.parse(genuine.get(k)!.toString('utf8')) as { claims: { commit: string } };
      doc.claims.commit = 'd'.repeat(40);
      return Buffer.from(JSON.stringify(doc));
    };
    for (const k of [1, 2]) store.put(String(runId), artifactName(k), wrongCommit(k));
    const gh = await baseRepoApi();
    try {
      const r = await report(gh, runId);
      const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      assert.equal(errors.filter((l) => / claims commit /.test(l)).length, 2, errors.join('\n'));
      assert.match(
        errors.at(-1)!,
        /refused every partial report of [a-z0-9]+-[a-z0-9]+ \(2 refused, each named in an error above\)/,
      );
      assert.equal(r.outputs['verdict'], 'failed', r.stdout);
      assert.notEqual(r.code, 0);
      assert.equal(gh.comments.length, 0);
      assert.deepEqual(
        gh.checkRuns.map((c) => [c.head_sha, c.conclusion]),
        [[HEAD, 'failure']],
      );
      assert.match(gh.checkRuns[0]!.output!.summary!, /refused every partial report/);
    } finally {
      await gh.close();
    }
  });

  test('hostile names are escaped in the comment, the check run and the summary', async () => {
    const gh = await baseRepoApi();
    try {
      const r = await report(gh, measuredRun);
      const check = gh.checkRuns[0]!;
      const docs = {
        comment: gh.comments[0]!.body,
        'check run summary': check.output!.summary!,
        'check run title': check.output!.title!,
        'job summary': r.summary,
      };
      assert.match(docs.comment, /evil&lt;img/, 'the hostile cell is in the comment, escaped');
      for (const [where, text] of Object.entries(docs)) {
        assert.deepEqual(foreignTags(text), [], `${where}: no HTML tag from a name`);
        assert.ok(!text.includes('\u202E'), `${where}: no raw bidi override`);
        assert.ok(!text.includes('[pwn](javascript:alert(1))'), `${where}: no live link from a name`);
        assert.ok(!/(?<![\\\w])@octo/.test(text), `${where}: no mention from a name`);
      }
    } finally {
      await gh.close();
    }
  });
});
