// Runs the `build` input in a probe's worktree: `bash -c <build>` (the workflow's owner wrote it, not a PR;
// bisect-mode.ts refuses other events), its own process group so a timeout or a cancel ends all of it,
// credentials left out of its environment, the tail of its output kept for the report.
import { spawn } from 'node:child_process';
import { killGroup, trackGroup, untrackGroup } from '../measure/cancellation.js';

export interface BuildResult {
  ok: boolean;
  ms: number;
  /** why it failed, in one line */
  reason?: string;
}

const TAIL_CHARS = 2000;
// The measured processes' rule (measure/scrub-env.ts) is an allowlist; a build needs its toolchain's
// variables (CC, EMSDK, …), so here only what looks like a credential or the runner's plumbing is dropped.
const DROPPED = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE|AUTH|SESSION|COOKIE|^ACTIONS_|^INPUT_/i;

export function buildEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined && !DROPPED.test(e[0])),
  );
}

export function runBuild(command: string, cwd: string, timeoutMs: number): Promise<BuildResult> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], {
      cwd,
      env: buildEnv(process.env),
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    if (child.pid !== undefined) trackGroup(child.pid);
    let tail = '';
    let timedOut = false;
    const keep = (d: Buffer) => (tail = (tail + d.toString()).slice(-TAIL_CHARS));
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    const timer = setTimeout(() => ((timedOut = true), killGroup(child.pid)), timeoutMs);
    const done = (r: Omit<BuildResult, 'ms'>) => {
      clearTimeout(timer);
      if (child.pid !== undefined) untrackGroup(child.pid);
      resolve({ ...r, ms: Date.now() - started });
    };
    child.on('error', (e) => done({ ok: false, reason: `cannot start bash (${e.message})` }));
    child.on('close', (code, signal) => {
      const last = tail.trim().split('\n').slice(-3).join(' ').slice(0, 300);
      if (timedOut) done({ ok: false, reason: `timed out after ${Math.round(timeoutMs / 1000)} s` });
      else if (code === 0) done({ ok: true });
      else done({ ok: false, reason: `exit ${code ?? signal}${last ? `: ${last}` : ''}` });
    });
  });
}
