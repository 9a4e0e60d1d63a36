// Fault catalogue, round 3 (issue 29): the `history: branch:NAME` push. Every rejection meaning "someone else
// moved the branch" is retried with a re-read and merge (item 4), GitHub's protected-branch and ruleset refusals
// are named as such (item 12), the file written is never larger than the 16 MiB read back (item 5), and a cell
// a refresh no longer measures leaves the history with a warning (docs line). Each case runs dist/index.js as the
// runner starts it against a real local bare repository (GITHUB_SERVER_URL=file://…), names the item it covers.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  boundedHistoryFileText,
  HISTORY_FILE_MAX_BYTES,
  historyFileText,
  parseHistoryFile,
} from '../../src/history/branch-file.js';
import type { CellHistory, HistoryPoint } from '../../src/model/history.js';
import { ADD_ONE, FAST_INPUTS, faultWorkspace, PUSH, runFault, type FaultRun } from '../helpers/fault-case.js';
import { bareRemote, inBare } from '../helpers/git-server.js';
import type { TestContext } from 'node:test';

const T = { timeout: 300_000 };
const BRANCH = 'perf-history';
const FILE = 'wasm-perf-gate-baseline-linux-x64.json';
const sha = (i: number) => String(i % 10).repeat(40);
/** the previous baseline's point (its push run's GITHUB_SHA): every workspace starts with it */
const PREVIOUS = 'a'.repeat(40);

