// Every measured process leads its own process group (spawned detached), so a cancelled action must kill
// those groups itself: they would otherwise outlive it, re-parented to PID 1 on a self-hosted runner.
// Once cancelled, no new measured process starts; the runs in flight end as 'cancelled'.

import { sweepEscapees } from './escapees.js';

const liveGroups = new Set<number>();
let reason: string | undefined;
// What the run is doing, for a cancel's message: a signal can come in any phase, not only while measuring.
let phase = 'measuring';
let phaseWhenCancelled: string | undefined;

/** Kills a process group (and, if that fails, the process), ignoring ones already gone. */
export function killGroup(pid: number | undefined): void {
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

export function trackGroup(pid: number): void {
  liveGroups.add(pid);
}

export function untrackGroup(pid: number): void {
  liveGroups.delete(pid);
}

/** Stops measuring: kills every live measured process group; later runs do not start. Returns how many were killed. */
export function cancelMeasuring(why: string): number {
  reason ??= why;
  phaseWhenCancelled ??= phase;
  const killed = liveGroups.size;
  for (const pid of liveGroups) killGroup(pid);
  liveGroups.clear();
  sweepEscapees();
  return killed;
}

/** Why measuring was cancelled (e.g. "SIGTERM"), or undefined. */
export function cancelledBy(): string | undefined {
  return reason;
}

/** Names the phase the run is in now (`saving the baseline`, `posting the PR comment`, …). */
export function enterPhase(name: string): void {
  phase = name;
}

/** The phase the first signal arrived in (or the current one, when none has). */
export function cancelledPhase(): string {
  return phaseWhenCancelled ?? phase;
}
