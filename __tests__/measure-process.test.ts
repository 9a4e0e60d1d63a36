// runProcess: argv without a shell, exact env, stdin, bounded output, exit codes, signals, timeouts.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { runProcess, STDOUT_HEAD_BYTES, STDERR_TAIL_BYTES } from '../src/measure/process.js';

const node = (script: string, extra: { env?: Record<string, string>; stdin?: string } = {}) =>
  runProcess(
    {
      argv: [process.execPath, '-e', script],
      env: extra.env ?? {},
      ...(extra.stdin === undefined ? {} : { stdin: extra.stdin }),
    },
    { timeoutMs: 20_000 },
  );

describe('runProcess', () => {
  test('passes argv elements verbatim (no shell) and the env exactly', async () => {
    const r = await runProcess(
      {
        argv: [
          process.execPath,
          '-e',
          'console.log(JSON.stringify([process.argv.slice(1), process.env.ONLY, process.env.PATH]))',
          '$HOME',
          'a b',
          "'q'",
        ],
        env: { ONLY: 'me' },
      },
      { timeoutMs: 20_000 },
    );
    assert.equal(r.exitCode, 0, r.stderrTail);
    assert.deepEqual(JSON.parse(r.stdoutHead), [['$HOME', 'a b', "'q'"], 'me', null]);
    assert.ok(r.wallMs > 0);
    assert.equal(r.timedOut, false);
  });

  test('feeds stdin and reports the exit code', async () => {
    const r = await node(
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(s.toUpperCase());process.exit(7)})',
      { stdin: 'hello' },
    );
    assert.equal(r.exitCode, 7);
    assert.equal(r.stdoutHead, 'HELLO');
  });

  test('keeps the head of stdout and the tail of stderr', async () => {
    const r = await node(
      `process.stdout.write("a".repeat(${STDOUT_HEAD_BYTES}) + "TAIL"); process.stderr.write("HEAD" + "b".repeat(${STDERR_TAIL_BYTES}) + "END")`,
    );
    assert.equal(r.stdoutHead.length, STDOUT_HEAD_BYTES);
    assert.equal(r.stdoutTruncated, true);
    assert.ok(!r.stdoutHead.includes('TAIL'));
    assert.equal(r.stderrTail.length, STDERR_TAIL_BYTES);
    assert.ok(r.stderrTail.endsWith('END') && !r.stderrTail.includes('HEAD'));
  });

  test('reports the signal that ended the process', async () => {
    const r = await node('process.kill(process.pid, "SIGSEGV")');
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGSEGV');
  });

  test('a timeout kills the whole process group, grandchildren included', async () => {
    // The grandchild would keep stdout open for 30 s; `close` only fires once the whole group is dead.
    const r = await runProcess(
      { argv: ['/bin/sh', '-c', 'sleep 30 & sleep 30'], env: { PATH: process.env['PATH'] ?? '' } },
      { timeoutMs: 300 },
    );
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(r.wallMs < 10_000, `took ${r.wallMs} ms`);
  });

  test('an executable that does not exist is a spawn error, not a crash', async () => {
    const r = await runProcess({ argv: ['/nonexistent/runtime'], env: {} }, { timeoutMs: 5_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.spawnError ?? '', /ENOENT/);
  });
});
