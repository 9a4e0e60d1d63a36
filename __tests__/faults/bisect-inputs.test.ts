// Fault catalogue, round 3 (issue 29): mode: bisect through dist/index.js as the runner starts it, on real git
// repositories made here. A misspelt bisect-cells (item 6), a cancel while an end builds (item 13), a shallow
// clone (item 14), submodules a worktree lacks (item 15), and the docs lines: a 404 on bisect-issue is "no such
// issue", and a bisection killed with SIGKILL leaves worktrees the next run prunes. Each case names its item.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { requireTool } from '../helpers/tools.js';
import { BISECT_BUILD, bisectRepo, type BisectRepo } from '../helpers/bisect-repo.js';
import { processesMentioning, runFault, type FaultRun } from '../helpers/fault-case.js';
import { startGitHubServer } from '../helpers/github-server.js';
import { scratchDir, type ActionRunInput } from '../helpers/run-action.js';

const T = { timeout: 300_000 };
const DISPATCH = { eventName: 'workflow_dispatch', payload: { repository: { full_name: 'octo/demo' } } };

function bisect(
  t: TestContext,
  dir: string,
  inputs: Record<string, string>,
  extra: Partial<ActionRunInput> = {},
  runnerTemp = scratchDir('bisect-temp-'),
): Promise<FaultRun> {
  return runFault(t, {
    ...DISPATCH,
    workspace: dir,
    ...extra,
    inputs: {
      mode: 'bisect',
      artifacts: 'build/*.wasm',
      build: BISECT_BUILD,
      'min-runs': '6',
      'max-runs': '20',
      'github-token': 'ghs_test_token',
      ...inputs,
    },
    env: { RUNNER_TEMP: runnerTemp, ...extra.env },
  });
}

const ends = (repo: BisectRepo) => ({ 'bisect-good': repo.shas[0]!, 'bisect-bad': repo.shas.at(-1)! });
const git = (dir: string, ...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' }).trim();

describe('issue 29 item 6: a bisect-cells name that is no cell is an error naming it and the cells, closest first', () => {
  test('bisect-cells: build/vv (the cell is build/w)', { ...T, ...requireTool('clang') }, async (t) => {
    const repo = bisectRepo({ count: 2, culprit: 1 });
    const r = await bisect(t, repo.dir, { ...ends(repo), 'bisect-cells': 'build/vv' });
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.errors.length, 1, r.stdout);
    assert.match(
      r.errors[0]!,
      /^::error::bisect-cells: 'build\/vv' is not a cell of this bisection \(.*closest first: build\/w, build\/w\/node\)/,
    );
    assert.match(r.errors[0]!, /Name a cell that exists/);
    assert.doesNotMatch(r.stdout, /does not reproduce/);
  });
});

describe('issue 29 item 13: a cancel while an end builds is "cancelled", not "does not build"', () => {
  test('SIGTERM while bisect-good builds', T, async (t) => {
    const repo = bisectRepo({ count: 2, culprit: 1 });
    let signalled = false;
    const r = await bisect(
      t,
      repo.dir,
      { ...ends(repo), build: `sleep 20 && ${BISECT_BUILD}` },
      {
        onStart: (child) => {
          let out = '';
          child.stdout!.on('data', (d: Buffer) => {
            out += d.toString();
            // the range is logged just before the good end's build starts
            if (!signalled && /bisect: 1 commits after/.test(out))
              setTimeout(() => (signalled = child.kill('SIGTERM')), 1500);
          });
        },
      },
    );
    assert.ok(signalled, r.stdout);
    assert.notEqual(r.code, 0);
    assert.doesNotMatch(r.stdout, /does not build|exit SIGKILL/);
    assert.match(r.stdout, /cancelled before the bisection finished/);
    assert.match(r.stdout, /bisect cancelled by SIGTERM/);
    assert.ok(r.ms < 15_000, `stopped at the cancel, not after the build (${r.ms} ms)`);
  });
});

