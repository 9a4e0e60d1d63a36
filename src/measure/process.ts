// Runs one process and records what happened: spawn, wait, record — nothing else, so the timed window
// holds only the measured program. Formatting and interpretation happen in the callers.
import { spawn } from 'node:child_process';
import type { Command } from './types.js';

/** Bytes of stdout kept from the start (program-reported metrics are read from it later). */
export const STDOUT_HEAD_BYTES = 64 * 1024;
/** Bytes of stderr kept from the end (where runtimes print the error that ended a run). */
export const STDERR_TAIL_BYTES = 8 * 1024;

export interface ProcessOutcome {
  /** wall time from spawn to exit, in ms */
  wallMs: number;
  /** null when the process was ended by a signal or never started */
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  /** set when the executable could not be started (ENOENT, EACCES, …) */
  spawnError?: string;
  stdoutHead: string;
  stdoutTruncated: boolean;
  stderrTail: string;
}

/** Keeps the first `limit` bytes of a stream and drains the rest so the child never blocks on a full pipe. */
class HeadBuffer {
  private chunks: Buffer[] = [];
  private size = 0;
  truncated = false;
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    const room = this.limit - this.size;
    if (room <= 0) {
      this.truncated = true;
      return;
    }
    const part = chunk.length > room ? chunk.subarray(0, room) : chunk;
    if (part !== chunk) this.truncated = true;
    this.chunks.push(part);
    this.size += part.length;
  }
  text(): string {
    return Buffer.concat(this.chunks).toString('utf8');
  }
}

/** Keeps the last `limit` bytes of a stream. */
class TailBuffer {
  private buf = Buffer.alloc(0);
  constructor(private readonly limit: number) {}
  push(chunk: Buffer): void {
    const joined = Buffer.concat([this.buf, chunk]);
    this.buf = joined.length > this.limit ? joined.subarray(joined.length - this.limit) : joined;
  }
  text(): string {
    return this.buf.toString('utf8');
  }
}

/** Kills the whole process group (the child leads its own, see `detached`), so runtimes' helpers die too. */
function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function runProcess(cmd: Command, opts: { timeoutMs: number }): Promise<ProcessOutcome> {
  const [exe, ...args] = cmd.argv;
  if (exe === undefined) throw new Error('runProcess: empty argv');
  const stdout = new HeadBuffer(STDOUT_HEAD_BYTES);
  const stderr = new TailBuffer(STDERR_TAIL_BYTES);
  return new Promise((resolve) => {
    let timedOut = false;
    let spawnError: string | undefined;
    let endNs: bigint | undefined;
    const startNs = process.hrtime.bigint();
    const child = spawn(exe, args, {
      cwd: cmd.cwd,
      env: cmd.env,
      stdio: [cmd.stdin === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'],
      // Own process group, so a timeout can kill everything the runtime started.
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs);
    child.stdout?.on('data', (c: Buffer) => stdout.push(c));
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    if (child.stdin) {
      child.stdin.on('error', () => undefined); // the program may exit without reading its input (EPIPE)
      child.stdin.end(cmd.stdin);
    }
    child.on('exit', () => {
      endNs = process.hrtime.bigint();
    });
    child.on('error', (e) => {
      spawnError = e.message;
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const end = endNs ?? process.hrtime.bigint();
      resolve({
        wallMs: Number(end - startNs) / 1e6,
        exitCode: spawnError === undefined ? code : null,
        ...(signal ? { signal } : {}),
        timedOut,
        ...(spawnError === undefined ? {} : { spawnError }),
        stdoutHead: stdout.text(),
        stdoutTruncated: stdout.truncated,
        stderrTail: stderr.text(),
      });
    });
  });
}
