// Peak RSS and CPU time of runtimes without the JS launcher: GNU time reads the kernel's wait4 accounting;
// where it is missing the metrics are unavailable, never estimated (docs/adrs/0007-rusage-via-gnu-time.md).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import type { ReadExtra } from './engine.js';
import type { ProcessOutcome } from './process.js';
import type { Command } from './types.js';

export const GNU_TIME = '/usr/bin/time';

/** Peak RSS in KiB, user and system CPU seconds; one line, after any "Command exited…" line GNU time adds. */
const FORMAT = 'wasm-perf-gate-rusage %M %U %S';

export type GnuTimeSupport = { available: true; exe: string } | { available: false; reason: string };

let detected: GnuTimeSupport | undefined;

/** Whether GNU time can wrap runs on this machine (asked once per process). */
export function detectGnuTime(exe = GNU_TIME): GnuTimeSupport {
  if (exe === GNU_TIME && detected) return detected;
  const support = probe(exe);
  if (exe === GNU_TIME) detected = support;
  return support;
}

function probe(exe: string): GnuTimeSupport {
  if (process.platform !== 'linux')
    return { available: false, reason: `GNU time is only used on Linux (this is ${process.platform})` };
  const r = spawnSync(exe, ['--version'], { encoding: 'utf8', timeout: 10_000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`;
  if (r.error || !/GNU/i.test(text))
    return { available: false, reason: `GNU time was not found at ${exe} (install the \`time\` package)` };
  return { available: true, exe };
}

/** Pure: `cmd` run under GNU time, which writes its figures to `file` (never to the program's stderr). */
export function wrapWithGnuTime(cmd: Command, exe: string, file: string): Command {
  return { ...cmd, argv: [exe, '-f', FORMAT, '-o', file, '--', ...cmd.argv] };
}

export interface GnuTimeReport {
  values: Record<string, number>;
  /** set when GNU time says the runtime was killed by a signal (it then exits 128 + N itself) */
  signal?: string;
}

/** Pure: metric values from GNU time's output file. */
export function parseGnuTime(text: string): GnuTimeReport {
  const line = /^wasm-perf-gate-rusage (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)$/m.exec(text);
  if (!line) throw new Error(`GNU time wrote no figures (its output: ${JSON.stringify(text.slice(0, 300))})`);
  const [user, sys] = [Number(line[2]) * 1000, Number(line[3]) * 1000];
  const values = { 'peak-rss': Number(line[1]) * 1024, user, sys, cpu: user + sys };
  const signal = /Command terminated by signal (\d+)/.exec(text)?.[1];
  return signal === undefined ? { values } : { values, signal: signalName(Number(signal)) };
}

function signalName(n: number): string {
  const found = Object.entries(constants.signals).find(([, v]) => v === n);
  return found ? found[0] : `signal ${n}`;
}

/**
 * GNU time turns a runtime killed by signal N into its own exit code 128 + N; put the signal back so the
 * failure reads as a crash, not as an exit code. Runs before the outcome is classified.
 */
export function gnuTimeOutcome(file: string): (outcome: ProcessOutcome) => ProcessOutcome {
  return (outcome) => {
    if (outcome.exitCode === null || outcome.exitCode <= 128) return outcome;
    let signal: string | undefined;
    try {
      signal = parseGnuTime(readFileSync(file, 'utf8')).signal;
    } catch {
      return outcome;
    }
    return signal === undefined ? outcome : { ...outcome, exitCode: null, signal };
  };
}

/** A ReadExtra for a run wrapped by `wrapWithGnuTime`: reads the file, then deletes it (no stale figures). */
export function gnuTimeReader(file: string): ReadExtra {
  return () => {
    try {
      return parseGnuTime(readFileSync(file, 'utf8')).values;
    } finally {
      rmSync(file, { force: true });
    }
  };
}
