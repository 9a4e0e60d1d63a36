// Fault catalogue, issue 29 items 7, 8 and 9: what comes over the network is bounded in kind and size before it
// is used. A sha-pinned runtime archive holding a symlink out of the extraction folder is refused before any
// chmod or run; a runtime download stops at its documented size; a partial report stops at 64 MiB as its bytes
// arrive, whatever the artifact listing says. Each case runs dist/index.js as the runner starts it.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { requireTool } from '../helpers/tools.js';
import { startArtifactServer } from '../helpers/artifact-server.js';
import { startGitHubServer } from '../helpers/github-server.js';
import {
  assertBaselineKept,
  assertOneError,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  runFault,
} from '../helpers/fault-case.js';
import { pushPayload, scratchDir } from '../helpers/run-action.js';
import { startReleaseServer } from '../helpers/release-server.js';

const T = { timeout: 180_000 };
const V = '48.0.0';
const TOP = `wasmtime-v${V}-x86_64-linux`;
const ASSET = `${TOP}.tar.xz`;

/** Every file under `dir` with its size. */
function filesUnder(dir: string): [string, number][] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => [join(e.parentPath, e.name), statSync(join(e.parentPath, e.name)).size]);
}

/** One run measuring add-one on wasmtime from `mirror`, its archive pinned to `pin`; RUNNER_TEMP and tool cache of its own. */
async function pinnedRun(t: TestContext, mirror: string, pin: string) {
  const ws = await faultWorkspace();
  writeFileSync(
    join(ws, 'perf.yml'),
    `runtimes:\n  - name: wasmtime\n    version: ${V}\n    sha256: 'sha256:${pin}'\nbenchmarks:\n  - artifact: build/add-one.wasm\n`,
  );
  const temp = scratchDir('dl-temp-');
  const toolCache = scratchDir('dl-tools-');
  const r = await runFault(t, {
    workspace: ws,
    inputs: { ...FAST_INPUTS, artifacts: '', config: 'perf.yml', 'runtime-mirror': mirror, 'download-timeout': '60s' },
    ...PR,
    env: { RUNNER_TEMP: temp, RUNNER_TOOL_CACHE: toolCache },
  });
  return { ws, r, temp, toolCache };
}

