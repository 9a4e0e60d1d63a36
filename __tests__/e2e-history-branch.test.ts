// `history: branch:NAME` end to end: the bundled dist/index.js started as the runner starts it, refreshing a
// baseline-path baseline while GITHUB_SERVER_URL=file://… makes `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git`
// a real local bare repository. And a bad `history` value: the exit code and one error line naming it.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { test } from 'node:test';
import { parseHistoryFile } from '../src/history/branch-file.js';
import { bareRemote, fileOnBranch, inBare } from './helpers/git-server.js';
import { ACTION_NODE, gateInputs, pushPayload, runAction, workspaceWith } from './helpers/run-action.js';

const T = { timeout: 180_000 };
const FILE = 'wasm-perf-gate-baseline-linux-x64.json';
const sha = (i: number) => String(i).repeat(40);

async function refresh(ws: string, server: string, i: number, extra: Record<string, string> = {}) {
  const r = await runAction({
    workspace: ws,
    inputs: gateInputs({ history: 'branch:perf-history', 'max-runs': '10', warmup: '0', ...extra }),
    eventName: 'push',
    payload: pushPayload(),
    env: { GITHUB_SERVER_URL: server, GITHUB_SHA: sha(i), RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.equal(r.outputs['verdict'], 'baseline-saved', r.stdout);
  return r;
}

const commits = (text: string) =>
  (parseHistoryFile(text, 'file').history ?? []).flatMap((h) => h.points.map((p) => p.commit));

test(
  'two refreshes write the branch file and append to it; a third with the baseline gone carries it forward',
  T,
  async () => {
    const { bare, server } = bareRemote();
    const ws = workspaceWith({ 'build/add-one.wasm': 'examples/wasm/add-one.wasm' });
    const first = await refresh(ws, server, 1);
    assert.match(first.stdout, /history: pushed wasm-perf-gate-baseline-linux-x64\.json to branch perf-history/);
    assert.doesNotMatch(first.stdout, /::warning::history/, 'no warning about the branch');
    await refresh(ws, server, 2);
    assert.deepEqual(commits(fileOnBranch(bare, 'perf-history', FILE)), [sha(1), sha(2)]);
    assert.equal(inBare(bare, 'rev-list', '--count', 'perf-history'), '2', 'one commit per refresh');
    assert.equal(
      inBare(bare, 'log', '-1', '--format=%s', 'perf-history'),
      `wasm-perf-gate: history ${FILE} at ${sha(2).slice(0, 12)}`,
    );

    rmSync(join(ws, 'perf/baseline.json')); // as an evicted cache entry: no baseline restored
    await refresh(ws, server, 3);
    const baseline = JSON.parse(readFileSync(join(ws, 'perf/baseline.json'), 'utf8'));
    assert.deepEqual(
      baseline.history[0].points.map((p: { commit: string }) => p.commit),
      [sha(1), sha(2), sha(3)],
      'the new baseline starts with the history kept on the branch',
    );
    assert.deepEqual(commits(fileOnBranch(bare, 'perf-history', FILE)), [sha(1), sha(2), sha(3)]);
  },
);

test('a remote that cannot be read is one warning naming history; the baseline is still saved', T, async () => {
  const ws = workspaceWith({ 'build/add-one.wasm': 'examples/wasm/add-one.wasm' });
  const r = await refresh(ws, 'file:///nonexistent-wpg-remote', 1);
  const warnings = r.stdout.split('\n').filter((l) => l.startsWith('::warning::history'));
  assert.equal(warnings.length, 1, r.stdout);
  assert.match(warnings[0]!, /could not read branch perf-history/);
  assert.ok(readFileSync(join(ws, 'perf/baseline.json')).length > 0, 'the baseline was saved');
});

test('a bad history value stops the action before measuring: exit 1 and one error line naming history', T, async () => {
  const ws = workspaceWith({ 'build/add-one.wasm': 'examples/wasm/add-one.wasm' });
  for (const [value, problem] of [
    ['branch:a..b', /'a\.\.b' is not a usable branch name \(\.\. is not allowed\)/],
    ['git', /unknown value 'git'/],
  ] as const) {
    const r = await runAction({
      workspace: ws,
      inputs: gateInputs({ history: value }),
      eventName: 'push',
      payload: pushPayload(),
    });
    assert.equal(r.code, 1, r.stdout + r.stderr);
    const errors = r.stdout.split('\n').filter((l) => l.startsWith('::error'));
    assert.equal(errors.length, 1, r.stdout);
    assert.match(errors[0]!, /^::error::history: /);
    assert.match(errors[0]!, problem);
    assert.match(errors[0]!, /Use `baseline` or `branch:NAME`/);
    assert.doesNotMatch(r.stdout, /\[1\/1\]/, 'nothing was measured');
  }
});

test('the CLI: a bad --history is exit 2 with the same one line', () => {
  const r = spawnSync(
    ACTION_NODE,
    [resolve('dist/cli.js'), 'baseline', '--artifacts', 'examples/wasm/add-one.wasm', '--history', 'branch:'],
    {
      encoding: 'utf8',
    },
  );
  assert.equal(r.status, 2, r.stdout + r.stderr);
  assert.match(r.stderr, /^wasm-perf-gate: history: '' is not a usable branch name \(it is empty\)\. Use `baseline`/m);
});
