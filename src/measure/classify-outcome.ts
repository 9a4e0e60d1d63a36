// Turns a finished run into a failure, or nothing when it is a valid timed sample. Pure.
// The runtime's stderr says what kind of failure it was (patterns per runtime, from its descriptor);
// exit codes alone cannot: wasm3 exits 1 for a trap, a guest's exit(1) and its own compile errors alike.
import { OUTPUT_LIMIT_BYTES } from './output-files.js';
import type { ProcessOutcome } from './process.js';
import type { RunFailure, StderrPattern } from '../model/measurement.js';

/** Longest stderr line quoted in a failure message. */
const QUOTE_CHARS = 240;

const WHAT: Record<StderrPattern['kind'], string> = {
  trap: 'the wasm module trapped',
  load: 'the module could not be loaded',
  runtime: 'the runtime failed (not a trap in the module)',
};

export const WRONG_OUTPUT_FIX =
  'Fix the program, or update its expected output (expect-stdout/expect-stderr, or the .expected files beside it) if the change is intended';

/** What the user can do about each kind of failure; ends the one-line message. */
const FIX: Record<RunFailure['kind'], string> = {
  exit: 'The program must exit 0: check its args, env and stdin',
  trap: 'Fix the program: it must run to completion on this runtime',
  load: 'Build a WASI preview1 command (a module with _start) that this runtime can load',
  runtime: 'This runtime cannot run the module: try another runtime or version',
  timeout: 'Raise `timeout` or give the benchmark less work',
  spawn: 'Check that the runtime is installed and runs on this machine',
  output: 'Write less output, or write it to a file in the benchmark `dir`',
  'wrong-output': WRONG_OUTPUT_FIX,
  cancelled: 'Re-run the workflow',
};

function stderrLines(outcome: ProcessOutcome): string[] {
  const text = `${outcome.stderrHead ?? ''}\n${outcome.stderrTail}`;
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 0);
}

/** The first pattern (in the descriptor's order) that some stderr line matches, with that line. */
function matchStderr(lines: readonly string[], patterns: readonly StderrPattern[]) {
  for (const p of patterns) {
    const line = lines.find((l) => p.pattern.test(l));
    if (line !== undefined) return { kind: p.kind, line };
  }
  return undefined;
}

// WAMR's iwasm prints a trap on stdout, after the program's own output (`Exception: wasm operand stack overflow`).
const STDOUT_TRAP = /^Exception: \S/;

/** The trap line a runtime printed at the end of stdout, quoted when stderr says nothing. */
function stdoutTrap(outcome: ProcessOutcome): string | undefined {
  const tail = (outcome.stdoutTail ?? outcome.stdoutHead).split('\n').map((l) => l.trim());
  return tail.reverse().find((l) => l.length > 0 && STDOUT_TRAP.test(l));
}

function quote(line: string | undefined): string {
  if (!line) return '';
  return `: ${line.length > QUOTE_CHARS ? `${line.slice(0, QUOTE_CHARS)}…` : line}`;
}

function code(outcome: ProcessOutcome): string {
  return outcome.signal !== undefined ? `killed by ${outcome.signal}` : `exit code ${outcome.exitCode}`;
}

function classify(
  outcome: ProcessOutcome,
  trapExitCodes: readonly number[],
  timeoutMs: number,
  patterns: readonly StderrPattern[],
): { kind: RunFailure['kind']; message: string } | undefined {
  if (outcome.cancelled) return { kind: 'cancelled', message: 'measuring was cancelled and the run stopped' };
  if (outcome.spawnError !== undefined)
    return { kind: 'spawn', message: `could not start the runtime: ${outcome.spawnError}` };
  if (outcome.timedOut)
    return { kind: 'timeout', message: `run exceeded the timeout of ${timeoutMs} ms and was killed` };
  if (outcome.outputLimited) {
    const limit = `${OUTPUT_LIMIT_BYTES / 1024 ** 3} GiB`;
    return { kind: 'output', message: `the program wrote more than ${limit} of output and was stopped` };
  }
  if (outcome.exitCode === 0) return undefined;
  const lines = stderrLines(outcome);
  const named = matchStderr(lines, patterns);
  if (named) return { kind: named.kind, message: `${WHAT[named.kind]} (${code(outcome)})${quote(named.line)}` };
  // With trap patterns known, a trap exit code without a trap message is the program's own exit status.
  const trapCode = outcome.exitCode !== null && trapExitCodes.includes(outcome.exitCode);
  if (trapCode && !patterns.some((p) => p.kind === 'trap'))
    return { kind: 'trap', message: `${WHAT.trap} (${code(outcome)})${quote(lines[0] ?? stdoutTrap(outcome))}` };
  const how =
    outcome.signal !== undefined
      ? `the runtime was killed by ${outcome.signal}`
      : `the program exited with code ${outcome.exitCode}`;
  return { kind: 'exit', message: `${how}${quote(lines[0])}` };
}

/** The failure a run ended in, or undefined for a clean exit; the message is one line ending in the fix. */
export function classifyOutcome(
  outcome: ProcessOutcome,
  trapExitCodes: readonly number[],
  timeoutMs: number,
  stderrPatterns: readonly StderrPattern[] = [],
): RunFailure | undefined {
  const found = classify(outcome, trapExitCodes, timeoutMs, stderrPatterns);
  if (found === undefined) return undefined;
  return {
    kind: found.kind,
    ...(outcome.exitCode === null ? {} : { exitCode: outcome.exitCode }),
    ...(outcome.signal === undefined ? {} : { signal: outcome.signal }),
    message: `${found.message}. ${FIX[found.kind]}.`,
    stdoutHead: outcome.stdoutHead,
    ...(outcome.stdoutTail ? { stdoutTail: outcome.stdoutTail } : {}),
    stderrTail: outcome.stderrTail,
  };
}

/** A module refused before any run (see start-export.ts), worded like a load failure the runtime reported. */
export function loadFailureBeforeRun(reason: string): RunFailure {
  return { kind: 'load', message: `${WHAT.load}: ${reason}. ${FIX.load}.`, stdoutHead: '', stderrTail: '' };
}

/** A WASI preview 2 component on a runtime that runs core modules only, refused before any run (not a parse error). */
export function componentFailure(problem: string): RunFailure {
  return {
    kind: 'load',
    message: `${problem}. Run it on wasmtime, or build a WASI preview1 core module for this runtime (e.g. --target=wasm32-wasip1).`,
    stdoutHead: '',
    stderrTail: '',
  };
}
