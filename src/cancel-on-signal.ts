// SIGINT/SIGTERM (a cancelled workflow: the runner sends SIGINT, then SIGTERM ~7.5 s later, then SIGKILL)
// kill the measured process groups at once; the pipeline then reports what was measured and exits non-zero.
// If it cannot finish within the grace period, or a second signal arrives, the process exits at once.
import { constants } from 'node:os';
import { cancelMeasuring, cancelledBy } from './measure/cancellation.js';

/** Time the pipeline gets after the first signal to write the cancelled summary. */
export const CANCEL_GRACE_MS = 5000;

const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

export function exitCodeFor(signal: string): number {
  return 128 + (constants.signals[signal as NodeJS.Signals] ?? 15);
}

/** Installs the handlers; returns a function that removes them. */
export function cancelOnSignals(log: (message: string) => void, graceMs = CANCEL_GRACE_MS): () => void {
  const handler = (signal: NodeJS.Signals) => {
    if (cancelledBy() !== undefined) {
      cancelMeasuring(signal);
      process.exit(exitCodeFor(signal));
    }
    const killed = cancelMeasuring(signal);
    log(
      `${signal} received: measuring cancelled (${killed} running process group${killed === 1 ? '' : 's'} killed); reporting what was measured so far`,
    );
    setTimeout(() => process.exit(exitCodeFor(signal)), graceMs).unref();
  };
  for (const s of SIGNALS) process.on(s, handler);
  return () => {
    for (const s of SIGNALS) process.off(s, handler);
  };
}

/** The one-line reason for a run that a signal cancelled. */
export function cancelledReason(signal: string, cellsMeasured: number, cellsPlanned: number): string {
  return `cancelled by ${signal} after ${cellsMeasured} of ${cellsPlanned} cells; nothing was saved and the previous baseline is unchanged. Re-run the workflow to measure everything.`;
}
