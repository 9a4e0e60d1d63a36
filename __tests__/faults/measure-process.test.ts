// Fault catalogue, measured programs: traps, modules that cannot load, hangs, floods, crashing and
// lingering runtimes, and a workflow cancelled mid-run. Each case runs dist/index.js over a workspace with
// a real previous baseline and checks the exit code, the one error line (what failed + the fix), the
// summary, that the previous baseline is byte-identical, and (from /proc) that no measured process is left.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import {
  ADD_ONE,
  assertBaselineKept,
  assertSummary,
  FAST_INPUTS,
  FAULTS,
  faultWorkspace,
  PR,
  PUSH,
  processesMentioning,
  runFault,
  TRAP,
  type FaultRun,
} from '../helpers/fault-case.js';

const T = { timeout: 300_000 };

/** One benchmark of `artifact` (plus YAML `extra` lines), measured on a PR (or a push) by the bundled action. */
async function measureOne(
  t: TestContext,
  ws: string,
  artifact: string,
  opts: { extra?: string; top?: string; event?: typeof PR; onStart?: Parameters<typeof runFault>[1]['onStart'] } = {},
): Promise<FaultRun> {
  const yaml = `${opts.top ?? ''}benchmarks:\n  - artifact: ${artifact}\n${opts.extra ?? ''}`;
  writeFileSync(join(ws, 'perf.yml'), yaml);
  const inputs = { ...FAST_INPUTS, artifacts: '', config: 'perf.yml' };
  return runFault(t, {
    workspace: ws,
    inputs,
    ...(opts.event ?? PR),
    ...(opts.onStart ? { onStart: opts.onStart } : {}),
  });
}

/** The checks of a run whose benchmark failed: exit 1, one error line naming it, its kind and the fix. */
async function assertRunFailed(r: FaultRun, ws: string, bench: string, problem: RegExp, fix: RegExp) {
  const context = `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`;
  assert.equal(r.code, 1, context);
  assert.equal(r.errors.length, 1, `one error line expected:\n${r.errors.join('\n')}\n${context}`);
  assert.match(r.errors[0]!, new RegExp(`^::error::wasm-perf-gate: .*${bench.replace(/[./]/g, '\\$&')}`));
  assert.match(r.errors[0]!, problem, 'the error line says what went wrong');
  assert.match(r.errors[0]!, fix, 'the error line says what to do');
  assert.equal(r.outputs['verdict'], 'failed');
  assertSummary(r, new RegExp(bench.replace(/[./]/g, '\\$&')));
  await assertBaselineKept(ws);
  assert.deepEqual(processesMentioning(ws), [], 'no measured process is left running');
}

/** A custom runtime: `script` (sh) run with the module path as $1. */
const customRuntime = (ws: string, script: string) => {
  writeFileSync(join(ws, 'runtime.sh'), script);
  return `    runtimes: [{ name: custom, id: script, command: ['sh', '${join(ws, 'runtime.sh')}', '{wasm}'] }]\n`;
};

describe('modules that trap or cannot load', () => {
  test('a wasm trap: failure `trap`, naming the benchmark', T, async (t) => {
    const ws = await faultWorkspace({ 'build/trap.wasm': TRAP });
    const r = await measureOne(t, ws, 'build/trap.wasm');
    await assertRunFailed(r, ws, 'build/trap', /the wasm module trapped/, /Fix the program/);
  });

  const loads: [string, string, string | Uint8Array, RegExp][] = [
    [
      'a reactor module without _start',
      'build/reactor.wasm',
      `${FAULTS}/reactor.wasm`,
      /could not be loaded.*exports no _start function.*reactor/,
    ],
    [
      'a module with an unknown import',
      'build/unknown-import.wasm',
      `${FAULTS}/unknown-import.wasm`,
      /could not be loaded.*unknown import env::host_clock/,
    ],
    [
      'a truncated module',
      'build/truncated.wasm',
      readFileSync(ADD_ONE).subarray(0, Math.floor(readFileSync(ADD_ONE).length / 2)),
      /could not be loaded.*not a valid WebAssembly module \(truncated or corrupt\?\)/,
    ],
  ];
  for (const [name, artifact, from, problem] of loads) {
    test(`${name}: failure \`load\` naming the cause, not "exited with code 1"`, T, async (t) => {
      const ws = await faultWorkspace({ [artifact]: from });
      const r = await measureOne(t, ws, artifact);
      await assertRunFailed(r, ws, artifact.replace(/\.wasm$/, ''), problem, /Build a WASI preview1 command/);
      assert.doesNotMatch(r.errors[0]!, /exited with code 1/);
    });
  }
});

describe('programs that hang or flood', () => {
  test('a program that hangs is killed with its process group at `timeout`', T, async (t) => {
    const ws = await faultWorkspace({ 'build/spin.wasm': `${FAULTS}/spin.wasm` });
    const r = await measureOne(t, ws, 'build/spin.wasm', { top: 'measure:\n  timeout: 3s\n' });
    await assertRunFailed(r, ws, 'build/spin', /exceeded the timeout of 3000 ms and was killed/, /Raise `timeout`/);
  });

  test('a 200 MB stdout flood: every write succeeds, as on a terminal', T, async (t) => {
    const ws = await faultWorkspace({ 'build/flood.wasm': `${FAULTS}/flood.wasm` });
    const r = await measureOne(t, ws, 'build/flood.wasm', { extra: "    args: ['200']\n" });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(r.errors, []);
    assert.doesNotMatch(r.stdout + r.summary, /write failed/, 'the program saw a failed write');
    assertSummary(r, /build\/flood/);
    await assertBaselineKept(ws);
  });
});

