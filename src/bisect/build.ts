// Runs the `build` input in a probe's worktree: `bash -c <build>` (the workflow's owner wrote it, not a PR;
// bisect-mode.ts refuses other events), with an allow-listed environment (build-env.ts), in its own process
// group and run scope (process/escapees.ts), the tail of its output kept for the report. A build is over when
// bash exits or `build-timeout` passes, whatever it left behind: then everything it started is killed, and
// the result does not wait for its output pipes to close (a background process may hold them).
import { spawn } from 'node:child_process';
import { killGroup, trackGroup, untrackGroup } from '../process/cancellation.js';
import { openScope } from '../process/escapees.js';
import { buildEnv } from './build-env.js';

export interface BuildResult {
  ok: boolean;
  ms: number;
  /** why it failed, in one line */
  reason?: string;
}

const TAIL_CHARS = 2000;
/** How long output still in flight may drain after bash exits, before the pipes are cut. */
const DRAIN_MS = 1000;

export function runBuild(
  command: string,
  cwd: string,
  timeoutMs: number,
  extraEnv: readonly string[] = [],
): Promise<BuildResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const scope = openScope();
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: { ...buildEnv(process.env, extraEnv), ...scope.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    if (child.pid !== undefined) trackGroup(child.pid);
    let tail = '';
    let timedOut = false;
    let settled = false;
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-TAIL_CHARS));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const endAll = () => {
      killGroup(child.pid);
      scope.end(child.pid);
    };
    const timer = setTimeout(() => ((timedOut = true), endAll()), timeoutMs);
    let drain: NodeJS.Timeout | undefined;
    const done = (r: Omit<BuildResult, 'ms'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(drain);
      endAll();
      if (child.pid !== undefined) untrackGroup(child.pid);
      child.stdout.destroy();
      child.stderr.destroy();
      resolve({ ...r, ms: Date.now() - started });
    };
    const finish = (code: number | null, signal: NodeJS.Signals | null) => {
      const last = tail.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      if (timedOut) done({ ok: false, reason: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      else if (code === 0) done({ ok: true });
      else done({ ok: false, reason: `exit ${code ?? signal}${last ? `: ${last}` : ''}` });
    };
    child.on('error', (e) => done({ ok: false, reason: `cannot start bash (${e.message})` }));
    child.on('exit', (code, signal) => {
      // What bash left behind dies now; its output pipes then close, or are cut after DRAIN_MS.
      endAll();
      drain = setTimeout(() => finish(code, signal), DRAIN_MS);
    });
    child.on('close', (code, signal) => finish(code, signal));
  });
}
