// `engine: hyperfine`: drives the real hyperfine and maps its JSON export onto our Sample shape.
// hyperfine cannot interleave, pin, stop adaptively or read per-run extras: the arms run one after another,
// so the cell is `sequential` and compare/ judges it as two independent samples.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InputError } from '../model/input-error.js';
import type { MeasureOptions } from '../model/plan.js';
import { classifyOutcome, WRONG_OUTPUT_FIX } from './classify-outcome.js';
import { EXPECTED_OUTPUT_LIMIT_BYTES } from './expected-output.js';
import type { ArmInput, CellRun, MeasureCellInput } from './engine.js';
import { findExecutable } from '../runtimes/find-executable.js';
import { runProcess } from './process.js';
import { shellWord } from './shell-word.js';
import type { ArmResult, Command, RunFailure } from '../model/measurement.js';

/**
 * One command line for `hyperfine -N`, which splits it with the shell-words crate (POSIX quoting rules):
 * plain words stay bare, anything else is single-quoted with `'` written as `'\''`. Pure.
 */
export function hyperfineCommandLine(argv: readonly string[]): string {
  return argv
    .map((arg) => {
      if (arg.includes('\0') || !isWellFormed(arg)) {
        throw new InputError(
          'engine',
          `the argument ${JSON.stringify(arg)} cannot be passed through hyperfine's command line (NUL byte or invalid UTF-16)`,
          'Remove it from the benchmark args/env, or use `engine: builtin`, which passes argv arrays unchanged',
        );
      }
      return shellWord(arg);
    })
    .join(' ');
}

function isWellFormed(s: string): boolean {
  return !/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(s);
}

/** What the export holds per timed run. Pure. */
export interface HyperfineRuns {
  wallMs: number[];
  /** null when the run was ended by a signal */
  exitCodes: (number | null)[];
}

export function parseHyperfineJson(json: string): HyperfineRuns {
  const doc = JSON.parse(json) as { results?: Array<{ times?: unknown; exit_codes?: unknown }> };
  const result = doc.results?.[0];
  if (!result || !Array.isArray(result.times)) throw new Error('hyperfine export has no results[0].times');
  const wallMs = result.times.map((t) => Number(t) * 1000);
  const codes = Array.isArray(result.exit_codes) ? result.exit_codes : wallMs.map(() => 0);
  return { wallMs, exitCodes: codes.map((c) => (typeof c === 'number' ? c : null)) };
}

async function requireHyperfine(path: string | undefined): Promise<string> {
  const exe = await findExecutable(path ?? 'hyperfine');
  if (exe === undefined) {
    throw new InputError(
      'engine',
      '`hyperfine` was requested but is not on PATH',
      'Install it in an earlier step (e.g. `sudo apt-get install hyperfine` or a release archive from github.com/sharkdp/hyperfine), or use `engine: builtin`',
    );
  }
  return exe;
}

/** `--input FILE` (feeding stdin) arrived after hyperfine 1.15; ask the installed one. */
function supportsInput(exe: string): boolean {
  const help = spawnSync(exe, ['--help'], { encoding: 'utf8' });
  return /--input\b/.test(help.stdout ?? '');
}

function hyperfineArgv(
  exe: string,
  options: MeasureOptions,
  jsonFile: string,
  cmd: Command,
  inputFile?: string,
): string[] {
  const maxRuns = Math.max(options.minRuns, options.maxRuns);
  // Enough runs for the unpaired verdict to be able to reach significance across the run (within max-runs).
  const minRuns = Math.min(maxRuns, Math.max(options.minRuns, options.significanceRuns ?? 0));
  return [
    exe,
    '-N',
    '--style',
    'none',
    '--ignore-failure',
    '--warmup',
    String(options.warmup),
    '--min-runs',
    String(minRuns),
    '--max-runs',
    String(maxRuns),
    '--export-json',
    jsonFile,
    ...(inputFile === undefined ? [] : ['--input', inputFile]),
    '--',
    hyperfineCommandLine(cmd.argv),
  ];
}

/** hyperfine discards the program's output; re-run the failing command once to show why it failed. */
async function explainFailure(
  cmd: Command,
  exitCode: number | null,
  trapExitCodes: number[],
  timeoutMs: number,
  stderrPatterns?: MeasureCellInput['stderrPatterns'],
): Promise<RunFailure> {
  const probe = await runProcess(cmd, { timeoutMs });
  const outcome = {
    ...probe,
    exitCode,
    timedOut: false,
    ...(exitCode === null ? { signal: probe.signal ?? 'a signal' } : {}),
  };
  return (
    classifyOutcome(outcome, trapExitCodes, timeoutMs, stderrPatterns) ?? {
      kind: 'exit',
      message: `the program failed under hyperfine (exit code ${exitCode})`,
      stdoutHead: probe.stdoutHead,
      stderrTail: probe.stderrTail,
    }
  );
}

