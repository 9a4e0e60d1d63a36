// Fault catalogue, bounds (issue 21): every resource the action waits on or unpacks has a limit, and hitting
// it gives one clear message. Each case drives the bundled action as the runner does.
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { chmodSync, existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { parseBaseline } from '../../src/baseline/schema.js';
import { CHANGE_POINT_LABEL, changePointMarker } from '../../src/github/change-point-issues.js';
import { startArtifactServer } from '../helpers/artifact-server.js';
import { bareRemote, inBare } from '../helpers/git-server.js';
import { startGitHubServer } from '../helpers/github-server.js';
import { pullRequestPayload, pushPayload, scratchDir } from '../helpers/run-action.js';
import { zipBomb } from '../helpers/zip-bomb.js';
import {
  assertBaselineKept,
  BASELINE_REL,
  previousBaseline,
  processesMentioning,
  assertOneError,
  assertSummary,
  assertWarning,
  ADD_ONE,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  runFault,
} from '../helpers/fault-case.js';

const T = { timeout: 120_000 };

/** A server that accepts every connection and request and never answers, but for `answer`'s paths. */
async function silentServer(
  answer: (path: string) => string | undefined = () => undefined,
): Promise<{ url: string; requests: string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const sockets = new Set<Socket>();
  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    const body = answer(req.url ?? '');
    if (body !== undefined) res.end(body);
  });
  server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((r) => server.close(() => r()));
    },
  };
}

describe('bounds: downloads', () => {
  /** `runtimes: wasmtime` from a mirror that stalls (but for `answer`'s paths), with download-timeout 1s. */
  async function stalledMirrorRun(t: TestContext, answer?: (path: string) => string | undefined) {
    const mirror = await silentServer(answer);
    try {
      const ws = await faultWorkspace();
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, runtimes: 'wasmtime', 'runtime-mirror': mirror.url, 'download-timeout': '1s' },
        ...PR,
      });
      assert.equal(r.code, 1, r.stdout);
      await assertBaselineKept(ws);
      return { r, requests: mirror.requests };
    } finally {
      await mirror.close();
    }
  }

  test(
    'a runtime-mirror that accepts and never answers: one error naming it and the runtime, within download-timeout',
    T,
    async (t) => {
      const { r, requests } = await stalledMirrorRun(t);
      assertOneError(
        r,
        'wasmtime',
        /runtime-mirror http:\/\/127\.0\.0\.1:\d+ did not deliver .* within download-timeout \(1(\.0+)? s\), tried twice.*raise download-timeout/,
      );
      assert.equal(requests.length, 2, `one retry of the stalled download, no more: ${requests.join(', ')}`);
      assert.ok(r.ms < 30_000, `bounded by 2 × download-timeout plus start-up, not minutes: ${r.ms} ms`);
      assertSummary(r, /download-timeout/);
    },
  );

  test(
    'a mirror that serves the checksum but stalls on the archive: the same bounded error, naming the archive',
    T,
    async (t) => {
      const sidecar = (path: string) =>
        `${'a'.repeat(64)}  ${path
          .split('/')
          .at(-1)!
          .replace(/\.sha256$/, '')}\n`;
      const { r, requests } = await stalledMirrorRun(t, (path) =>
        path.endsWith('.sha256') ? sidecar(path) : undefined,
      );
      assertOneError(
        r,
        'wasmtime',
        /runtime-mirror \S+ did not deliver wasmtime-v[\d.]+-x86_64-linux\.tar\.xz within download-timeout/,
      );
      const archive = requests.filter((p) => p.endsWith('.tar.xz'));
      assert.equal(archive.length, 2, `the archive asked for twice: ${requests.join(', ')}`);
    },
  );
});

/** Every file under `dir` with its size. */
function filesUnder(dir: string): [string, number][] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => [join(e.parentPath, e.name), statSync(join(e.parentPath, e.name)).size]);
}

