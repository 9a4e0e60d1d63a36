// mode: bisect through dist/index.js, as the runner starts it, on real git repositories made here: 16 commits
// of a C program built to wasm by the `build` input (clang for wasm32-wasi), one of them doing 6× the work.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { historyFileText } from '../src/history/branch-file.js';
import { BISECT_BUILD, bisectRepo, repoState, type BisectRepo } from './helpers/bisect-repo.js';
import { bareRemote, seedBranch } from './helpers/git-server.js';
import { startGitHubServer } from './helpers/github-server.js';
import { runAction, scratchDir, type ActionRunInput } from './helpers/run-action.js';
import type { BisectReport } from '../src/bisect/types.js';
import { requireTool } from './helpers/tools.js';

// Every probe is built from C by clang (BISECT_BUILD); the pull_request refusal builds nothing.
const T = { timeout: 600_000, ...requireTool('clang') };
const DISPATCH = { eventName: 'workflow_dispatch', payload: { repository: { full_name: 'octo/demo' } } };

/** The user's checkout as a workflow leaves it: HEAD at bad, an edited file and an untracked one. */
function dirty(repo: BisectRepo): void {
  writeFileSync(join(repo.dir, 'CHANGES.md'), 'edited, not committed\n');
  writeFileSync(join(repo.dir, 'notes.txt'), 'untracked\n');
}

async function bisect(repo: BisectRepo, extra: Partial<ActionRunInput> & { inputs?: Record<string, string> } = {}) {
  const runnerTemp = scratchDir('bisect-temp-');
  const r = await runAction({
    ...DISPATCH,
    workspace: repo.dir,
    ...extra,
    inputs: {
      mode: 'bisect',
      artifacts: 'build/*.wasm',
      build: BISECT_BUILD,
      'bisect-good': repo.shas[0]!,
      'bisect-bad': repo.shas.at(-1)!,
      'min-runs': '6',
      'max-runs': '30',
      'github-token': 'ghs_test_token',
      ...extra.inputs,
    },
    env: { RUNNER_TEMP: runnerTemp, ...extra.env },
  });
  const report = r.outputs['bisect'] ? (JSON.parse(r.outputs['bisect']) as BisectReport) : undefined;
  const story = `exit ${r.code}; ${report?.message ?? 'no report'}\n${r.stdout
    .split('\n')
    .filter((l) => l.startsWith('bisect'))
    .join('\n')}\n${r.stdout.slice(-1500)}`;
  return { ...r, report, story, runnerTemp };
}

