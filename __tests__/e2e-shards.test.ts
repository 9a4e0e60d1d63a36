// Sharded gate end to end: 4 shard processes of dist/index.js (each with its own RUNNER_TEMP, as 4
// runners), uploading partial reports through the real @actions/artifact to the local artifact service,
// then the report job: one merged verdict (Holm over every cell), one comment, one check run.
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { adjustPValues } from '../src/stats/multiple.js';
import { startArtifactServer, type ArtifactServer } from './helpers/artifact-server.js';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import {
  gateInputs,
  pullRequestPayload,
  pushPayload,
  runAction,
  scratchDir,
  workspaceWith,
} from './helpers/run-action.js';

const FAST = 'examples/wasm/fibonacci.wasm';
const SLOW = '__tests__/fixtures/e2e/fibonacci-x40.wasm';
const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot', 'golf', 'hotel'];

const workspace = () =>
  workspaceWith(
    Object.fromEntries(NAMES.map((n) => [`build/${n}.wasm`, n === 'alpha' ? FAST : 'examples/wasm/add-one.wasm'])),
  );
const inputs = (extra: Record<string, string> = {}) => gateInputs({ 'max-runs': '10', ...extra });

interface Verdict {
  benchmark: string;
  runtime: string;
  kind: string;
  pValue?: number;
  adjustedP?: number;
  ratio?: number;
}

describe('4 shards and a report job', () => {
  let gh: GitHubServer;
  let store: ArtifactServer;
  let ws: string;
  before(async () => {
    store = await startArtifactServer();
    gh = await startGitHubServer({ artifacts: store });
    ws = workspace();
    const base = await runAction({ workspace: ws, inputs: inputs(), eventName: 'push', payload: pushPayload() });
    assert.equal(base.code, 0, base.stdout + base.stderr);
    copyFileSync(SLOW, join(ws, 'build/alpha.wasm'));
  });
  after(async () => {
    await gh.close();
    await store.close();
  });

  const shard = (runId: string, k: number, opts: { killAfterMs?: number } = {}) =>
    runAction({
      workspace: ws,
      inputs: inputs({ shard: `${k}/4` }),
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      killAfterMs: opts.killAfterMs,
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: runId,
        ACTIONS_RESULTS_URL: store.url,
        ACTIONS_RUNTIME_TOKEN: store.tokenFor(runId, `job-${k}`),
      },
    });
  const report = (runId: string) =>
    runAction({
      workspace: scratchDir('report-ws-'),
      inputs: { mode: 'report', 'github-token': 'ghs_test_token' },
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: {
        GITHUB_API_URL: gh.url,
        GITHUB_RUN_ID: runId,
        ACTIONS_RESULTS_URL: store.url,
        ACTIONS_RUNTIME_TOKEN: store.tokenFor(runId, 'job-report'),
      },
    });

  test('every cell judged once, Holm over all of them, one comment, one failing check run', async () => {
    const runId = '5001';
    const shards = [];
    for (const k of [1, 2, 3, 4]) shards.push(await shard(runId, k));
    shards.forEach((s, i) => {
      assert.equal(s.code, 0, `shard ${i + 1}: ${s.stdout}${s.stderr}`);
      assert.equal(s.outputs['verdict'], undefined, 'a shard does not judge');
    });
    assert.equal(gh.comments.length, 0, 'shards post no comment');
    assert.equal(gh.checkRuns.length, 0, 'shards create no check run');
    assert.deepEqual(
      store.artifacts.map((a) => a.name).sort(),
      [1, 2, 3, 4].map(
        (k) => `wasm-perf-gate-partial-wasm-perf-gate-baseline-${process.platform}-${process.arch}-${k}-of-4.json`,
      ),
    );
    assert.ok(store.calls.includes('blob:blocklist'), 'uploaded as a block blob');

    const r = await report(runId);
    const json = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as { verdicts: Verdict[] };
    const cells = json.verdicts.map((v) => `${v.benchmark} ${v.kind} ${v.ratio?.toFixed(2)}`);
    assert.equal(r.outputs['verdict'], 'regressed', `${cells.join('\n')}\n${r.stdout}`);
    assert.notEqual(r.code, 0);
    assert.deepEqual(
      json.verdicts.map((v) => v.benchmark).sort(),
      NAMES.map((n) => `build/${n}`),
    );
    const tested = json.verdicts.filter((v) => v.pValue !== undefined && v.adjustedP !== undefined);
    assert.ok(tested.length >= 2, `p-values: ${cells.join('; ')}`);
    const holm = adjustPValues(
      tested.map((v) => v.pValue!),
      'holm',
    );
    tested.forEach((v, i) =>
      assert.ok(Math.abs(v.adjustedP! - holm[i]!) < 1e-12, `${v.benchmark}: Holm over all cells`),
    );
    assert.equal(gh.comments.length, 1);
    assert.match(gh.comments[0]!.body, /alpha/);
    assert.equal(gh.checkRuns.length, 1);
    assert.deepEqual([gh.checkRuns[0]!.conclusion, gh.checkRuns[0]!.head_sha], ['failure', 'b'.repeat(40)]);
  });

  test('a shard killed mid-run: its cells are named and the verdict is failed', async () => {
    const runId = '5002';
    for (const k of [1, 2, 3]) assert.equal((await shard(runId, k)).code, 0);
    const killed = await shard(runId, 4, { killAfterMs: 300 });
    assert.notEqual(killed.code, 0);
    const r = await report(runId);
    assert.equal(r.outputs['verdict'], 'failed', r.stdout);
    assert.notEqual(r.code, 0);
    assert.match(r.summary, /shard 4\/4 sent no partial report/);
    const json = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as { verdicts: Verdict[] };
    const failed = json.verdicts.filter((v) => v.kind === 'failed').map((v) => v.benchmark);
    assert.ok(failed.length >= 1, 'the missing shard has cells');
    for (const b of failed) assert.match(r.summary, new RegExp(b.replace('/', '\\/')));
    assert.deepEqual(
      json.verdicts.map((v) => v.benchmark).sort(),
      NAMES.map((n) => `build/${n}`),
      'every cell present',
    );
    assert.equal(gh.checkRuns.at(-1)!.conclusion, 'failure');
  });
});
