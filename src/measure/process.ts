// Runs one process and records what happened: spawn, wait, record — nothing else, so the timed window
// holds only the measured program. Formatting and interpretation happen in the callers.
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, constants, fstatSync, openSync } from 'node:fs';
import { cancelledBy, killGroup, trackGroup, untrackGroup } from '../process/cancellation.js';
import { openScope } from '../process/escapees.js';
import {
  OUTPUT_LIMIT_BYTES,
  STDOUT_HEAD_BYTES,
  openOutputFiles,
  type CapturedOutput,
  type OutputFiles,
} from './output-files.js';
import type { Command } from '../model/measurement.js';

export { STDOUT_HEAD_BYTES, TAIL_BYTES as STDERR_TAIL_BYTES } from './output-files.js';

/** How often the output files' size is checked against OUTPUT_LIMIT_BYTES. */
const OUTPUT_CHECK_MS = 250;

export interface ProcessOutcome {
  /** wall time from spawn to exit, in ms */
  wallMs: number;
  /** null when the process was ended by a signal or never started */
  exitCode: number | null;
  signal?: string;
  timedOut: boolean;
  /** set when the executable could not be started (ENOENT, EACCES, E2BIG, …) */
  spawnError?: string;
  /** killed because it wrote more than OUTPUT_LIMIT_BYTES */
  outputLimited?: boolean;
  /** killed (or never started) because measuring was cancelled */
  cancelled?: boolean;
  stdoutHead: string;
  stdoutTruncated: boolean;
  /** the last bytes of stdout, when it was longer than its head */
  stdoutTail?: string;
  /** the first bytes of stderr (a runtime's first error line is there) */
  stderrHead?: string;
  stderrTail: string;
  /** with `fullOutputBytes`: each whole stream when not longer than that, and their sizes */
  stdoutFull?: string;
  stderrFull?: string;
  /** the run was asked to read its whole output back (an output-checked run) */
  fullOutputRead?: boolean;
  stdoutBytes?: number;
  stderrBytes?: number;
}

function notRun(spawnError: string | undefined, cancelled: boolean): ProcessOutcome {
  return {
    wallMs: 0,
    exitCode: null,
    timedOut: false,
    ...(spawnError === undefined ? {} : { spawnError }),
    ...(cancelled ? { cancelled } : {}),
    stdoutHead: '',
    stdoutTruncated: false,
    stderrTail: '',
  };
}

/** Standard input from a regular file, opened anew for every run; never a FIFO or a device. */
function openStdin(path: string): number {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  if (!fstatSync(fd).isFile()) {
    closeSync(fd);
    throw new Error(`standard input ${path} is not a regular file`);
  }
  return fd;
}

function describe(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** `fullOutputBytes`: also read back each whole stream up to that size (a checked run, see expected-output.ts). */
export function runProcess(
  cmd: Command,
  opts: { timeoutMs: number; fullOutputBytes?: number },
): Promise<ProcessOutcome> {
  const [exe, ...args] = cmd.argv;
  if (exe === undefined) throw new Error('runProcess: empty argv');
  if (cancelledBy() !== undefined) return Promise.resolve(notRun(undefined, true));
  let stdinFd: number | undefined;
  let output: OutputFiles;
  try {
    stdinFd = cmd.stdinFile === undefined ? undefined : openStdin(cmd.stdinFile);
    output = openOutputFiles();
  } catch (e) {
    if (stdinFd !== undefined) closeSync(stdinFd);
    return Promise.resolve(notRun(describe(e), false));
  }
  return new Promise((resolve) => {
    const state = { timedOut: false, outputLimited: false, spawnError: undefined as string | undefined };
    let endNs: bigint | undefined;
    // Opened before the clock starts and ended after it stops: containment costs nothing inside the window.
    const scope = openScope();
    const startNs = process.hrtime.bigint();
    let child: ChildProcess;
    try {
      child = spawn(exe, args, {
        cwd: cmd.cwd,
        env: { ...cmd.env, ...scope.env },
        stdio: [stdinFd ?? 'ignore', output.stdoutFd, output.stderrFd],
        // Own process group, so a timeout or a cancel can kill everything the runtime started.
        detached: process.platform !== 'win32',
        windowsHide: true,
      });
    } catch (e) {
      // node throws (rather than emitting 'error') for some errno values, E2BIG among them.
      scope.end();
      if (stdinFd !== undefined) closeSync(stdinFd);
      output.collect();
      resolve(notRun(describe(e), false));
      return;
    }
    if (stdinFd !== undefined) closeSync(stdinFd);
    if (child.pid !== undefined) trackGroup(child.pid);
    const timer = setTimeout(() => {
      state.timedOut = true;
      killGroup(child.pid);
    }, opts.timeoutMs);
    const sizeCheck = setInterval(() => {
      if (output.written() <= OUTPUT_LIMIT_BYTES) return;
      state.outputLimited = true;
      killGroup(child.pid);
    }, OUTPUT_CHECK_MS);
    child.on('exit', () => {
      endNs = process.hrtime.bigint();
      // Whatever the runtime left running in its group (a background helper holding its output) dies with it,
      // and so does what left the group (a setsid daemon, a setpgrp child): the run's scope still holds it.
      killGroup(child.pid);
      scope.end(child.pid);
    });
    child.on('error', (e) => {
      state.spawnError = e.message;
      scope.end(child.pid);
    });
    child.on('close', (code, signal) => {
      scope.end(child.pid);
      clearTimeout(timer);
      clearInterval(sizeCheck);
      if (child.pid !== undefined) untrackGroup(child.pid);
      const end = endNs ?? process.hrtime.bigint();
      const out = output.collect(opts.fullOutputBytes);
      const outcome = outcomeOf(Number(end - startNs) / 1e6, code, signal, state, out);
      resolve(opts.fullOutputBytes === undefined ? outcome : { ...outcome, fullOutputRead: true });
    });
  });
}

function outcomeOf(
  wallMs: number,
  code: number | null,
  signal: NodeJS.Signals | null,
  state: { timedOut: boolean; outputLimited: boolean; spawnError: string | undefined },
  out: CapturedOutput,
): ProcessOutcome {
  const cancelled = cancelledBy() !== undefined && signal === 'SIGKILL' && !state.timedOut;
  return {
    wallMs,
    exitCode: state.spawnError === undefined ? code : null,
    ...(signal ? { signal } : {}),
    timedOut: state.timedOut,
    ...(state.spawnError === undefined ? {} : { spawnError: state.spawnError }),
    ...(state.outputLimited ? { outputLimited: true } : {}),
    ...(cancelled ? { cancelled } : {}),
    stdoutHead: out.stdoutHead,
    stdoutTruncated: out.stdoutBytes > STDOUT_HEAD_BYTES,
    ...(out.stdoutTail ? { stdoutTail: out.stdoutTail } : {}),
    ...(out.stderrHead ? { stderrHead: out.stderrHead } : {}),
    stderrTail: out.stderrTail,
    ...(out.stdoutFull === undefined ? {} : { stdoutFull: out.stdoutFull }),
    ...(out.stderrFull === undefined ? {} : { stderrFull: out.stderrFull }),
    stdoutBytes: out.stdoutBytes,
    stderrBytes: out.stderrBytes,
  };
}
