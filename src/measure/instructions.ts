// The `instructions` metric: user-space instructions counted in runs of their own after the timed loop,
// by perf stat, else cachegrind (docs/adrs/0009-instruction-counts.md).
import { spawnSync } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { classifyOutcome } from './classify-outcome.js';
import { findExecutable } from '../runtimes/find-executable.js';
import { runProcess } from './process.js';
import type { Command, InstructionSource } from '../model/measurement.js';

export type InstructionCounter = { source: InstructionSource; exe: string } | { source: 'none'; reason: string };

/** Runs per arm; valgrind makes each ~50× slower than a timed run. */
export const INSTRUCTION_RUNS = 3;
/** Time limit of a counted run, in timed-run timeouts: cachegrind is slow. */
export const CACHEGRIND_SLOWDOWN = 50;

export const SOURCE_LABEL: Record<InstructionSource, string> = {
  perf: 'perf stat (instructions:u hardware counter)',
  cachegrind: 'valgrind cachegrind (I refs)',
};

let detected: Promise<InstructionCounter> | undefined;

/** perf where its instructions counter works, else valgrind, else none (asked once per process). */
export function detectInstructionCounter(): Promise<InstructionCounter> {
  detected ??= probeCounter();
  return detected;
}

async function probeCounter(): Promise<InstructionCounter> {
  const perf = await findExecutable('perf');
  if (perf && perfCounts(perf)) return { source: 'perf', exe: perf };
  const valgrind = await findExecutable('valgrind');
  if (valgrind && spawnSync(valgrind, ['--version'], { timeout: 10_000 }).status === 0)
    return { source: 'cachegrind', exe: valgrind };
  const why = perf
    ? 'perf cannot read the instructions counter here (<not supported>: a VM or perf_event_paranoid)'
    : 'perf is not installed';
  return {
    source: 'none',
    reason: `${why}, and valgrind is not installed: install valgrind in an earlier step (e.g. \`sudo apt-get install -y valgrind\`)`,
  };
}

/** perf exits 0 even when the counter is `<not supported>`: read what it counted for `true`. */
function perfCounts(perf: string): boolean {
  const file = join(tmpdir(), `wasm-perf-gate-perf-probe-${process.pid}.csv`);
  try {
    const r = spawnSync(perf, ['stat', '-e', 'instructions:u', '-x', ',', '-o', file, '--', 'true'], {
      timeout: 10_000,
    });
    return r.status === 0 && parsePerfStat(readFileSync(file, 'utf8')) > 0;
  } catch {
    return false;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Pure: `cmd` under the counter, which writes its report to `file`. */
export function countingCommand(
  counter: { source: InstructionSource; exe: string },
  cmd: Command,
  file: string,
): Command {
  const wrap =
    counter.source === 'perf'
      ? [counter.exe, 'stat', '-e', 'instructions:u', '-x', ',', '-o', file, '--']
      : [
          counter.exe,
          '--tool=cachegrind',
          '--cache-sim=no',
          '--cachegrind-out-file=/dev/null',
          `--log-file=${file}`,
          '--',
        ];
  return { ...cmd, argv: [...wrap, ...cmd.argv] };
}

/** Pure: the count from `perf stat -x,` output (`<count>,<unit>,instructions:u,…`). */
export function parsePerfStat(text: string): number {
  for (const line of text.split('\n')) {
    const [value, , event] = line.split(',');
    if (!event?.startsWith('instructions')) continue;
    const n = Number(value);
    if (value !== undefined && /^\d+$/.test(value.trim()) && Number.isFinite(n)) return n;
    throw new Error(`perf could not count instructions (${value?.trim() || 'no value'})`);
  }
  throw new Error('perf stat wrote no instructions line');
}

/** Pure: the count from cachegrind's log (`==pid== I   refs:      1,234,567`). */
export function parseCachegrind(text: string): number {
  const m = /I\s+refs:\s+([\d,]+)/.exec(text);
  if (!m?.[1]) throw new Error('cachegrind wrote no "I refs" line');
  return Number(m[1].replaceAll(',', ''));
}

export interface CountedArm {
  arm: 'candidate' | 'baseline';
  command: Command;
  beforeRun?: () => void;
}

export type ArmCounts = { arm: CountedArm['arm']; counts: number[]; problem?: string };

/** `runs` counted runs per arm, arms alternating; an arm whose run fails keeps the counts it has and says why. */
export async function countArms(
  counter: { source: InstructionSource; exe: string },
  arms: readonly CountedArm[],
  opts: { runs: number; timeoutMs: number; scratch: string },
): Promise<ArmCounts[]> {
  const results: ArmCounts[] = arms.map((a) => ({ arm: a.arm, counts: [] }));
  const timeoutMs = counter.source === 'cachegrind' ? opts.timeoutMs * CACHEGRIND_SLOWDOWN : opts.timeoutMs;
  for (let i = 0; i < opts.runs; i++) {
    for (const [j, a] of arms.entries()) {
      const result = results[j]!;
      if (result.problem) continue;
      const file = `${opts.scratch}-${a.arm}-count-${i}.txt`;
      a.beforeRun?.();
      try {
        const outcome = await runProcess(countingCommand(counter, a.command, file), { timeoutMs });
        const failure = classifyOutcome(outcome, [], timeoutMs);
        if (failure) result.problem = `a counted run under ${counter.source} failed: ${failure.message}`;
        else
          result.counts.push(
            counter.source === 'perf'
              ? parsePerfStat(readFileSync(file, 'utf8'))
              : parseCachegrind(readFileSync(file, 'utf8')),
          );
      } catch (e) {
        result.problem = `reading the instruction count failed: ${e instanceof Error ? e.message : String(e)}`;
      } finally {
        rmSync(file, { force: true });
      }
    }
  }
  return results;
}
