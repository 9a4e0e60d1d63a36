// Fault catalogue, issue 29 items 1, 3 and 10: what a measured runtime or a bisection build leaves running
// is gone when its run ends, whatever it did to its session or environment; a build is bounded by
// build-timeout whatever holds its output; a build sees an allow-listed environment. Each case runs
// dist/index.js as the runner starts it and looks in /proc for what is left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { requireTool } from '../helpers/tools.js';
import { BISECT_BUILD, bisectRepo } from '../helpers/bisect-repo.js';
import {
  assertBaselineKept,
  assertSummary,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  processesMentioning,
  runFault,
} from '../helpers/fault-case.js';
import { scratchDir } from '../helpers/run-action.js';
import { buildArchive, startReleaseServer } from '../helpers/release-server.js';

const T = { timeout: 300_000 };
const SLEEP = execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim();

/** A copy of sleep at a path of its own, so /proc shows which processes this case started. */
function daemonBinary(): string {
  const path = join(scratchDir('fault-daemon-'), 'daemon');
  copyFileSync(SLEEP, path);
  return path;
}

/** Kills what a failed case left, so one failure does not leave a 1000 s sleeper on the machine. */
function reap(path: string): void {
  for (const pid of processesMentioning(path)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone
    }
  }
}

/** One benchmark of add-one on a custom runtime running `script` (sh, module path as $1). */
async function customRun(t: TestContext, script: string, env: Record<string, string> = {}) {
  const ws = await faultWorkspace();
  writeFileSync(join(ws, 'runtime.sh'), script);
  writeFileSync(
    join(ws, 'perf.yml'),
    `benchmarks:\n  - artifact: build/add-one.wasm\n    runtimes: [{ name: custom, id: script, command: ['sh', '${join(ws, 'runtime.sh')}', '{wasm}'] }]\n`,
  );
  const r = await runFault(t, {
    workspace: ws,
    inputs: { ...FAST_INPUTS, artifacts: '', config: 'perf.yml' },
    ...PR,
    env,
  });
  return { ws, r };
}

describe('issue 29 item 3: a process that starts a session and wipes its environment is killed after its run', () => {
  test('`setsid env -i` from a custom runtime: gone after the run, the cell says so', T, async (t) => {
    const daemon = daemonBinary();
    t.after(() => reap(daemon));
    // Three of them per run: a bare setsid, setsid with an empty environment, and a double fork under env -i.
    const script =
      `setsid env -i "${daemon}" 1000 </dev/null >/dev/null 2>&1 &\n` +
      `setsid "${daemon}" 1001 </dev/null >/dev/null 2>&1 &\n` +
      `env -i sh -c 'setsid "$0" 1002 </dev/null >/dev/null 2>&1 &' "${daemon}"\n` +
      'sleep 0.1\nexit 0\n';
    const { ws, r } = await customRun(t, script);
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(processesMentioning(daemon), [], 'a daemon outlived the action');
    assertSummary(r, /processes outlived the run that started them .* and were killed/);
    await assertBaselineKept(ws);
  });

  test(
    '`setsid env -i` from a downloaded runtime, at its version check and at each run: none left',
    { ...T, ...requireTool('xz') },
    async (t) => {
      const daemon = daemonBinary();
      t.after(() => reap(daemon));
      const mirror = await startReleaseServer();
      t.after(() => mirror.close());
      // A sha-pinned wasmtime whose executable starts a detached daemon every time it runs, holding its output.
      const script = join(scratchDir('fake-wasmtime-'), 'wasmtime');
      writeFileSync(
        script,
        `#!/bin/sh\nsetsid env -i "${daemon}" 1000 &\nif [ "$1" = -V ]; then echo 'wasmtime 48.0.0'; fi\nexit 0\n`,
        { mode: 0o755 },
      );
      const archive = buildArchive('tar.xz', { 'wasmtime-v48.0.0-x86_64-linux/wasmtime': script });
      const pin = mirror.add(
        'bytecodealliance',
        'wasmtime',
        'v48.0.0',
        'wasmtime-v48.0.0-x86_64-linux.tar.xz',
        archive,
      );
      const ws = await faultWorkspace();
      writeFileSync(
        join(ws, 'perf.yml'),
        `runtimes:\n  - name: wasmtime\n    version: 48.0.0\n    sha256: 'sha256:${pin}'\nbenchmarks:\n  - artifact: build/add-one.wasm\n`,
      );
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, artifacts: '', config: 'perf.yml', 'runtime-mirror': mirror.url },
        ...PR,
        env: { RUNNER_TOOL_CACHE: scratchDir('fake-tools-') },
      });
      assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assert.ok(r.ms < 120_000, `waited on the daemon holding the version check's output: ${r.ms} ms`);
      assert.deepEqual(processesMentioning(daemon), [], 'a daemon outlived the action');
      assertSummary(r, /outlived the run that started them .* and (was|were) killed/);
      await assertBaselineKept(ws);
    },
  );

  test(
    'without a cgroup (WASM_PERF_GATE_CGROUP=off): setsid and `setpgrp` under env -i are still killed',
    T,
    async (t) => {
      const daemon = daemonBinary();
      t.after(() => reap(daemon));
      // setsid keeps the marker variable; env -i + setpgrp keeps the run's session: the /proc sweep sees both.
      const script =
        `setsid "${daemon}" 1000 </dev/null >/dev/null 2>&1 &\n` +
        `env -i perl -e 'setpgrp(0, 0); exec @ARGV' "${daemon}" 1001 </dev/null >/dev/null 2>&1 &\n` +
        'sleep 0.1\nexit 0\n';
      const { r } = await customRun(t, script, { WASM_PERF_GATE_CGROUP: 'off' });
      assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assert.deepEqual(processesMentioning(daemon), [], 'a daemon outlived the action');
    },
  );
});