describe('bounds: a zip-bomb partial report in mode: report', () => {
  const partialName = `wasm-perf-gate-partial-wasm-perf-gate-baseline-${process.platform}-${process.arch}-1-of-1.json`;
  const cases: [string, (b: Buffer) => Buffer, RegExp][] = [
    ['declaring its size (100 MiB in ~100 KiB)', (b) => b, /unpacks to 100 MiB \(declared\)/],
    [
      'declaring 10 bytes and inflating to 100 MiB',
      (b) => (b.writeUInt32LE(10, b.length - 22 - 46 - 'report.json'.length + 24), b),
      /unpacks to more than 64\.0 MiB/,
    ],
  ];
  for (const [name, edit, why] of cases) {
    test(`${name}: refused by name, nothing over the cap written, the temp folder clean`, T, async (t) => {
      const store = await startArtifactServer();
      try {
        const bomb = edit(zipBomb('report.json', 100 * 2 ** 20, true));
        assert.ok(bomb.length < 300 * 1024, `the artifact is small: ${bomb.length} bytes`);
        store.put('7001', partialName, bomb).contentType = 'application/zip';
        const temp = scratchDir('bomb-temp-');
        const r = await runFault(t, {
          workspace: scratchDir('bomb-ws-'),
          inputs: { mode: 'report', 'github-token': 'ghs_fault_token', comment: 'false', 'check-run': 'false' },
          eventName: 'push',
          payload: pushPayload(),
          env: {
            GITHUB_RUN_ID: '7001',
            RUNNER_TEMP: temp,
            ACTIONS_RESULTS_URL: store.url,
            ACTIONS_RUNTIME_TOKEN: store.tokenFor('7001', 'job-report'),
          },
        });
        assert.notEqual(r.code, 0, r.stdout);
        const refusal = r.errors.filter((e) => e.includes(partialName));
        assert.equal(
          refusal.length,
          1,
          `one line names the artifact:\n${r.errors.join('\n')}\n${r.stdout.slice(-1500)}`,
        );
        assert.match(refusal[0]!, why);
        assert.match(refusal[0]!, /nothing was unpacked to disk/);
        const written = filesUnder(temp);
        assert.ok(
          written.every(([, size]) => size < 1024 * 1024),
          `nothing near the cap on disk: ${JSON.stringify(written)}`,
        );
        assert.deepEqual(
          written.filter(([p]) => /shard-\d/.test(p)),
          [],
          'the downloaded archive was deleted',
        );
      } finally {
        await store.close();
      }
    });
  }
});