async function refresh(t: TestContext, ws: string, server: string, i: number): Promise<FaultRun> {
  return runFault(t, {
    workspace: ws,
    inputs: { ...FAST_INPUTS, history: `branch:${BRANCH}` },
    ...PUSH,
    env: { GITHUB_SERVER_URL: server, GITHUB_SHA: sha(i), RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
  });
}

const commitsOf = (text: string) =>
  (parseHistoryFile(text, FILE).history ?? []).flatMap((h) => h.points.map((p) => p.commit));

/** A point as a refresh writes one: full-precision medians and intervals, a real runtime version. */
function point(i: number, day = i): HistoryPoint {
  const date = new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString();
  const median = 0.012345678901234 + i * 1.234567e-7;
  return {
    commit: sha(i),
    date,
    runtimeVersion: '20.18.1',
    machine: '9f2c4e1a7b3d',
    median,
    interval: [median * 0.987654321, median * 1.0123456789],
    n: 37,
  };
}

/** FILE on the branch (up to the 16 MiB and a little more: the helper's default buffer is 1 MiB). */
function fileOnBranch(bare: string, branch: string, file: string): string {
  return execFileSync('git', ['--git-dir', bare, 'show', `${branch}:${file}`], {
    encoding: 'utf8',
    maxBuffer: 64 * 2 ** 20,
  });
}

/** `git commit-tree` of `text` as FILE on top of `parent` in the bare repository; returns the commit. */
function commitInBare(bare: string, parent: string, text: string, message: string): string {
  const blob = execFileSync('git', ['--git-dir', bare, 'hash-object', '-w', '--stdin'], { input: text })
    .toString()
    .trim();
  const tree = execFileSync('git', ['--git-dir', bare, 'mktree'], { input: `100644 blob ${blob}\t${FILE}\n` })
    .toString()
    .trim();
  const env = {
    ...process.env,
    GIT_AUTHOR_NAME: 'o',
    GIT_AUTHOR_EMAIL: 'o@x',
    GIT_COMMITTER_NAME: 'o',
    GIT_COMMITTER_EMAIL: 'o@x',
  };
  return execFileSync('git', ['--git-dir', bare, 'commit-tree', tree, '-p', parent, '-m', message], { env })
    .toString()
    .trim();
}

/**
 * A pre-receive hook that, on the first push only, moves the branch to `other` itself (as another job's push
 * landing while ours is being received): git then refuses ours with "cannot lock ref … is at X but expected Y".
 */
function moveBranchOnFirstPush(bare: string, other: string): void {
  const marker = join(bare, 'moved-once');
  const hook = join(bare, 'hooks', 'pre-receive');
  writeFileSync(
    hook,
    `#!/bin/sh\ncat >/dev/null\n[ -e '${marker}' ] && exit 0\ntouch '${marker}'\n` +
      `env -u GIT_QUARANTINE_PATH git update-ref refs/heads/${BRANCH} ${other}\nexit 0\n`,
  );
  chmodSync(hook, 0o755);
}

function historyWarnings(r: FaultRun): string[] {
  return r.warnings.filter((w) => w.includes('history'));
}

describe('issue 29 item 4: every "someone else moved the branch" rejection is retried with a re-read and merge', () => {
  test(
    '"cannot lock ref" (the branch moved while the push was received): both refreshes\u2019 points kept',
    T,
    async (t) => {
      const { bare, server } = bareRemote();
      const ws = await faultWorkspace();
      const first = await refresh(t, ws, server, 1);
      assert.equal(first.code, 0, first.stdout);
      const tip = inBare(bare, 'rev-parse', BRANCH);
      // another job's refresh (commit 2) on top of the first, kept aside until our push is being received
      const file = parseHistoryFile(fileOnBranch(bare, BRANCH, FILE), FILE).history!;
      const theirs = file.map((c) => ({
        ...c,
        points: [...c.points, { ...c.points[0]!, commit: sha(2), date: new Date().toISOString() }],
      }));
      const other = commitInBare(
        bare,
        tip,
        historyFileText({ key: 'k', platform: 'linux-x64', updatedAt: new Date().toISOString(), history: theirs }),
        'other job',
      );
      moveBranchOnFirstPush(bare, other);

      const r = await refresh(t, ws, server, 3);
      assert.equal(r.code, 0, r.stdout);
      assert.deepEqual(historyWarnings(r), [], 'the lost race is not a warning: it is retried');
      assert.match(r.stdout, /history: pushed .* to branch perf-history \(.*, attempt 2\)/);
      assert.deepEqual(commitsOf(fileOnBranch(bare, BRANCH, FILE)), [PREVIOUS, sha(1), sha(2), sha(3)]);
      assert.equal(inBare(bare, 'rev-parse', `${BRANCH}~1`), other, 'committed on top of theirs, nothing rewritten');
    },
  );

  test(
    'two refreshes pushing at once to a real bare repository (a slow pre-receive widens the race): no points lost',
    T,
    async (t) => {
      const { bare, server } = bareRemote();
      const seedWs = await faultWorkspace();
      assert.equal((await refresh(t, seedWs, server, 1)).code, 0);
      // every push waits 2 s in the hook: two receive-packs overlapping there race for the ref's lock
      const hook = join(bare, 'hooks', 'pre-receive');
      writeFileSync(hook, '#!/bin/sh\ncat >/dev/null\nsleep 2\nexit 0\n');
      chmodSync(hook, 0o755);
      const [a, b] = [await faultWorkspace(), await faultWorkspace()];
      const runs = await Promise.all([refresh(t, a, server, 2), refresh(t, b, server, 3)]);
      for (const r of runs) {
        assert.equal(r.code, 0, r.stdout);
        assert.deepEqual(historyWarnings(r), [], r.stdout);
      }
      const attempts = runs.map((r) => /attempt (\d+)\)/.exec(r.stdout)?.[1]).sort();
      t.diagnostic(`push attempts: ${attempts.join(', ')}`);
      assert.deepEqual(attempts.slice(0, 1), ['1'], 'one of them pushed first');
      assert.deepEqual(
        [...new Set(commitsOf(fileOnBranch(bare, BRANCH, FILE)))].sort(),
        [sha(1), sha(2), sha(3), PREVIOUS],
        'both concurrent refreshes\u2019 points are on the branch',
      );
    },
  );
});