describe('issue 29 item 14: in a shallow clone the error names the shallow clone and fetch-depth: 0', () => {
  test('bisect-good fetched alone into a depth-1 clone: its ancestry is cut off', T, async (t) => {
    const repo = bisectRepo({ count: 4 });
    const shallow = scratchDir('bisect-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
    git(shallow, 'fetch', '-q', '--depth', '1', 'origin', repo.shas[0]!);
    const r = await bisect(t, shallow, ends(repo));
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.errors.length, 1, r.stdout);
    assert.match(r.errors[0]!, /^::error::bisect-good: .* this checkout is a shallow clone.*fetch-depth: 0/);
    assert.doesNotMatch(r.errors[0]!, /is not an earlier commit/);
  });

  test('bisect-good missing from a depth-1 clone: "not a commit" says the clone is shallow', T, async (t) => {
    const repo = bisectRepo({ count: 4 });
    const shallow = scratchDir('bisect-shallow-');
    execFileSync('git', ['clone', '-q', '--depth', '1', `file://${repo.dir}`, shallow]);
    const r = await bisect(t, shallow, ends(repo));
    assert.equal(r.errors.length, 1, r.stdout);
    assert.match(r.errors[0]!, /is not a commit of this repository \(this checkout is a shallow clone.*fetch-depth: 0/);
  });
});

describe('issue 29 item 15: a worktree has no submodules; the error says how to init them in build', () => {
  test('a build needing a submodule fails at bisect-good', T, async (t) => {
    const again = bisectRepo({ count: 2 });
    writeFileSync(
      join(again.dir, '.gitmodules'),
      '[submodule "lib"]\n\tpath = lib\n\turl = https://example.invalid/lib.git\n',
    );
    git(again.dir, 'add', '.gitmodules');
    git(again.dir, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '-m', 'add lib');
    const head = git(again.dir, 'rev-parse', 'HEAD');
    git(again.dir, '-c', 'user.name=x', '-c', 'user.email=x@x', 'commit', '-q', '--allow-empty', '-m', 'later');
    const r2 = await bisect(t, again.dir, {
      'bisect-good': head,
      'bisect-bad': 'HEAD',
      build: `test -f lib/lib.c || { echo 'lib/lib.c: no such file'; exit 1; }`,
    });
    assert.equal(r2.errors.length, 1, r2.stdout);
    assert.match(
      r2.errors[0]!,
      /^::error::bisect-good: .* does not build .*The repository has submodules, and a bisection worktree has none checked out: start `build` with `git submodule update --init --recursive &&`/,
    );
  });
});

describe('docs lines (issue 29): a SIGKILLed bisection\u2019s worktrees are pruned by the next run; a 404 on bisect-issue is "no such issue"', () => {
  test(
    'SIGKILL mid-build with a kept RUNNER_TEMP, then a run commenting on an issue that does not exist',
    { ...T, ...requireTool('clang') },
    async (t) => {
      const repo = bisectRepo({ count: 2 });
      const runnerTemp = scratchDir('bisect-kept-temp-');
      const marker = `wpg-killed-build-${process.pid}`;
      let killed = false;
      const first = await bisect(
        t,
        repo.dir,
        { ...ends(repo), build: `sleep 30 # ${marker}` },
        {
          onStart: (child) => {
            let out = '';
            child.stdout!.on('data', (d: Buffer) => {
              out += d.toString();
              if (!killed && /bisect: 1 commits after/.test(out)) {
                killed = true;
                setTimeout(() => {
                  child.kill('SIGKILL');
                  // the orphaned build is this test's own process group: end it by its id
                  for (const pid of processesMentioning(marker)) {
                    try {
                      process.kill(-pid, 'SIGKILL');
                    } catch {
                      process.kill(pid, 'SIGKILL');
                    }
                  }
                }, 1500);
              }
            });
          },
        },
        runnerTemp,
      );
      assert.ok(killed, first.stdout);
      assert.match(
        git(repo.dir, 'worktree', 'list'),
        /wasm-perf-gate\/bisect-/,
        'the killed run left its worktree registered',
      );

      const gh = await startGitHubServer({ failWrites: { status: 404, message: 'Not Found' } });
      const r = await bisect(
        t,
        repo.dir,
        { ...ends(repo), 'bisect-issue': '999' },
        { env: { GITHUB_API_URL: gh.url } },
        runnerTemp,
      ).finally(() => gh.close());
      assert.equal(r.code, 0, r.stdout);
      assert.match(r.stdout, /bisect: removed 1 worktree\(s\) an earlier, killed bisection left behind/);
      assert.doesNotMatch(git(repo.dir, 'worktree', 'list'), /wasm-perf-gate\/bisect-/, 'no stale worktree registered');
      const temp = join(runnerTemp, 'wasm-perf-gate');
      assert.deepEqual(existsSync(temp) ? readdirSync(temp).filter((f) => f.startsWith('bisect-')) : [], []);
      const warnings = r.warnings.filter((w) => w.includes('bisect-issue'));
      assert.equal(warnings.length, 1, r.stdout);
      assert.match(warnings[0]!, /there is no issue #999 in octo\/demo \(HTTP 404/);
      assert.match(warnings[0]!, /give the number of an open issue of this repository/);
      assert.doesNotMatch(warnings[0]!, /issues: write/, 'not a permissions problem');
    },
  );
});
