// What a measured process (or a bisection build) leaves behind must not outlive its run: a daemon a runtime
// starts would skew every later run and outlive the action. Killing the process group misses what calls
// setsid or setpgrp, so each run is scoped (docs/adrs/0017-process-containment.md):
// - cgroup v2, where the action may create cgroups under its own (root, or a delegated cgroup): the action's
//   process joins a fresh cgroup just before the spawn, so the child is born inside it, and leaves it after
//   the child exits; whatever is still inside then is killed (cgroup.kill). Nothing can leave a cgroup it
//   cannot write to, so setsid, double forks and a wiped environment change nothing. No work runs inside the
//   timed window: the join happens before the clock starts, the leave after it stops.
// - otherwise, /proc: every process carrying the run's marker variable (inherited through setsid and
//   setpgrp) or still in the run's session (the child leads its own) is killed. A process that both starts a
//   session and wipes its environment (`setsid env -i …`) escapes this one.
// Linux only; elsewhere only the process group is killed.
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const MARKER_VAR = 'WASM_PERF_GATE_PROCESS';
/** `off` turns the cgroup scope off (the /proc sweep alone), for comparing the two. */
export const CGROUP_SWITCH_VAR = 'WASM_PERF_GATE_CGROUP';

/** This action's marker prefix: a run's marker is `<prefix><n>`, so the final sweep can match them all. */
const prefix = `${randomUUID()}-`;
let runs = 0;
let killed = 0;

/** One run's scope: the environment its process gets, and the sweep after it. */
export interface RunScope {
  env: Record<string, string>;
  /**
   * Kills what the run left running (call once its process has exited, or to end it); returns how many of them
   * were outside `group` (the run's own process group, killed silently as the run's own). Idempotent.
   */
  end(group?: number): number;
}

interface Cgroups {
  /** the action's own cgroup (where it returns after each run) */
  home: string;
  /** wasm-perf-gate-<pid>-<uuid>, holding one `run-<n>` per run */
  base: string;
  /** runs whose cgroup may still hold processes or exist */
  open: Set<string>;
}

let cgroups: Cgroups | null | undefined;

/** How runs are scoped on this machine: `cgroup`, `proc` (the sweep) or `none`. */
export function containmentKind(): 'cgroup' | 'proc' | 'none' {
  if (process.platform !== 'linux') return 'none';
  return cgroupSetup() ? 'cgroup' : 'proc';
}

/** A scope for one run; in cgroup mode the action joins the run's cgroup until `end` (spawn in between). */
export function openScope(): RunScope {
  runs += 1;
  const value = `${prefix}${runs}`;
  const since = ticksSinceBoot();
  const cg = cgroupSetup();
  let dir: string | undefined;
  if (cg) {
    try {
      dir = join(cg.base, `run-${runs}`);
      mkdirSync(dir);
      cg.open.add(dir);
      writeFileSync(join(dir, 'cgroup.procs'), String(process.pid));
    } catch {
      leave(cg);
      dir = undefined;
    }
  }
  let ended: number | undefined;
  return {
    env: { [MARKER_VAR]: value },
    end(group?: number): number {
      if (ended !== undefined) return ended;
      if (cg && dir) {
        leave(cg);
        ended = killCgroup(dir, group);
        tidy(cg);
      } else {
        ended = sweep(value, group, since);
      }
      killed += ended;
      return ended;
    },
  };
}

/** Kills what any run of this action left (every run cgroup, every marker): the end of measuring, a cancel. */
export function sweepEscapees(): number {
  const cg = cgroups;
  let n = 0;
  if (cg) {
    leave(cg);
    for (const dir of cg.open) n += killCgroup(dir);
    tidy(cg);
  }
  n += sweep(undefined);
  killed += n;
  return n;
}

/** How many escaped processes the sweeps killed so far in this action. */
export function escapeesKilled(): number {
  return killed;
}

// ---------- cgroup v2 ----------

function cgroupSetup(): Cgroups | null {
  if (cgroups !== undefined) return cgroups;
  cgroups = null;
  if (process.platform !== 'linux' || process.env[CGROUP_SWITCH_VAR] === 'off') return null;
  try {
    const mount = readFileSync('/proc/self/mountinfo', 'utf8')
      .split('\n')
      .map((l) => l.split(' '))
      .find((f) => f[f.indexOf('-') + 1] === 'cgroup2')?.[4];
    const own = /^0::(\/.*)$/m.exec(readFileSync('/proc/self/cgroup', 'utf8'))?.[1];
    if (mount === undefined || own === undefined || own.includes(' (deleted)')) return null;
    const home = join(mount, own);
    const base = join(home, `wasm-perf-gate-${process.pid}-${randomUUID().slice(0, 8)}`);
    mkdirSync(base);
    const setup: Cgroups = { home, base, open: new Set() };
    // Joining a child cgroup and coming back needs write access to both (and to their common ancestor).
    try {
      const probe = join(base, 'probe');
      mkdirSync(probe);
      setup.open.add(probe);
      writeFileSync(join(probe, 'cgroup.procs'), String(process.pid));
      writeFileSync(join(home, 'cgroup.procs'), String(process.pid));
      rmdirSync(probe);
      setup.open.delete(probe);
    } catch {
      leave(setup);
      for (const d of setup.open) tryRmdir(d);
      tryRmdir(base);
      return null;
    }
    process.once('exit', () => finalCleanup(setup));
    cgroups = setup;
  } catch {
    // no cgroup2 mount, or not ours to write: the /proc sweep it is
  }
  return cgroups;
}

