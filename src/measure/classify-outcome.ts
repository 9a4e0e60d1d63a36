// Turns a finished run into a failure, or nothing when it is a valid timed sample. Pure.
import type { ProcessOutcome } from './process.js';
import type { RunFailure } from './types.js';

function failureMessage(kind: RunFailure['kind'], outcome: ProcessOutcome, timeoutMs: number): string {
  switch (kind) {
    case 'spawn':
      return `could not start the runtime: ${outcome.spawnError ?? 'unknown error'}`;
    case 'timeout':
      return `run exceeded the timeout of ${timeoutMs} ms and was killed`;
    case 'trap':
      return `the wasm module trapped (exit code ${outcome.exitCode})`;
    default:
      return outcome.signal !== undefined
        ? `the runtime was killed by ${outcome.signal}`
        : `the program exited with code ${outcome.exitCode}`;
  }
}

function failureKind(outcome: ProcessOutcome, trapExitCodes: readonly number[]): RunFailure['kind'] | undefined {
  if (outcome.spawnError !== undefined) return 'spawn';
  if (outcome.timedOut) return 'timeout';
  if (outcome.exitCode === 0) return undefined;
  if (outcome.exitCode !== null && trapExitCodes.includes(outcome.exitCode)) return 'trap';
  return 'exit';
}

export function classifyOutcome(
  outcome: ProcessOutcome,
  trapExitCodes: readonly number[],
  timeoutMs: number,
): RunFailure | undefined {
  const kind = failureKind(outcome, trapExitCodes);
  if (kind === undefined) return undefined;
  return {
    kind,
    ...(outcome.exitCode === null ? {} : { exitCode: outcome.exitCode }),
    ...(outcome.signal === undefined ? {} : { signal: outcome.signal }),
    message: failureMessage(kind, outcome, timeoutMs),
    stdoutHead: outcome.stdoutHead,
    stderrTail: outcome.stderrTail,
  };
}
