// runProcess: argv without a shell, exact env, stdin from a file, output to files (head and tail kept),
// exit codes, signals, timeouts, no process left behind.
import { test, describe, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess, STDOUT_HEAD_BYTES, STDERR_TAIL_BYTES } from '../src/measure/process.js';

const dir = mkdtempSync(join(tmpdir(), 'measure-process-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const node = (script: string, extra: { env?: Record<string, string>; stdinFile?: string; timeoutMs?: number } = {}) =>
  runProcess(
    {
      argv: [process.execPath, '-e', script],
      env: extra.env ?? {},
      ...(extra.stdinFile === undefined ? {} : { stdinFile: extra.stdinFile }),
    },
    { timeoutMs: extra.timeoutMs ?? 20_000 },
  );

const alive = (pid: number) => existsSync(`/proc/${pid}`) && !/^State:\s+Z/m.test(procStatus(pid));
/** SIGKILL is delivered asynchronously: on a loaded machine the process may take a moment to leave /proc. */
async function aliveAfterGrace(pid: number, graceMs = 5_000): Promise<boolean> {
  const until = Date.now() + graceMs;
  while (alive(pid) && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
  return alive(pid);
}
function procStatus(pid: number): string {
  try {
    return execFileSync('cat', [`/proc/${pid}/status`], { encoding: 'utf8' });
  } catch {
    return '';
  }
}

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

  test('feeds a file as stdin and reports the exit code', async () => {
    const input = join(dir, 'in.txt');
    writeFileSync(input, 'hello');
    const r = await node(
      'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{process.stdout.write(s.toUpperCase());process.exit(7)})',
      { stdinFile: input },
    );
    assert.equal(r.exitCode, 7, r.stderrTail);
    assert.equal(r.stdoutHead, 'HELLO');
  });

  test('refuses a stdin that is not a regular file (a FIFO would block) without starting the program', async () => {
    const fifo = join(dir, 'fifo');
    execFileSync('mkfifo', [fifo]);
    const r = await node('process.exit(0)', { stdinFile: fifo });
    assert.equal(r.exitCode, null);
    assert.match(r.spawnError ?? '', /not a regular file/);
  });

  test('keeps the head and tail of stdout and the head and tail of stderr', async () => {
    const r = await node(
      `process.stdout.write("a".repeat(${STDOUT_HEAD_BYTES}) + "b".repeat(100000) + "TAIL"); process.stderr.write("HEAD" + "b".repeat(${STDERR_TAIL_BYTES}) + "END")`,
    );
    assert.equal(r.stdoutHead.length, STDOUT_HEAD_BYTES);
    assert.equal(r.stdoutTruncated, true);
    assert.ok(!r.stdoutHead.includes('TAIL'));
    assert.ok(r.stdoutTail?.endsWith('bTAIL'), 'the tail of stdout is kept');
    assert.equal(r.stderrTail.length, STDERR_TAIL_BYTES);
    assert.ok(r.stderrTail.endsWith('END') && !r.stderrTail.includes('HEAD'));
    assert.ok(r.stderrHead?.startsWith('HEAD'), 'the head of stderr is kept');
  });

  test('a program that writes 200 MB to stdout, checking every write, succeeds (no EAGAIN)', async () => {
    const r = await node(
      'const fs=require("fs");const b=Buffer.alloc(1<<20,120);for(let i=0;i<200;i++){if(fs.writeSync(1,b)!==b.length)process.exit(5)}',
    );
    assert.equal(r.exitCode, 0, r.stderrTail);
    assert.equal(r.stdoutHead.length, STDOUT_HEAD_BYTES);
  });

  test('reports the signal that ended the process', async () => {
    const r = await node('process.kill(process.pid, "SIGSEGV")');
    assert.equal(r.exitCode, null);
    assert.equal(r.signal, 'SIGSEGV');
  });

  test('a timeout kills the whole process group, grandchildren included', async () => {
    const pidFile = join(dir, 'grandchild.pid');
    const r = await runProcess(
      {
        argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${pidFile}; sleep 30`],
        env: { PATH: process.env['PATH'] ?? '' },
      },
      { timeoutMs: 300 },
    );
    assert.equal(r.timedOut, true);
    assert.equal(r.signal, 'SIGKILL');
    assert.ok(r.wallMs < 10_000, `took ${r.wallMs} ms`);
    const grandchild = Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }));
    assert.equal(await aliveAfterGrace(grandchild), false, `sleep ${grandchild} survived`);
  });

  test('a runtime that exits while a background child still holds its stdout ends at once, and the child is killed', async () => {
    const pidFile = join(dir, 'background.pid');
    const r = await runProcess(
      {
        argv: ['/bin/sh', '-c', `sleep 30 & echo $! > ${pidFile}; echo done; exit 0`],
        env: { PATH: process.env['PATH'] ?? '' },
      },
      { timeoutMs: 10_000 },
    );
    assert.equal(r.timedOut, false, 'not a timeout');
    assert.equal(r.exitCode, 0);
    assert.equal(r.stdoutHead, 'done\n');
    const background = Number(execFileSync('cat', [pidFile], { encoding: 'utf8' }));
    assert.equal(await aliveAfterGrace(background), false, `background sleep ${background} survived the run`);
  });

  test('an executable that does not exist is a spawn error, not a crash', async () => {
    const r = await runProcess({ argv: ['/nonexistent/runtime'], env: {} }, { timeoutMs: 5_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.spawnError ?? '', /ENOENT/);
  });

  test('an argument list too long for the kernel (E2BIG) is a spawn error, not a throw', async () => {
    const args = Array.from({ length: 300_000 }, (_, i) => `arg${i}`);
    const r = await runProcess({ argv: [process.execPath, '-e', '0', ...args], env: {} }, { timeoutMs: 5_000 });
    assert.equal(r.exitCode, null);
    assert.match(r.spawnError ?? '', /E2BIG/);
  });
});