async function measureArm(
  exe: string,
  arm: ArmInput,
  input: MeasureCellInput,
  dir: string,
  canFeedStdin: () => boolean,
  startMs: number,
): Promise<ArmResult> {
  const { options, trapExitCodes } = input;
  const cmd = arm.command;
  const jsonFile = join(dir, `${arm.arm}.json`);
  const inputFile = cmd.stdinFile;
  if (inputFile !== undefined) {
    if (!canFeedStdin()) {
      throw new InputError(
        'engine',
        "this hyperfine cannot feed the benchmark's stdin (it has no --input option)",
        'Install hyperfine ≥ 1.17, or use `engine: builtin`',
      );
    }
  }
  const base = { arm: arm.arm, samples: [], warmups: 0 } satisfies ArmResult;
  // hyperfine discards output: a checked benchmark's output is checked on one run of its own first.
  if (arm.checkOutput) {
    const probe = await runProcess(cmd, { timeoutMs: options.timeoutMs, fullOutputBytes: EXPECTED_OUTPUT_LIMIT_BYTES });
    const failed = classifyOutcome(probe, trapExitCodes, options.timeoutMs, input.stderrPatterns);
    const wrong = failed ? undefined : arm.checkOutput(probe);
    if (failed || wrong)
      return {
        ...base,
        failure: failed ?? {
          kind: 'wrong-output',
          message: `wrong output: ${wrong}. ${WRONG_OUTPUT_FIX}.`,
          stdoutHead: probe.stdoutHead,
          stderrTail: probe.stderrTail,
        },
      };
  }
  const budget = options.timeoutMs * (options.warmup + Math.max(options.minRuns, options.maxRuns));
  const run = await runProcess(
    { argv: hyperfineArgv(exe, options, jsonFile, cmd, inputFile), env: cmd.env, ...(cmd.cwd ? { cwd: cmd.cwd } : {}) },
    { timeoutMs: budget },
  );
  if (run.timedOut) {
    return {
      ...base,
      failure: {
        kind: 'timeout',
        message: `hyperfine did not finish within ${budget} ms and was killed`,
        stdoutHead: run.stdoutHead,
        stderrTail: run.stderrTail,
      },
    };
  }
  let parsed: HyperfineRuns;
  try {
    parsed = parseHyperfineJson(readFileSync(jsonFile, 'utf8'));
  } catch {
    const message = `hyperfine failed (exit code ${run.exitCode ?? run.signal}): ${run.spawnError ?? run.stderrTail.trim()}`;
    return { ...base, failure: { kind: 'spawn', message, stdoutHead: run.stdoutHead, stderrTail: run.stderrTail } };
  }
  const firstBad = parsed.exitCodes.findIndex((c) => c !== 0);
  const good = firstBad === -1 ? parsed.wallMs : parsed.wallMs.slice(0, firstBad);
  const samples = good.map((wall, round) => ({ values: { wall }, exitCode: 0, round }));
  const elapsedMs = Number(process.hrtime.bigint()) / 1e6 - startMs;
  for (const s of samples)
    input.onProgress?.({ arm: arm.arm, phase: 'run', index: s.round, wallMs: s.values.wall, failed: false, elapsedMs });
  if (firstBad === -1) return { ...base, samples, warmups: options.warmup };
  const exitCode = parsed.exitCodes[firstBad] ?? null;
  const failure = await explainFailure(cmd, exitCode, trapExitCodes, options.timeoutMs, input.stderrPatterns);
  return { ...base, samples, warmups: options.warmup, failure };
}

/** Measures one benchmark × runtime by running hyperfine once per arm. `hyperfinePath` overrides the PATH lookup. */
export async function measureCellWithHyperfine(input: MeasureCellInput & { hyperfinePath?: string }): Promise<CellRun> {
  const exe = await requireHyperfine(input.hyperfinePath);
  const start = process.hrtime.bigint();
  const dir = mkdtempSync(join(tmpdir(), 'wasm-perf-gate-hyperfine-'));
  let feeds: boolean | undefined;
  const canFeedStdin = () => (feeds ??= supportsInput(exe));
  const notes = [
    'measured by hyperfine: the arms ran one after another (sequential: no interleaving, no adaptive stopping)',
  ];
  if (input.options.schedule === 'duet') notes.push('duet schedule is not available with engine: hyperfine');
  try {
    const results: ArmResult[] = [];
    for (const arm of input.arms) {
      if (results.some((r) => r.arm === 'candidate' && r.failure)) break;
      results.push(await measureArm(exe, arm, input, dir, canFeedStdin, Number(start) / 1e6));
    }
    const candidate = results.find((r) => r.arm === 'candidate');
    if (!candidate) throw new Error('measureCellWithHyperfine: no candidate arm');
    const baseline = results.find((r) => r.arm === 'baseline');
    return {
      candidate,
      ...(baseline ? { baseline } : {}),
      schedule: baseline ? 'sequential' : 'single',
      elapsedMs: Number(process.hrtime.bigint() - start) / 1e6,
      stopReason: candidate.failure
        ? 'failure'
        : candidate.samples.length >= input.options.maxRuns
          ? 'max-runs'
          : 'minimum',
      notes,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