describe('issue 29 item 7: a runtime archive may hold only regular files and folders inside it', () => {
  /** A wasmtime archive whose `layout` is made in its top folder by the callback. */
  function archive(layout: (top: string) => void): Buffer {
    const stage = scratchDir('evil-archive-');
    mkdirSync(join(stage, TOP));
    layout(join(stage, TOP));
    execFileSync('tar', ['-cJf', join(stage, 'out.tar.xz'), '-C', stage, TOP]);
    return readFileSync(join(stage, 'out.tar.xz'));
  }

  /** A file outside the tool cache the archive points at: a script that would leave a mark if run. */
  function victim(): { path: string; mark: string } {
    const dir = scratchDir('victim-');
    const mark = join(dir, 'ran');
    const path = join(dir, 'victim.sh');
    writeFileSync(path, `#!/bin/sh\ntouch '${mark}'\necho 'wasmtime ${V}'\n`, { mode: 0o644 });
    return { path, mark };
  }

  const cases: [string, (top: string, outside: string) => void, RegExp][] = [
    [
      'the executable is a symlink to a file outside the tool cache',
      (top, outside) => symlinkSync(outside, join(top, 'wasmtime')),
      /wasmtime is a symlink to \/.*victim\.sh, outside the archive/,
    ],
    [
      'a library beside a real executable is a symlink out of the archive',
      (top, outside) => {
        writeFileSync(join(top, 'wasmtime'), '#!/bin/sh\necho wasmtime\n');
        mkdirSync(join(top, 'lib'));
        symlinkSync(outside, join(top, 'lib', 'libwasmtime.so'));
      },
      /lib\/libwasmtime\.so is a symlink to \/.*victim\.sh, outside the archive/,
    ],
  ];
  for (const [name, layout, why] of cases) {
    test(`${name}: refused before any chmod or run, nothing cached`, { ...T, ...requireTool('xz') }, async (t) => {
      const mirror = await startReleaseServer();
      t.after(() => mirror.close());
      const v = victim();
      const body = archive((top) => layout(top, v.path));
      const pin = mirror.add('bytecodealliance', 'wasmtime', `v${V}`, ASSET, body);
      const { ws, r, toolCache } = await pinnedRun(t, mirror.url, pin);
      assert.equal(r.code, 1, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assertOneError(r, 'wasmtime', /Check the sha256 pin and runtime-mirror/);
      assert.match(r.errors[0]!, why);
      assert.match(r.errors[0]!, /nothing was made executable, cached or run/);
      assert.equal(statSync(v.path).mode & 0o777, 0o644, 'the file outside was made executable');
      assert.ok(!existsSync(v.mark), 'the file outside was run');
      assert.deepEqual(
        filesUnder(toolCache).filter(([p]) => p.includes('wasmtime')),
        [],
        'something of the archive was cached',
      );
      await assertBaselineKept(ws);
    });
  }
});

describe('issue 29 item 8: a runtime download stops at its size limit (512 MiB for wasmtime)', () => {
  /** A mirror that streams zeros for the archive, chunked (no Content-Length) or announcing `announce` bytes. */
  async function endlessMirror(announce?: number) {
    const sent = { bytes: 0, requests: 0 };
    const sockets = new Set<Socket>();
    const chunk = Buffer.alloc(1 << 20);
    const server: Server = createServer((req, res) => {
      sent.requests++;
      res.writeHead(200, {
        'content-type': 'application/octet-stream',
        ...(announce === undefined ? {} : { 'content-length': String(announce) }),
      });
      const pump = () => {
        while (sent.bytes < 4 * 2 ** 30) {
          sent.bytes += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => res.removeAllListeners('drain'));
      pump();
    });
    server.on('connection', (s) => (sockets.add(s), s.on('close', () => sockets.delete(s))));
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      sent,
      close: () => {
        for (const s of sockets) s.destroy();
        return new Promise<void>((ok) => server.close(() => ok()));
      },
    };
  }

  test(
    'an archive that never ends (chunked): stopped past 512 MiB, not retried, the partial file deleted',
    T,
    async (t) => {
      const mirror = await endlessMirror();
      t.after(() => mirror.close());
      const { ws, r, temp } = await pinnedRun(t, mirror.url, 'a'.repeat(64));
      assert.equal(r.code, 1, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assertOneError(r, 'wasmtime', /install wasmtime yourself and use `@path`/);
      assert.match(
        r.errors[0]!,
        /wasmtime-v48\.0\.0-x86_64-linux\.tar\.xz from runtime-mirror \S+ is larger than the 512 MiB a wasmtime archive may be: the download was stopped there and the partial file deleted/,
      );
      assert.equal(mirror.sent.requests, 1, 'a download over the limit is not retried');
      // what the server managed to push into socket buffers before the client hung up: the limit plus a little
      assert.ok(mirror.sent.bytes < 600 * 2 ** 20, `the server was kept streaming: ${mirror.sent.bytes} bytes`);
      const big = filesUnder(temp).filter(([, size]) => size > 2 ** 20);
      assert.deepEqual(big, [], 'the partial download was left on disk');
      await assertBaselineKept(ws);
    },
  );

  test('an archive announcing 2 GiB (Content-Length): refused before its body is read', T, async (t) => {
    const mirror = await endlessMirror(2 * 2 ** 30);
    t.after(() => mirror.close());
    const { r, temp } = await pinnedRun(t, mirror.url, 'a'.repeat(64));
    assert.equal(r.code, 1, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.match(r.errors[0]!, /is larger than the 512 MiB a wasmtime archive may be/);
    assert.ok(mirror.sent.bytes < 64 * 2 ** 20, `the body was read: ${mirror.sent.bytes} bytes sent`);
    assert.deepEqual(
      filesUnder(temp).filter(([, size]) => size > 2 ** 20),
      [],
    );
  });
});

describe('issue 29 item 9: a partial report is capped at 64 MiB as its bytes arrive', () => {
  const partialName = `wasm-perf-gate-partial-wasm-perf-gate-baseline-${process.platform}-${process.arch}-1-of-1.json`;
  // 176 MiB of JSON-looking bytes, listed as 1 KiB
  const huge = Buffer.alloc(176 * 2 ** 20, 0x20);

  /** Peak bytes on disk under `dir` while `during` runs, sampled every 20 ms. */
  async function peakOnDisk<T>(dir: string, during: Promise<T>): Promise<{ result: T; peak: number }> {
    let peak = 0;
    const sample = setInterval(() => {
      try {
        peak = Math.max(
          peak,
          filesUnder(dir).reduce((n, [, size]) => n + size, 0),
        );
      } catch {
        // a file went away between listing and stat
      }
    }, 20);
    try {
      return { result: await during, peak };
    } finally {
      clearInterval(sample);
    }
  }

  test("this run's artifact listed as 1 KiB but 176 MiB: refused at 64 MiB, never more on disk", T, async (t) => {
    const store = await startArtifactServer();
    t.after(() => store.close());
    store.put('7101', partialName, huge).size = 1024;
    const temp = scratchDir('cap-temp-');
    const { result: r, peak } = await peakOnDisk(
      temp,
      runFault(t, {
        workspace: scratchDir('cap-ws-'),
        inputs: { mode: 'report', 'github-token': 'ghs_fault_token', comment: 'false', 'check-run': 'false' },
        eventName: 'push',
        payload: pushPayload(),
        env: {
          GITHUB_RUN_ID: '7101',
          RUNNER_TEMP: temp,
          ACTIONS_RESULTS_URL: store.url,
          ACTIONS_RUNTIME_TOKEN: store.tokenFor('7101', 'job-report'),
        },
      }),
    );
    assert.notEqual(r.code, 0, r.stdout.slice(-2000));
    const refusal = r.errors.filter((e) => e.includes(partialName));
    assert.equal(refusal.length, 1, `${r.errors.join('\n')}\n${r.stdout.slice(-1500)}`);
    assert.match(
      refusal[0]!,
      /is more than the 64\.0 MiB limit of a partial report \(listed as 1\.0 KiB\): the download was stopped there/,
    );
    assert.ok(peak <= 64 * 2 ** 20 + 2 ** 20, `${(peak / 2 ** 20).toFixed(1)} MiB on disk at peak`);
    assert.deepEqual(
      filesUnder(temp).filter(([, size]) => size > 2 ** 20),
      [],
      'the partial download was left on disk',
    );
  });

  test(
    "another run's artifact (a fork's, via the REST API) listed as 1 KiB but 176 MiB: refused the same way",
    T,
    async (t) => {
      const store = await startArtifactServer();
      const gh = await startGitHubServer({
        artifacts: store,
        token: 'ghs_base_repo_token',
        pulls: [{ number: 7, headSha: 'b'.repeat(40), headOwner: 'stranger', headRef: 'feature' }],
      });
      t.after(async () => {
        await gh.close();
        await store.close();
      });
      store.put('555', partialName, huge).size = 1024;
      const repo = { id: 1, full_name: 'octo/demo', name: 'demo', owner: { login: 'octo', type: 'User' } };
      const fork = {
        id: 2,
        full_name: 'stranger/demo',
        name: 'demo',
        owner: { login: 'stranger', type: 'User' },
        fork: true,
      };
      const payload = {
        action: 'completed',
        workflow_run: {
          id: 555,
          name: 'wasm-perf-fork-measure',
          event: 'pull_request',
          status: 'completed',
          conclusion: 'success',
          head_branch: 'feature',
          head_sha: 'b'.repeat(40),
          run_attempt: 1,
          pull_requests: [],
          repository: repo,
          head_repository: fork,
        },
        repository: repo,
      };
      const temp = scratchDir('cap-temp-');
      const { result: r, peak } = await peakOnDisk(
        temp,
        runFault(t, {
          workspace: scratchDir('cap-ws-'),
          inputs: { mode: 'report', 'run-id': '555', 'github-token': 'ghs_base_repo_token', comment: 'false' },
          eventName: 'workflow_run',
          payload,
          env: {
            RUNNER_TEMP: temp,
            GITHUB_API_URL: gh.url,
            GITHUB_RUN_ID: '1055',
            GITHUB_SHA: 'c'.repeat(40),
            GITHUB_REF: 'refs/heads/main',
            ACTIONS_RESULTS_URL: store.url,
            ACTIONS_RUNTIME_TOKEN: store.tokenFor('1055', 'job-report'),
          },
        }),
      );
      assert.notEqual(r.code, 0, r.stdout.slice(-2000));
      const refusal = r.errors.filter((e) => e.includes(partialName));
      assert.equal(refusal.length, 1, `${r.errors.join('\n')}\n${r.stdout.slice(-1500)}`);
      assert.match(refusal[0]!, /is more than the 64\.0 MiB limit of a partial report/);
      assert.ok(peak <= 64 * 2 ** 20 + 2 ** 20, `${(peak / 2 ** 20).toFixed(1)} MiB on disk at peak`);
    },
  );
});