describe('bounds: a cancel in any phase ends non-zero and says cancelled', () => {
  /** Sends `signal` to the action once `ready()` holds, as the runner does when a workflow is cancelled. */
  const signalWhen =
    (ready: () => boolean, sent: { at?: number }) => (child: import('node:child_process').ChildProcess) => {
      const poll = setInterval(() => {
        if (!ready()) return;
        clearInterval(poll);
        sent.at = Date.now();
        child.kill('SIGTERM');
      }, 100);
      child.on('exit', () => clearInterval(poll));
    };

  test(
    'SIGTERM while the history branch is pushed: cancelled, the saved baseline valid, the branch not moved',
    T,
    async (t) => {
      const { root, bare, server } = bareRemote();
      const started = join(root, 'hook-started');
      // The remote takes its time: a pre-receive hook that sleeps (the push is in flight when the signal comes).
      writeFileSync(join(bare, 'hooks/pre-receive'), `#!/bin/sh\ntouch '${started}'\nexec sleep 987\n`);
      chmodSync(join(bare, 'hooks/pre-receive'), 0o755);
      const ws = await faultWorkspace();
      const sent: { at?: number } = {};
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, history: 'branch:perf-history' },
        eventName: 'push',
        payload: pushPayload(),
        env: { GITHUB_SERVER_URL: server, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
        onStart: signalWhen(() => existsSync(started), sent),
      });
      assert.ok(sent.at, `the push never reached the remote:\n${r.stdout.slice(-2000)}`);
      assert.notEqual(
        r.code,
        0,
        `a cancelled run never exits 0 (verdict ${r.outputs['verdict']}):\n${r.stdout.slice(-2000)}`,
      );
      assert.equal(r.outputs['verdict'], 'cancelled', r.stdout.slice(-2000));
      assert.equal(r.errors.length, 1, r.errors.join('\n'));
      assert.match(
        r.errors[0]!,
        /cancelled by SIGTERM while pushing the history branch.*the baseline was saved before it and is valid/,
      );
      assertSummary(r, /cancelled \(SIGTERM\) while pushing the history branch/);
      const saved = readFileSync(join(ws, BASELINE_REL));
      assert.ok(!saved.equals(await previousBaseline()), 'the refresh saved its baseline before the signal');
      assert.equal(parseBaseline(saved.toString('utf8')).problem, undefined, 'and it is a valid baseline');
      assert.throws(
        () => inBare(bare, 'rev-parse', '--verify', '-q', 'refs/heads/perf-history'),
        'the branch was not created',
      );
      assert.deepEqual(processesMentioning('sleep 987'), [], 'the push (and its hook) did not outlive the action');
    },
  );

  test(
    'SIGTERM while the PR comment is posted (an API that stalls): cancelled, nothing posted, no long wait',
    T,
    async (t) => {
      const gh = await startGitHubServer({ delayAll: Infinity });
      try {
        const ws = await faultWorkspace();
        const sent: { at?: number } = {};
        const r = await runFault(t, {
          workspace: ws,
          inputs: { ...FAST_INPUTS, comment: 'true', 'api-timeout': '60s' },
          eventName: 'pull_request',
          payload: pullRequestPayload(),
          env: { GITHUB_API_URL: gh.url },
          onStart: signalWhen(() => gh.requests.length > 0, sent),
        });
        assert.ok(sent.at, `the comment was never asked for:\n${r.stdout.slice(-2000)}`);
        assert.notEqual(
          r.code,
          0,
          `a cancelled run never exits 0 (verdict ${r.outputs['verdict']}):\n${r.stdout.slice(-2000)}`,
        );
        const cancelled = r.errors.filter((e) => /cancelled by SIGTERM while posting the PR comment/.test(e));
        assert.equal(cancelled.length, 1, r.errors.join('\n') + r.stdout.slice(-1500));
        assert.equal(gh.comments.length, 0, 'nothing was posted');
        await assertBaselineKept(ws);
      } finally {
        await gh.close();
      }
    },
  );
});

describe('bounds: git commands of history: branch', () => {
  test(
    'a push that outlasts git-timeout: git killed at the limit, a warning naming it, the baseline saved',
    T,
    async (t) => {
      const { bare, server } = bareRemote();
      writeFileSync(join(bare, 'hooks/pre-receive'), '#!/bin/sh\nexec sleep 986\n');
      chmodSync(join(bare, 'hooks/pre-receive'), 0o755);
      const ws = await faultWorkspace();
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, history: 'branch:perf-history', 'git-timeout': '2s', 'history-push-attempts': '1' },
        eventName: 'push',
        payload: pushPayload(),
        env: { GITHUB_SERVER_URL: server, RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' },
      });
      assert.equal(r.code, 0, r.stdout.slice(-2000));
      assert.equal(r.outputs['verdict'], 'baseline-saved');
      assertWarning(
        r,
        /history: could not push to branch perf-history \(git push timed out after 2000 ms\).*Raise git-timeout/,
      );
      assert.deepEqual(processesMentioning('sleep 986'), [], 'the push and its hook were killed');
      assert.equal(parseBaseline(readFileSync(join(ws, BASELINE_REL), 'utf8')).problem, undefined);
    },
  );

  for (const [input, value, fix] of [
    ['git-timeout', '0s', /no time at all/],
    ['history-push-attempts', '50', /more than 20.*Give 1 to 20/],
  ] as const) {
    test(`${input}: ${value} is refused before measuring`, T, async (t) => {
      const ws = await faultWorkspace();
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, history: 'branch:perf-history', [input]: value },
        ...PR,
      });
      assertOneError(r, input, fix);
      assert.equal(r.code, 1);
      assert.equal(r.outputs['verdict'], undefined, 'nothing was measured');
      await assertBaselineKept(ws);
    });
  }
});