/** A bisection of a 4-commit repo (culprit at 2) whose `build` also runs `extra`; RUNNER_TEMP of its own. */
async function bisectRun(
  t: TestContext,
  extra: string,
  o: { inputs?: Record<string, string>; env?: Record<string, string> } = {},
) {
  const repo = bisectRepo({ count: 4, culprit: 2 });
  return runFault(t, {
    workspace: repo.dir,
    eventName: 'workflow_dispatch',
    payload: { repository: { full_name: 'octo/demo' } },
    inputs: {
      mode: 'bisect',
      artifacts: 'build/*.wasm',
      build: `${BISECT_BUILD}\n${extra}`,
      'bisect-good': repo.shas[0]!,
      'bisect-bad': repo.shas.at(-1)!,
      'min-runs': '3',
      'max-runs': '6',
      'github-token': 'ghs_fault_token',
      ...o.inputs,
    },
    env: { RUNNER_TEMP: scratchDir('bisect-temp-'), ...o.env },
  });
}

describe('issue 29 item 1: a bisection build is bounded by build-timeout whatever it leaves behind', () => {
  test(
    'a build that exits but leaves processes holding its output (one setsid env -i): no wait, none left',
    { ...T, ...requireTool('clang') },
    async (t) => {
      const daemon = daemonBinary();
      t.after(() => reap(daemon));
      const r = await bisectRun(t, `"${daemon}" 1000 &\nsetsid env -i "${daemon}" 1001 &\n`, {
        inputs: { 'build-timeout': '60s' },
      });
      assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assert.ok(r.ms < 120_000, `the bisection waited on what the build left: ${r.ms} ms`);
      assert.match(r.stdout, /culprit/i);
      assert.deepEqual(processesMentioning(daemon), [], 'a process the build started outlived the action');
    },
  );

  test(
    'a build that hangs while a setsid escapee holds its output: ended at build-timeout (5 s), none left',
    T,
    async (t) => {
      const daemon = daemonBinary();
      t.after(() => reap(daemon));
      const r = await bisectRun(t, `setsid env -i "${daemon}" 1000 &\n"${daemon}" 1001\n`, {
        inputs: { 'build-timeout': '5s' },
      });
      assert.notEqual(r.code, 0, r.stdout.slice(-3000));
      assert.ok(r.ms < 90_000, `not ended at build-timeout: ${r.ms} ms`);
      assert.match(r.stdout, /does not build \(timed out after 5 s\)/, r.stdout.slice(-3000));
      assert.deepEqual(processesMentioning(daemon), [], 'a process the build started outlived the action');
    },
  );
});

describe('issue 29 item 10: the build environment is an allow-list', () => {
  test(
    'GH_PAT and DEPLOY_KEY never reach the build; toolchain variables and `build-env` names do',
    { ...T, ...requireTool('clang') },
    async (t) => {
      const out = join(scratchDir('build-env-'), 'env.txt');
      const r = await bisectRun(t, `env > "${out}"\n`, {
        inputs: { 'build-env': 'MY_TOOL_HOME, EXTRA_*' },
        env: {
          GH_PAT: 'ghp_secret_pat',
          DEPLOY_KEY: '-----BEGIN OPENSSH PRIVATE KEY-----',
          NPM_TOKEN: 'npm_secret',
          CARGO_REGISTRIES_MY_TOKEN: 'cargo_secret',
          GOOGLE_APPLICATION_CREDENTIALS: '/secret.json',
          CC: 'clang',
          CFLAGS: '-O2',
          RUSTFLAGS: '-C target-cpu=native',
          CARGO_HOME: '/opt/cargo',
          GOFLAGS: '-mod=mod',
          LC_ALL: 'C.UTF-8',
          MY_TOOL_HOME: '/opt/tool',
          EXTRA_ONE: '1',
          UNLISTED: 'x',
        },
      });
      assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
      assert.ok(existsSync(out), 'the build ran');
      const names = new Set(
        readFileSync(out, 'utf8')
          .split('\n')
          .map((l) => l.split('=')[0]!),
      );
      for (const secret of [
        'GH_PAT',
        'DEPLOY_KEY',
        'NPM_TOKEN',
        'CARGO_REGISTRIES_MY_TOKEN',
        'GOOGLE_APPLICATION_CREDENTIALS',
      ]) {
        assert.ok(!names.has(secret), `${secret} reached the build`);
      }
      for (const name of [
        'PATH',
        'HOME',
        'CC',
        'CFLAGS',
        'RUSTFLAGS',
        'CARGO_HOME',
        'GOFLAGS',
        'LC_ALL',
        'MY_TOOL_HOME',
        'EXTRA_ONE',
      ]) {
        assert.ok(names.has(name), `${name} did not reach the build`);
      }
      assert.ok(!names.has('UNLISTED'), 'a variable neither allowed nor listed reached the build');
      assert.ok(![...names].some((n) => n.startsWith('INPUT_') || n.startsWith('GITHUB_')), 'the runner plumbing');
    },
  );

  test('a `build-env` entry that is not a variable name: one error naming build-env', T, async (t) => {
    const r = await bisectRun(t, '', { inputs: { 'build-env': 'OK_NAME, not a name' } });
    assert.equal(r.code, 1, r.stdout.slice(-2000));
    assert.equal(r.errors.length, 1, r.errors.join('\n'));
    assert.match(r.errors[0]!, /^::error::build-env: "not a name" is not an environment variable name/);
  });
});