function leave(cg: Cgroups): void {
  try {
    writeFileSync(join(cg.home, 'cgroup.procs'), String(process.pid));
  } catch {
    // already home, or home went away: nothing better to do
  }
}

function procsOf(dir: string): number[] {
  try {
    return readFileSync(join(dir, 'cgroup.procs'), 'utf8')
      .split('\n')
      .filter((l) => l !== '')
      .map(Number)
      .filter((pid) => pid !== process.pid);
  } catch {
    return [];
  }
}

/** Kills everything in `dir`; returns how many were outside process group `group`. */
function killCgroup(dir: string, group?: number): number {
  const left = procsOf(dir);
  if (left.length === 0) return 0;
  const outside = left.filter((pid) => group === undefined || statOf(pid)?.pgrp !== group).length;
  if (existsSync(join(dir, 'cgroup.kill'))) {
    try {
      writeFileSync(join(dir, 'cgroup.kill'), '1');
      return outside;
    } catch {
      // fall through to one by one
    }
  }
  // Before Linux 5.14: kill what is listed until nothing is (a fork between read and kill shows up next pass).
  for (let pass = 0; pass < 10; pass++) {
    const pids = procsOf(dir);
    if (pids.length === 0) break;
    for (const pid of pids) kill(pid);
  }
  return outside;
}

/** Removes run cgroups that have emptied (a killed process leaves its cgroup a moment after the kill). */
function tidy(cg: Cgroups): void {
  for (const dir of cg.open) if (tryRmdir(dir)) cg.open.delete(dir);
}

function tryRmdir(dir: string): boolean {
  try {
    rmdirSync(dir);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'ENOENT';
  }
}

/** On exit: nothing of ours left running, and no cgroup left behind (waiting briefly for killed processes). */
function finalCleanup(cg: Cgroups): void {
  leave(cg);
  for (const dir of cg.open) killCgroup(dir);
  const until = Date.now() + 1000;
  do {
    tidy(cg);
  } while (cg.open.size > 0 && Date.now() < until);
  tryRmdir(cg.base);
}

// ---------- /proc sweep ----------

/**
 * Kills every process carrying `value` (a run's marker; undefined: any of this action's) or in session `group`,
 * looking only at processes started at `since` (clock ticks after boot) or later: older ones cannot be the run's.
 */
function sweep(value: string | undefined, group?: number, since = 0): number {
  if (process.platform !== 'linux') return 0;
  const needle = Buffer.from(`\0${MARKER_VAR}=${value ?? prefix}${value === undefined ? '' : '\0'}`);
  const pids = new Set<number>();
  // A process may fork between the scan and the kill: scan again until nothing is found (a few passes at most).
  for (let pass = 0; pass < 10; pass++) {
    const found = scan(needle, group, since);
    if (found.length === 0) break;
    for (const pid of found) kill(pid);
    for (const pid of found) pids.add(pid);
  }
  return pids.size;
}

function scan(needle: Buffer, session: number | undefined, since: number): number[] {
  let entries: string[];
  try {
    entries = readdirSync('/proc');
  } catch {
    return [];
  }
  const found: number[] = [];
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    const pid = Number(entry);
    if (pid === process.pid) continue;
    const stat = statOf(pid);
    // zombies are dead already; the run's own group was killed with it (not an escapee)
    if (stat === undefined || stat.state === 'Z' || stat.started < since) continue;
    if (session !== undefined && stat.pgrp === session) continue;
    // The run's child leads its own session (spawned detached): its descendants stay in it unless they setsid.
    if (session !== undefined && stat.session === session) {
      found.push(pid);
      continue;
    }
    try {
      // environ is NUL-separated; a variable starts the file or follows a NUL
      const environ = Buffer.concat([Buffer.from('\0'), readFileSync(`/proc/${entry}/environ`), Buffer.from('\0')]);
      if (environ.includes(needle)) found.push(pid);
    } catch {
      // another user's process, or gone meanwhile
    }
  }
  return found;
}

function statOf(pid: number): { state: string; pgrp: number; session: number; started: number } | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // after the command name, which may hold spaces and parentheses: state(3) ppid pgrp session … starttime(22)
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: f[0]!, pgrp: Number(f[2]), session: Number(f[3]), started: Number(f[19]) };
  } catch {
    return undefined;
  }
}

function kill(pid: number): void {
  try {
    process.kill(pid, 'SIGKILL');
  } catch {
    // gone meanwhile
  }
}

/** Now, in the clock ticks of /proc/<pid>/stat's start time (USER_HZ, 100 on Linux), less one for rounding; 0 when unknown. */
function ticksSinceBoot(): number {
  if (process.platform !== 'linux') return 0;
  try {
    const seconds = Number(readFileSync('/proc/uptime', 'utf8').split(' ')[0]);
    return Number.isFinite(seconds) ? Math.max(0, Math.floor(seconds * 100) - 1) : 0;
  } catch {
    return 0;
  }
}
