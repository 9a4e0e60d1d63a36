// Peak RSS and CPU time of runtimes without the JS launcher: GNU time reads the kernel's wait4 accounting
// (BSD `time -l` on macOS); where neither is, the metrics are unavailable (docs/adrs/0007-rusage-via-gnu-time.md).
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { constants } from 'node:os';
import { CONTEXT } from './disturbance.js';
import type { ReadExtra } from './engine.js';
import type { ProcessOutcome } from './process.js';
import type { Command } from '../model/measurement.js';

export const GNU_TIME = '/usr/bin/time';

/** Peak RSS in KiB, user and system CPU seconds, involuntary context switches; one line, after any "Command exited…" line GNU time adds. */
const FORMAT = 'wasm-perf-gate-rusage %M %U %S %c';

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
  const line = /^wasm-perf-gate-rusage (\d+) (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)(?: (\d+))?$/m.exec(text);
  if (!line) throw new Error(`GNU time wrote no figures (its output: ${JSON.stringify(text.slice(0, 300))})`);
  const [user, sys] = [Number(line[2]) * 1000, Number(line[3]) * 1000];
  const values: Record<string, number> = { 'peak-rss': Number(line[1]) * 1024, user, sys, cpu: user + sys };
  if (line[4] !== undefined) values[CONTEXT.invcsw] = Number(line[4]);
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

// macOS runners have no GNU time; their /usr/bin/time is BSD time, whose `-l` prints the wait4 rusage
// to stderr after the program's own output (ru_maxrss in bytes there, not KiB).
export const BSD_TIME = '/usr/bin/time';

/** Whether BSD time can wrap runs (macOS only; asked once per process). */
export function detectBsdTime(platform: NodeJS.Platform = process.platform): GnuTimeSupport {
  if (platform !== 'darwin')
    return { available: false, reason: `BSD time is only used on macOS (this is ${platform})` };
  return existsSync(BSD_TIME)
    ? { available: true, exe: BSD_TIME }
    : { available: false, reason: `${BSD_TIME} not found` };
}

/** Pure: `cmd` run under BSD time with the rusage listing (`-l`). */
export function wrapWithBsdTime(cmd: Command, exe: string): Command {
  return { ...cmd, argv: [exe, '-l', ...cmd.argv] };
}

/**
 * Pure: metric values from BSD `time -l` output at the end of stderr. The last `real … user … sys` line
 * starts the block, so lines a program printed itself earlier cannot stand in for the kernel's figures.
 */
export function parseBsdTime(stderr: string): GnuTimeReport {
  const lines = stderr.split('\n');
  const isHead = (l: string) => /^\s*[\d.]+ real\s+[\d.]+ user\s+[\d.]+ sys\s*$/.test(l);
  const head = lines.length - 1 - [...lines].reverse().findIndex(isHead);
  if (head >= lines.length)
    throw new Error(`BSD time wrote no figures (stderr ends: ${JSON.stringify(stderr.slice(-300))})`);
  const times = /([\d.]+) user\s+([\d.]+) sys/.exec(lines[head]!)!;
  const counts = new Map<string, number>();
  for (const l of lines.slice(head + 1)) {
    const m = /^\s*(\d+)\s+(.+?)\s*$/.exec(l);
    if (m) counts.set(m[2]!, Number(m[1]));
  }
  const rss = counts.get('maximum resident set size');
  if (rss === undefined) throw new Error('BSD time wrote no "maximum resident set size" line (was `-l` given?)');
  const [user, sys] = [Number(times[1]) * 1000, Number(times[2]) * 1000];
  const values: Record<string, number> = { 'peak-rss': rss, user, sys, cpu: user + sys };
  const preempted = counts.get('involuntary context switches');
  if (preempted !== undefined) values[CONTEXT.invcsw] = preempted;
  return { values };
}

/** A ReadExtra for a run wrapped by `wrapWithBsdTime`: the figures are at the end of its stderr. */
export function bsdTimeReader(): ReadExtra {
  return (outcome) => parseBsdTime(outcome.stderrTail).values;
}