describe('bounds: history points', () => {
  test('a refresh point stored three times is carried forward once and the new refresh appended once', T, async (t) => {
    const ws = await faultWorkspace();
    const doc = JSON.parse((await previousBaseline()).toString('utf8')) as {
      history: { points: { date: string; commit?: string }[] }[];
    };
    assert.ok(doc.history.length > 0, 'the previous baseline has a history');
    for (const cell of doc.history) cell.points = [cell.points[0]!, cell.points[0]!, cell.points[0]!];
    writeFileSync(join(ws, BASELINE_REL), JSON.stringify(doc));
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, eventName: 'push', payload: pushPayload() });
    assert.equal(r.code, 0, r.stdout.slice(-2000));
    const after = JSON.parse(readFileSync(join(ws, BASELINE_REL), 'utf8')) as typeof doc;
    for (const cell of after.history) {
      const keys = cell.points.map((p) => `${p.date} ${p.commit ?? ''}`);
      assert.equal(new Set(keys).size, keys.length, `each refresh once: ${keys.join(', ')}`);
      assert.equal(keys.length, 2, `the old point and the new one: ${keys.join(', ')}`);
    }
  });
});

describe('change-point issues from a refresh', () => {
  // A benchmark whose name carries a bidi override, and a history in which it sped up 10× six refreshes ago,
  // the split already seen and waiting for one more fresh refresh: this refresh reports it.
  const EVIL = 'build/x\u202Eevil';
  const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
  const commit = (i: number) => i.toString(16).padStart(40, 'c');

  test(
    "a person's issue quoting the marker is not overwritten; the title shows the bidi control as <U+202E>",
    T,
    async (t) => {
      const doc = JSON.parse((await previousBaseline()).toString('utf8')) as {
        history: {
          benchmark: string;
          points: { median: number; date: string; commit?: string }[];
          pending?: unknown;
        }[];
      };
      const now = doc.history[0]!.points[0]!;
      const points = Array.from({ length: 18 }, (_, i) => ({
        ...now,
        date: day(i),
        commit: commit(i + 1),
        median: i < 12 ? now.median * 10 : now.median,
      }));
      doc.history = [{ ...doc.history[0]!, benchmark: EVIL, points, pending: [{ date: day(12), since: day(16) }] }];
      const ws = await faultWorkspace({ [`${EVIL}.wasm`]: ADD_ONE });
      writeFileSync(join(ws, BASELINE_REL), JSON.stringify(doc));
      const marker = changePointMarker('wasm-perf-gate-baseline', {
        benchmark: EVIL,
        commit: commit(13),
        date: day(12),
        cells: [],
      });
      const human = `${marker}\nMy own notes on this speed-up: please keep them.`;
      const gh = await startGitHubServer({
        issues: [
          {
            owner: 'octo',
            repo: 'demo',
            title: 'notes',
            body: human,
            state: 'open',
            labels: [CHANGE_POINT_LABEL],
            user: { login: 'al', type: 'User' },
          },
        ],
      });
      try {
        const r = await runFault(t, {
          workspace: ws,
          inputs: { ...FAST_INPUTS, 'on-change-point': 'issue' },
          eventName: 'push',
          payload: pushPayload(),
          env: { GITHUB_API_URL: gh.url },
        });
        assert.equal(r.code, 0, r.stdout.slice(-2000));
        const found = JSON.parse(r.outputs['change-points'] ?? '[]') as { benchmark: string; commit?: string }[];
        assert.deepEqual(
          found.map((c) => [c.benchmark, c.commit]),
          [[EVIL, commit(13)]],
          r.stdout.slice(-2000),
        );
        assert.equal(gh.issues[0]!.body, human, "the person's issue is unchanged");
        assert.equal(gh.issues.length, 2, 'the change point got an issue of its own');
        const { title, body } = gh.issues[1]!;
        assert.ok(!/[\u202A-\u202E\u2066-\u2069]/.test(title), `no raw bidi control in ${JSON.stringify(title)}`);
        assert.match(title, /build\/x<U\+202E>evil/);
        assert.ok(body.startsWith(marker), 'the new issue carries the marker, so the next refresh finds it');
      } finally {
        await gh.close();
      }
    },
  );
});