test(
  'names the commit that made the program slower, in at most 6 builds, leaving the checkout as it was',
  T,
  async () => {
    const repo = bisectRepo({ count: 16, culprit: 9 });
    dirty(repo);
    const before = repoState(repo.dir);
    const gh = await startGitHubServer();
    const r = await bisect(repo, { inputs: { 'bisect-issue': '12' }, env: { GITHUB_API_URL: gh.url } }).finally(() =>
      gh.close(),
    );
    assert.equal(r.code, 0, r.story);
    assert.equal(r.outputs['culprit'], repo.shas[9], r.story);
    assert.equal(r.report!.outcome, 'culprit', r.story);
    assert.ok(r.report!.builds <= 6, `${r.report!.builds} builds\n${r.story}`);
    assert.ok(
      r.report!.probes.every((p) => p.changes.every((c) => c.ratio !== undefined && c.interval)),
      r.story,
    );
    assert.deepEqual(repoState(repo.dir), before, 'HEAD, the work tree or the worktree list changed');
    // The summary links the culprit and escapes its subject and author (Markdown and HTML in both).
    assert.match(
      r.summary,
      new RegExp(
        `\\[<code>${repo.shas[9]!.slice(0, 7)}</code>\\]\\(https://github.com/octo/demo/commit/${repo.shas[9]}\\)`,
      ),
    );
    assert.match(r.summary, /Do \\\*more\\\* work \\\| &lt;b&gt;9&lt;\/b&gt;/);
    assert.match(r.summary, /Eve \\\*Dev\\\* &lt;x&gt;|Eve \\\*Dev\\\* x/);
    assert.doesNotMatch(r.summary, /<b>9<\/b>/);
    assert.match(r.summary, /\| # \| Commit \| Build \| Change vs good \| Decision \|/);
    // …and so does the comment on the tracking issue (bisect-issue)
    assert.deepEqual(
      gh.comments.map((c) => c.issueNumber),
      [12],
      r.story,
    );
    assert.match(gh.comments[0]!.body, new RegExp(`Culprit.*${repo.shas[9]!.slice(0, 7)}`));
    assert.match(gh.comments[0]!.body, /Do \\\*more\\\* work \\\| &lt;b&gt;9&lt;\/b&gt;/);
  },
);

test('without bisect-good/bad, the range is the newest change point of the history: branch file', T, async () => {
  const repo = bisectRepo({ count: 6, culprit: 3 });
  const point = (i: number) => ({
    commit: repo.shas[i]!,
    date: `2026-01-0${i + 1}T00:00:00Z`,
    runtimeVersion: '20',
    machine: 'm',
    median: i < 3 ? 10 : 60,
    interval: [i < 3 ? 9 : 59, i < 3 ? 11 : 61] as [number, number],
    n: 10,
  });
  const cell = { benchmark: 'w', runtime: 'node', metric: 'wall', points: [0, 1, 2, 3, 4].map(point) };
  const text = historyFileText({
    key: 'wasm-perf-gate-baseline',
    platform: 'linux-x64',
    updatedAt: point(4).date,
    history: [{ ...cell, changePoints: [point(3).date] }],
  });
  const { bare, server } = bareRemote();
  seedBranch(bare, 'perf-history', 'wasm-perf-gate-baseline-linux-x64.json', text);
  const r = await bisect(repo, {
    inputs: { 'bisect-good': '', 'bisect-bad': '', history: 'branch:perf-history', 'baseline-path': 'none.json' },
    env: { GITHUB_SERVER_URL: server, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
  });
  assert.equal(r.code, 0, r.story);
  assert.match(r.stdout, /bisect: the range of the change point of w on node \(wall\) first measured 2026-01-04/);
  assert.equal(r.outputs['culprit'], repo.shas[3], r.story);
  assert.equal(r.report!.builds, 2, `only the two ends of the change point's range are built\n${r.story}`);
  const left = readdirSync(r.runnerTemp, { recursive: true }).filter((f) => String(f).includes('history-branch-'));
  assert.deepEqual(left, [], 'the throwaway clone of the history branch is removed');
});

test('the same history without the change: no culprit, and nothing built beyond the two ends', T, async () => {
  const repo = bisectRepo({ count: 16 });
  const r = await bisect(repo);
  assert.equal(r.code, 0, r.story);
  assert.equal(r.outputs['culprit'], '', r.story);
  assert.equal(r.report!.outcome, 'does-not-reproduce', r.story);
  assert.equal(r.report!.builds, 2, r.story);
  assert.match(r.summary, /does not reproduce/);
});

test('a commit that does not build is skipped and named; next to the culprit it makes a range', T, async () => {
  // probes 7 (good), 11 (bad), 9 (bad), 8: broken → the culprit is 8..9
  const repo = bisectRepo({ count: 16, culprit: 9, broken: 8 });
  const before = repoState(repo.dir);
  const r = await bisect(repo);
  assert.equal(r.code, 0, r.story);
  assert.deepEqual(r.report!.skipped, [repo.shas[8]], r.story);
  assert.equal(r.report!.outcome, 'culprit-range', r.story);
  assert.deepEqual(r.report!.answers[0]!.commits, [repo.shas[8], repo.shas[9]], r.story);
  assert.equal(r.outputs['culprit'], '', r.story);
  const skipped = r.report!.probes.find((p) => p.commit === repo.shas[8])!;
  assert.match(skipped.reason!, /build failed: exit 1/, r.story);
  assert.match(r.summary, /Culprit in 2 adjacent commits/);
  assert.match(r.summary, new RegExp(`${repo.shas[8]!.slice(0, 7)}.*skipped`));
  assert.deepEqual(repoState(repo.dir), before);
});

test('SIGTERM mid-bisection leaves no worktree behind and the checkout as it was', T, async () => {
  const repo = bisectRepo({ count: 16, culprit: 9 });
  dirty(repo);
  const before = repoState(repo.dir);
  let signalled = false;
  const r = await bisect(repo, {
    onStart: (child) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        // once the first probe after the ends is being built or measured
        if (!signalled && /bisect 1\/\d+: .*\(bad\)/.test(out)) signalled = child.kill('SIGTERM');
      });
    },
  });
  assert.ok(signalled, `never reached the first probe:\n${r.story}`);
  assert.notEqual(r.code, 0, r.story);
  assert.deepEqual(repoState(repo.dir), before, 'a worktree or a change was left behind');
  const temp = join(r.runnerTemp, 'wasm-perf-gate');
  const left = existsSync(temp) ? readdirSync(temp).filter((f) => f.startsWith('bisect-')) : [];
  assert.deepEqual(left, [], 'worktree directories left in RUNNER_TEMP');
});

test(
  'refused on pull_request: the build command never runs on a pull request event',
  { timeout: 600_000 },
  async () => {
    const repo = bisectRepo({ count: 3, culprit: 2 });
    const r = await bisect(repo, {
      eventName: 'pull_request',
      payload: { pull_request: { number: 7, head: { sha: repo.shas[2] }, base: { ref: 'main' } } },
      inputs: { build: `${BISECT_BUILD} && touch ran` },
    });
    assert.notEqual(r.code, 0, r.story);
    assert.match(r.stdout, /mode: bisect does not run on pull_request events/);
    assert.equal(existsSync(join(repo.dir, 'ran')), false);
    assert.equal(r.outputs['culprit'], undefined);
  },
);

test(
  'the CLI: wasm-perf-gate bisect --good A --bad B --build, a progress line per probe, the culprit on stdout',
  T,
  async () => {
    const repo = bisectRepo({ count: 6, culprit: 3 });
    const before = repoState(repo.dir);
    const json = join(scratchDir('bisect-cli-'), 'bisect.json');
    const r = spawnSync(
      process.execPath,
      [resolve('dist/cli.js'), 'bisect', '--good', repo.shas[0]!, '--bad', 'HEAD', '--build', BISECT_BUILD].concat([
        '--artifacts',
        'build/*.wasm',
        '--max-runs',
        '30',
        '--json',
        json,
      ]),
      { cwd: repo.dir, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: process.env['HOME'] } },
    );
    const story = `exit ${r.status}\n${r.stderr}\n${r.stdout}`;
    assert.equal(r.status, 0, story);
    assert.match(r.stdout, new RegExp(`^culprit: ${repo.shas[3]}`), story);
    const report = JSON.parse(readFileSync(json, 'utf8')) as BisectReport;
    const lines = r.stderr.split('\n').filter((l) => /^\[\d+\/\d+\] [0-9a-f]{12} \((good|bad|probe)\)/.test(l));
    assert.equal(lines.length, report.probes.length, story);
    assert.deepEqual(repoState(repo.dir), before);
  },
);