describe('issue 29 item 12: GitHub\u2019s protected-branch (GH006) and ruleset (GH013) refusals are named', () => {
  const cases: [string, string, RegExp][] = [
    [
      'GH006 Protected branch update failed',
      'error: GH006: Protected branch update failed for refs/heads/perf-history.\nerror: Changes must be made through a pull request.',
      /branch perf-history is protected: allow the workflow to push to it/,
    ],
    [
      'GH013 Repository rule violations found',
      'error: GH013: Repository rule violations found for refs/heads/perf-history.\nReview all repository rules at https://github.com/octo/demo/rules?ref=refs%2Fheads%2Fperf-history\n\n- Changes must be made through a pull request.\n\n- Cannot update this protected ref.\n',
      /a ruleset protects branch perf-history: add the workflow's actor .* to the ruleset's bypass list/,
    ],
  ];
  for (const [name, text, fix] of cases) {
    test(name, T, async (t) => {
      const { bare, server } = bareRemote();
      const hook = join(bare, 'hooks', 'pre-receive');
      writeFileSync(hook, `#!/bin/sh\ncat >/dev/null\ncat >&2 <<'EOF'\n${text}\nEOF\nexit 1\n`);
      chmodSync(hook, 0o755);
      const ws = await faultWorkspace();
      const r = await refresh(t, ws, server, 1);
      assert.equal(r.code, 0, 'a refused push is a warning, never a failed refresh');
      const warnings = historyWarnings(r);
      assert.equal(warnings.length, 1, r.stdout);
      assert.match(warnings[0]!, new RegExp(name.slice(0, 5)), 'the server\u2019s own words are quoted');
      assert.match(warnings[0]!, fix);
      assert.match(warnings[0]!, /every refresh will be refused alike until the protection changes/);
      assert.doesNotMatch(warnings[0]!, /next refresh tries again|moved under every one/);
      assert.equal(inBare(bare, 'branch', '--list', BRANCH), '', 'nothing landed on the remote');
    });
  }
});

/** `cells` cells of 200 daily points each, named so they sort after the measured one. */
function bigHistory(cells: number, pointsPerCell = 200): CellHistory[] {
  return Array.from({ length: cells }, (_, c) => ({
    benchmark: `suite/benchmark-${String(c).padStart(4, '0')}`,
    runtime: c % 2 ? 'wasmtime' : 'node',
    metric: 'wall',
    points: Array.from({ length: pointsPerCell }, (_, i) => point(i + 1, i)),
  }));
}

