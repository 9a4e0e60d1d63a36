// A measured process can leave its process group (setsid, setpgrp), and then killing the group misses it: a
// daemon a runtime starts would outlive the action. So every measured process carries a marker in its
// environment, which its descendants inherit whatever they do to their group or session; after each run a
// /proc scan kills what still carries that run's marker. Linux only (no /proc elsewhere: a no-op).
import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';

export const MARKER_VAR = 'WASM_PERF_GATE_PROCESS';

/** This action's marker prefix: a run's marker is `<prefix><n>`, so the final sweep can match them all. */
const prefix = `${randomUUID()}-`;
let runs = 0;
let killed = 0;

/** A fresh marker for one measured process (with its value, for the sweep after it). */
export function newMarker(): { env: Record<string, string>; value: string } {
  runs += 1;
  const value = `${prefix}${runs}`;
  return { env: { [MARKER_VAR]: value }, value };
}

/** Kills every process that still carries `value` (a run's marker) or, without it, any marker of this action. */
export function sweepEscapees(value?: string): number {
  const needle = Buffer.from(`${MARKER_VAR}=${value ?? prefix}${value === undefined ? '' : '\0'}`);
  const pids = new Set<number>();
  // A process may fork between the scan and the kill: scan again until nothing is found (a few passes at most).
  for (let pass = 0; pass < 10; pass++) {
    const found = marked(needle);
    if (found.length === 0) break;
    for (const pid of found) kill(pid);
    for (const pid of found) pids.add(pid);
  }
  killed += pids.size;
  return pids.size;
}

/** How many escaped processes the sweeps killed so far in this action. */
export function escapeesKilled(): number {
  return killed;
}

function marked(needle: Buffer): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      // environ is NUL-separated; a variable starts the file or follows a NUL
      const environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${entry}/environ`), Buffer.from('\0')]);
      if (environ.includes(Buffer.concat([Buffer.from('\0'), needle]))) found.push(Number(entry));
    } catch {
      // another user's process, or gone meanwhile
    }
  }
  return found;
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}