describe('runtimes that crash or linger (custom commands)', () => {
  test('a runtime killed by a signal: failure naming the signal', T, async (t) => {
    const ws = await faultWorkspace();
    const extra = customRuntime(ws, 'echo "about to crash" >&2\nkill -SEGV $$\n');
    const r = await measureOne(t, ws, 'build/add-one.wasm', { extra });
    await assertRunFailed(r, ws, 'build/add-one', /killed by SIGSEGV/, /exit 0|check its args/);
  });

  test('a runtime that exits while a background child holds its stdout: not a timeout', T, async (t) => {
    const ws = await faultWorkspace();
    // The child keeps stdout and stderr open for 5 minutes; only the runtime's own exit may end the run.
    const extra = customRuntime(ws, 'if [ "$1" = child ]; then sleep 300; exit 0; fi\nsh "$0" child &\nexit 0\n');
    const r = await measureOne(t, ws, 'build/add-one.wasm', { extra, top: 'measure:\n  timeout: 60s\n' });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(r.errors, []);
    assert.doesNotMatch(r.stdout + r.summary, /timeout/i);
    assertSummary(r, /build\/add-one/);
    await assertBaselineKept(ws);
    assert.deepEqual(processesMentioning(join(ws, 'runtime.sh')), [], 'the background child was killed');
  });
});

describe("processes that leave the runtime's process group", () => {
  test('a setsid daemon the runtime starts is killed after the run, and the cell says so', T, async (t) => {
    const ws = await faultWorkspace();
    // A copy of sleep under the workspace, so /proc shows which processes this case started.
    copyFileSync(execFileSync('sh', ['-c', 'command -v sleep'], { encoding: 'utf8' }).trim(), join(ws, 'daemon'));
    // The runtime exits only once the daemon has left its process group (field 5 of /proc/PID/stat): exiting
    // before setsid() ran would let the group kill take the daemon as a member, and nothing would have escaped.
    const extra = customRuntime(
      ws,
      `setsid "${join(ws, 'daemon')}" 1000 </dev/null >/dev/null 2>&1 &\n` +
        `i=0; while [ "$(awk '{print $5}' /proc/$!/stat 2>/dev/null)" = "$(awk '{print $5}' /proc/$$/stat)" ] && [ $i -lt 500 ]; do sleep 0.01; i=$((i + 1)); done\n` +
        'exit 0\n',
    );
    const r = await measureOne(t, ws, 'build/add-one.wasm', { extra });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(processesMentioning(join(ws, 'daemon')), [], 'the setsid daemon outlived the action');
    assertSummary(
      r,
      /outlived the run that started them \(having left its process group or session\) and (?:was|were) killed/,
    );
    await assertBaselineKept(ws);
  });

  test('a child that calls setpgrp: the run times out and the child is killed too', T, async (t) => {
    const ws = await faultWorkspace();
    const child = `perl -e 'setpgrp(0, 0); sleep 1000' "${join(ws, 'setpgrp-child')}" &\nwait\n`;
    const extra = customRuntime(ws, child);
    const r = await measureOne(t, ws, 'build/add-one.wasm', { extra, top: 'measure:\n  timeout: 3s\n' });
    await assertRunFailed(r, ws, 'build/add-one', /exceeded the timeout of 3000 ms and was killed/, /Raise `timeout`/);
    assert.deepEqual(processesMentioning(join(ws, 'setpgrp-child')), [], 'the setpgrp child outlived the action');
  });
});

describe('a cancelled workflow', () => {
  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    test(`${signal} mid-run: measured processes killed, a cancelled summary, no baseline saved`, T, async (t) => {
      const ws = await faultWorkspace({ 'build/spin.wasm': `${FAULTS}/spin.wasm` });
      const spinning = join(ws, 'build/spin.wasm');
      let signalled = false;
      const r = await measureOne(t, ws, 'build/spin.wasm', {
        event: PUSH,
        top: 'measure:\n  timeout: 240s\n',
        onStart: (child) => {
          // Signal once the measured program runs, as the runner does when a workflow is cancelled.
          const poll = setInterval(() => {
            if (processesMentioning(spinning).length === 0) return;
            clearInterval(poll);
            signalled = child.kill(signal);
          }, 200);
          child.on('exit', () => clearInterval(poll));
        },
      });
      assert.ok(signalled, `the measured program never started:\n${r.stdout.slice(-3000)}`);
      assert.notEqual(r.code, 0, r.stdout.slice(-3000));
      assert.equal(r.errors.length, 1, r.errors.join('\n'));
      assert.match(r.errors[0]!, new RegExp(`cancelled by ${signal}.*nothing was saved.*Re-run the workflow`));
      assertSummary(r, /cancelled/);
      await assertBaselineKept(ws);
      assert.deepEqual(processesMentioning(spinning), [], 'the measured program did not survive the action');
    });
  }
});
