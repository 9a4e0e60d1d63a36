// The measured program's stdout and stderr go to files, not pipes: node sets its stdout pipe non-blocking,
// so a guest writing faster than the reader drains gets EAGAIN; a regular file takes every write, as a terminal does.
// Only a bounded head and tail are read back; the files are removed after each run.
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Bytes of stdout kept from the start (program-reported metrics are read from it later). */
export const STDOUT_HEAD_BYTES = 64 * 1024;
/** Bytes kept from the end of stdout and of stderr (where runtimes print the error that ended a run). */
export const TAIL_BYTES = 8 * 1024;
/** Bytes kept from the start of stderr (a runtime's first error line). */
export const STDERR_HEAD_BYTES = 8 * 1024;
/** A run that writes more than this (stdout + stderr) is stopped: it would fill the runner's disk. */
export const OUTPUT_LIMIT_BYTES = 1024 ** 3;

let dir: string | undefined;
let counter = 0;

function outputDir(): string {
  if (dir === undefined) {
    const created = mkdtempSync(join(tmpdir(), 'wasm-perf-gate-output-'));
    process.on('exit', () => rmSync(created, { recursive: true, force: true }));
    dir = created;
  }
  return dir;
}

export interface OutputFiles {
  stdoutFd: number;
  stderrFd: number;
  /** bytes written so far to both */
  written(): number;
  /** reads the kept parts (and each whole file up to `fullBytes`, for an output check), closes and removes the files */
  collect(fullBytes?: number): CapturedOutput;
}

export interface CapturedOutput {
  stdoutHead: string;
  stdoutTail: string;
  stdoutBytes: number;
  stderrHead: string;
  stderrTail: string;
  stderrBytes: number;
  /** the whole stdout / stderr, when asked for and not longer than asked (expected-output checks) */
  stdoutFull?: string;
  stderrFull?: string;
}

export function openOutputFiles(): OutputFiles {
  const base = join(outputDir(), String(counter++));
  const paths = [`${base}.out`, `${base}.err`] as const;
  const fds = paths.map((p) => openSync(p, 'w+', 0o600)) as [number, number];
  let collected: CapturedOutput | undefined;
  return {
    stdoutFd: fds[0],
    stderrFd: fds[1],
    written: () => fstatSync(fds[0]).size + fstatSync(fds[1]).size,
    collect(fullBytes?: number) {
      if (collected) return collected;
      const [out, err] = fds.map((fd) => fstatSync(fd).size) as [number, number];
      const full = (fd: number, size: number) =>
        fullBytes !== undefined && size <= fullBytes ? readRange(fd, 0, size) : undefined;
      const stdoutFull = full(fds[0], out);
      const stderrFull = full(fds[1], err);
      collected = {
        ...(stdoutFull === undefined ? {} : { stdoutFull }),
        ...(stderrFull === undefined ? {} : { stderrFull }),
        stdoutHead: readRange(fds[0], 0, Math.min(out, STDOUT_HEAD_BYTES)),
        stdoutTail:
          out > STDOUT_HEAD_BYTES ? readRange(fds[0], Math.max(STDOUT_HEAD_BYTES, out - TAIL_BYTES), out) : '',
        stdoutBytes: out,
        stderrHead: readRange(fds[1], 0, Math.min(err, STDERR_HEAD_BYTES)),
        stderrTail: readRange(fds[1], Math.max(0, err - TAIL_BYTES), err),
        stderrBytes: err,
      };
      for (const fd of fds) closeSync(fd);
      for (const p of paths) unlinkSync(p);
      return collected;
    },
  };
}

function readRange(fd: number, start: number, end: number): string {
  if (end <= start) return '';
  const buf = Buffer.alloc(end - start);
  let got = 0;
  while (got < buf.length) {
    const n = readSync(fd, buf, got, buf.length - got, start + got);
    if (n === 0) break;
    got += n;
  }
  return buf.subarray(0, got).toString('utf8');
}
