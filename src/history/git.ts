// Runs git as a process: argv arrays only (no shell), a timeout per command, output capped, the token only
// in the environment (an http.extraheader through GIT_CONFIG_*, as actions/checkout does), never in argv or a file.
import { spawn } from 'node:child_process';
import { killGroup, trackGroup, untrackGroup } from '../process/cancellation.js';
import { timeLimit } from '../process/time-limit.js';

export interface GitOptions {
  /** the repository (`git -C`) */
  cwd: string;
  /** workflow token; sent as a basic AUTHORIZATION header to `serverUrl` only */
  token?: string;
  serverUrl?: string;
  timeoutMs: number;
  /** stdout beyond this many bytes fails the command (untrusted blobs are capped before they are read) */
  maxBytes?: number;
}

export interface GitResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly result: GitResult,
  ) {
    super(`git ${args[0]} failed (${result.code}): ${lastLines(result.stderr || result.stdout)}`);
    this.name = 'GitError';
  }
}

const BOT = { name: 'github-actions[bot]', email: '41898282+github-actions[bot]@users.noreply.github.com' };

/** The environment git runs with: no prompts, the bot as author, the auth header when there is a token. */
export function gitEnv(o: Pick<GitOptions, 'token' | 'serverUrl'>, base = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...inherited(base),
    GIT_TERMINAL_PROMPT: '0',
    GIT_AUTHOR_NAME: BOT.name,
    GIT_AUTHOR_EMAIL: BOT.email,
    GIT_COMMITTER_NAME: BOT.name,
    GIT_COMMITTER_EMAIL: BOT.email,
  };
  if (!o.token) return env;
  const basic = Buffer.from(`x-access-token:${o.token}`).toString('base64');
  // Scoped to the server, so a redirect to another host never carries the token.
  const scope = o.serverUrl && /^https?:/i.test(o.serverUrl) ? `http.${o.serverUrl.replace(/\/*$/, '/')}.` : 'http.';
  return {
    ...env,
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: `${scope}extraheader`,
    GIT_CONFIG_VALUE_0: `AUTHORIZATION: basic ${basic}`,
  };
}

/** Runs `git <args>`; resolves with the exit code (callers decide what a failure means), rejects on timeout. */
export function git(args: readonly string[], o: GitOptions, input?: string): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    // Its own process group: a timeout or a cancel must also end git's helpers (git-remote-http), which hold the pipes.
    const child = spawn('git', ['-C', o.cwd, ...args], {
      env: gitEnv(o),
      stdio: 'pipe',
      detached: process.platform !== 'win32',
      windowsHide: true,
    });
    if (child.pid !== undefined) trackGroup(child.pid);
    const out: Buffer[] = [];
    let size = 0;
    let stderr = '';
    let failure: Error | undefined;
    const stop = (e: Error) => {
      failure ??= e;
      killGroup(child.pid);
    };
    const limit = timeLimit(o.timeoutMs, () => new Error(`git ${args[0]} timed out after ${o.timeoutMs} ms`));
    limit.signal.addEventListener('abort', () => stop(limit.signal.reason as Error), { once: true });
    child.stdout.on('data', (d: Buffer) => {
      size += d.length;
      if (o.maxBytes !== undefined && size > o.maxBytes)
        stop(new Error(`git ${args[0]}: more than ${o.maxBytes} bytes`));
      else out.push(d);
    });
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-8192)));
    child.on('error', (e) => (limit.clear(), reject(e))); // e.g. no git on PATH
    child.on('close', (code) => {
      limit.clear();
      if (child.pid !== undefined) untrackGroup(child.pid);
      if (failure) reject(failure);
      else resolve({ code: code ?? -1, stdout: Buffer.concat(out).toString('utf8'), stderr });
    });
    child.stdin.on('error', () => undefined); // a git that exits early closes its stdin: the exit code tells
    child.stdin.end(input ?? '');
  });
}

/** Like git(), but a non-zero exit is a GitError. */
export async function gitOk(args: readonly string[], o: GitOptions, input?: string): Promise<string> {
  const r = await git(args, o, input);
  if (r.code !== 0) throw new GitError(args, r);
  return r.stdout;
}

/** The caller's environment minus what would point git at another repository or config. */
function inherited(base: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const steering =
    /^GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|CONFIG_(COUNT|KEY_\d+|VALUE_\d+|PARAMETERS))$/;
  return Object.fromEntries(Object.entries(base).filter(([k]) => !steering.test(k)));
}

function lastLines(text: string): string {
  return text.trim().split('\n').slice(-2).join(' ').slice(0, 300);
}