describe('issue 29 item 5: a history branch file is never larger than the 16 MiB a refresh reads back', () => {
  test('pure: 10x the 450 cells x 200 refreshes case (4,500 cells, ~197 MiB unbounded) is thinned to fit', (t) => {
    const file = { key: 'k', platform: 'linux-x64', updatedAt: point(1).date, history: bigHistory(4500) };
    file.history[0]!.changePoints = [point(1, 0).date, point(200, 199).date];
    const unbounded = Buffer.byteLength(historyFileText(file));
    assert.ok(unbounded > 10 * HISTORY_FILE_MAX_BYTES, `${unbounded} bytes`);
    const { text, kept, dropped } = boundedHistoryFileText(file);
    const size = Buffer.byteLength(text);
    t.diagnostic(
      `unbounded ${(unbounded / 2 ** 20).toFixed(1)} MiB → ${(size / 2 ** 20).toFixed(2)} MiB, newest ${kept} points per cell`,
    );
    assert.ok(size <= HISTORY_FILE_MAX_BYTES, `${size} bytes written`);
    assert.ok(size > 0.9 * HISTORY_FILE_MAX_BYTES, 'as many points as fit are kept');
    const read = parseHistoryFile(text, 'file');
    assert.equal(read.problem, undefined);
    assert.equal(read.history!.length, 4500, 'every cell kept');
    assert.equal(dropped, 0);
    for (const cell of read.history!) {
      assert.equal(cell.points.length, kept);
      assert.equal(cell.points.at(-1)!.commit, point(200).commit, 'the newest point of every cell is kept');
    }
    assert.deepEqual(
      read.history![0]!.changePoints,
      [point(200, 199).date],
      'a change point whose first point went is forgotten',
    );
    // at the 450-cell size of the report the bound keeps most points
    const at1x = boundedHistoryFileText({ ...file, history: bigHistory(450) });
    assert.ok(Buffer.byteLength(at1x.text) <= HISTORY_FILE_MAX_BYTES);
    assert.ok(at1x.kept! >= 150, `${at1x.kept} points per cell at 1x`);
    // and a file that fits is written as it is
    assert.equal(boundedHistoryFileText({ ...file, history: bigHistory(10) }).kept, undefined);
  });

  test(
    'through dist: a merge with another job\u2019s 16 MiB file is thinned, pushed, and read back by the next refresh',
    T,
    async (t) => {
      const { bare, server } = bareRemote();
      const ws = await faultWorkspace();
      assert.equal((await refresh(t, ws, server, 1)).code, 0);
      const tip = inBare(bare, 'rev-parse', BRANCH);
      const ours = parseHistoryFile(fileOnBranch(bare, BRANCH, FILE), FILE).history!;
      // theirs: our cell plus as many 200-point cells as fit, the last one's name padded so the file ends 50 bytes
      // under the read limit: our refresh's one new point (~190 bytes) takes the merge over it
      const make = (cells: number, pad = 0) => {
        const history = [...ours, ...bigHistory(cells)];
        history[history.length - 1]!.benchmark += 'x'.repeat(pad);
        return historyFileText({ key: 'k', platform: 'linux-x64', updatedAt: point(1).date, history });
      };
      const size = (n: number) => Buffer.byteLength(make(n));
      let cells = Math.floor((HISTORY_FILE_MAX_BYTES - size(0)) / (size(1) - size(0)));
      while (size(cells) > HISTORY_FILE_MAX_BYTES - 50) cells--;
      while (size(cells + 1) <= HISTORY_FILE_MAX_BYTES - 50) cells++;
      const theirsText = make(cells, HISTORY_FILE_MAX_BYTES - 50 - Buffer.byteLength(make(cells)));
      assert.equal(Buffer.byteLength(theirsText), HISTORY_FILE_MAX_BYTES - 50);
      t.diagnostic(`theirs: ${cells + 1} cells, ${Buffer.byteLength(theirsText)} bytes`);
      moveBranchOnFirstPush(bare, commitInBare(bare, tip, theirsText, 'other job'));
      const r = await refresh(t, ws, server, 3);
      assert.equal(r.code, 0, r.stdout);
      const written = fileOnBranch(bare, BRANCH, FILE);
      t.diagnostic(`written: ${(Buffer.byteLength(written) / 2 ** 20).toFixed(2)} MiB`);
      assert.ok(
        Buffer.byteLength(written) <= HISTORY_FILE_MAX_BYTES,
        `${Buffer.byteLength(written)} bytes on the branch`,
      );
      assert.match(
        historyWarnings(r).join('\n'),
        /larger than the 16 MiB a refresh reads back; each cell keeps its newest \d+ points/,
      );
      const read = parseHistoryFile(written, FILE);
      assert.equal(read.problem, undefined);
      assert.ok(
        read.history!.some((c) => c.benchmark.startsWith('suite/')),
        'the other job\u2019s cells are kept',
      );
      assert.ok(
        read.history!.some((c) => c.points.some((p) => p.commit === sha(3))),
        'this refresh\u2019s points are kept',
      );
      // the next refresh reads it back (not "treated as absent"), even with the baseline gone (a cache eviction)
      rmSync(join(ws, 'perf/baseline.json'));
      const next = await refresh(t, ws, server, 4);
      assert.equal(next.code, 0, next.stdout);
      assert.doesNotMatch(next.stdout, /treated as absent|larger than 16777216 bytes/);
    },
  );
});

describe('docs line (issue 29): a cell a refresh no longer measures leaves the history, with a warning', () => {
  test('add-one renamed to add-two: add-one\u2019s history is dropped and the warning names it', T, async (t) => {
    const ws = await faultWorkspace();
    rmSync(join(ws, 'build/add-one.wasm'));
    copyFileSync(ADD_ONE, join(ws, 'build/add-two.wasm'));
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PUSH });
    assert.equal(r.code, 0, r.stdout);
    assert.match(
      r.warnings.join('\n'),
      /history: 1 cell is no longer in the baseline and its points were dropped from the history: build\/add-one on node \(wall\)\./,
    );
  });
});
