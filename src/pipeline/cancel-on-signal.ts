// SIGINT/SIGTERM (a cancelled workflow: the runner sends SIGINT, then SIGTERM ~7.5 s later, then SIGKILL)
// kill the measured process groups (and a running git) at once; the pipeline then reports what was measured
// and exits non-zero, whatever phase the signal came in (measuring, saving, pushing history, posting).
// If it cannot finish within the grace period, or a second signal arrives, it says so and exits at once.
import { constants } from 'node:os';
import { cancelMeasuring, cancelledBy, cancelledPhase } from '../process/cancellation.js';

/** Time the pipeline gets after the first signal to write the cancelled summary. */
export const CANCEL_GRACE_MS = 5000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function exitCodeFor(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 15);
}

/**
 * Installs the handlers; returns a function that removes them. `fail` gets the one line a run that cannot
 * finish in time leaves behind (an error line under Actions).
 */
export function cancelOnSignals(
  log: (message: string) => void,
  fail: (message: string) => void = log,
  graceMs = CANCEL_GRACE_MS,
): () => void {
  const exitNow = (signal: NodeJS.Signals) => {
    fail(cancelledLate(signal, cancelledPhase(), 'did not finish in time after it'));
    process.exit(exitCodeFor(signal));
  };
  const handler = (signal: NodeJS.Signals) => {
    if (cancelledBy() !== undefined) {
      cancelMeasuring(signal);
      return exitNow(signal);
    }
    const killed = cancelMeasuring(signal);
    log(
      `${signal} received while ${cancelledPhase()}: cancelled (${killed} running process group${killed === 1 ? '' : 's'} killed); reporting what was done so far`,
    );
    setTimeout(() => exitNow(signal), graceMs).unref();
  };
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
}

/** The one line for a run cancelled after measuring (saving, pushing history, posting): what stands and what not. */
export function cancelledLate(signal: string, phase: string, what = 'stopped'): string {
  return `cancelled by ${signal} while ${phase}; the run ${what}. A baseline saved before the signal is complete and valid, anything not yet saved or posted was not. Re-run the workflow to finish it.`;
}

/** The one-line reason for a run that a signal cancelled; `saved` when the baseline was saved before it. */
export function cancelledReason(
  signal: string,
  cellsMeasured: number,
  cellsPlanned: number,
  late?: { phase: string; saved: boolean },
): string {
  if (late) {
    const kept = late.saved
      ? 'the baseline was saved before it and is valid'
      : 'nothing was saved and the previous baseline is unchanged';
    return `cancelled by ${signal} while ${late.phase}, after all ${cellsPlanned} cells were measured; ${kept}. Re-run the workflow to finish it.`;
  }
  return `cancelled by ${signal} after ${cellsMeasured} of ${cellsPlanned} cells; nothing was saved and the previous baseline is unchanged. Re-run the workflow to measure everything.`;
}
