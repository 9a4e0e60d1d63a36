// Duet benchmarking (Bulej et al., ICPE 2020): both arms run at the same time, each pinned to its own core,
// so interference from the machine hits both at once. Needs taskset and two usable cores.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { findExecutable } from '../runtimes/find-executable.js';
import type { Command } from '../model/measurement.js';

export type DuetSupport =
  { available: true; taskset: string; cpus: [number, number] } | { available: false; reason: string };

/** CPU ids of a Linux cpu list such as `0-3,8,10-11`. Pure. */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.trim().split(',')) {
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim());
    if (!m) continue;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    for (let c = from; c <= to; c++) cpus.push(c);
  }
  return cpus;
}

/** CPUs this process may run on (respects cgroup / affinity limits on Linux). */
function allowedCpus(): number[] {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const line = /^Cpus_allowed_list:\s*(.+)$/m.exec(status);
    if (line?.[1]) return parseCpuList(line[1]);
  } catch {
    // not Linux: fall through
  }
  return Array.from({ length: availableParallelism() }, (_, i) => i);
}

export async function detectDuet(): Promise<DuetSupport> {
  const taskset = await findExecutable('taskset');
  if (taskset === undefined) return { available: false, reason: 'taskset (util-linux) is not on PATH' };
  const [a, b] = allowedCpus();
  if (a === undefined || b === undefined) return { available: false, reason: 'fewer than 2 CPU cores are available' };
  return { available: true, taskset, cpus: [a, b] };
}

/** The command prefixed with `taskset -c CPU` (taskset execs the program, so the pid and timing are the program's). */
export function pinnedCommand(cmd: Command, taskset: string, cpu: number): Command {
  return { ...cmd, argv: [taskset, '-c', String(cpu), ...cmd.argv] };
}
