// The repository side of a bisection: commit names checked as commits of this repository, the range good..bad,
// and a detached worktree per probed commit in a temp dir (never the user's checkout, which keeps its HEAD,
// index and files). Worktrees are removed in `close()`, and synchronously on exit as a backstop for a cancel.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, rmSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { InputError } from '../model/input-error.js';
import { git, gitOk, type GitOptions } from '../history/git.js';

const GIT_TIMEOUT_MS = 60_000;

export interface CommitInfo {
  sha: string;
  subject: string;
  author: string;
}

/** `x` as a full commit SHA of the repository at `cwd`; an InputError naming `input` when it is not one. */
export async function resolveCommit(cwd: string, x: string, input: string): Promise<string> {
  const fix = `Give a commit of this repository (a SHA, tag or branch) and check it out with fetch-depth: 0.`;
  // A name starting with '-' would be read as an option; a commit name never needs one.
  if (!x || x.startsWith('-') || /[\s\0]/.test(x)) throw new InputError(input, `'${x}' is not a commit name`, fix);
  const r = await git(['rev-parse', '--verify', '--quiet', '--end-of-options', `${x}^{commit}`], opts(cwd));
  const sha = r.stdout.trim();
  if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) {
    const shallow = (await isShallow(cwd)) ? ' (this checkout is a shallow clone: older commits are missing)' : '';
    throw new InputError(input, `'${x}' is not a commit of this repository${shallow}`, fix);
  }
  return sha;
}

/** good, then every commit after it up to bad (oldest first), along the ancestry path. */
export async function commitRange(cwd: string, good: string, bad: string): Promise<string[]> {
  const ancestor = await git(['merge-base', '--is-ancestor', good, bad], opts(cwd));
  // In a shallow clone the history between the ends is cut off, so no ancestry can be seen: say that, not "not an ancestor".
  if (ancestor.code !== 0 && good !== bad && (await isShallow(cwd))) {
    throw new InputError(
      'bisect-good',
      `${good.slice(0, 12)} cannot be placed before ${bad.slice(0, 12)} (bisect-bad): this checkout is a shallow clone, so the commits between them are missing`,
      'Check out the full history: `actions/checkout` with `fetch-depth: 0` (or `git fetch --unshallow`).',
    );
  }
  if (ancestor.code !== 0 || good === bad) {
    throw new InputError(
      'bisect-good',
      `${good.slice(0, 12)} is not an earlier commit of ${bad.slice(0, 12)} (bisect-bad)`,
      'Give bisect-good as an ancestor of bisect-bad: the last commit known good, then the first known bad.',
    );
  }
  const out = await gitOk(['rev-list', '--reverse', '--topo-order', '--ancestry-path', `${good}..${bad}`], opts(cwd));
  return [good, ...out.split('\n').filter(Boolean)];
}

async function isShallow(cwd: string): Promise<boolean> {
  const r = await git(['rev-parse', '--is-shallow-repository'], opts(cwd));
  return r.code === 0 && r.stdout.trim() === 'true';
}

/** Subject and author of a commit (untrusted text: escape before display). */
export async function commitInfo(cwd: string, sha: string): Promise<CommitInfo> {
  const out = await gitOk(['show', '-s', '--format=%H%x00%s%x00%an', sha], { ...opts(cwd), maxBytes: 64 * 1024 });
  const [full, subject, author] = out.replace(/\n$/, '').split('\0');
  return { sha: full ?? sha, subject: (subject ?? '').slice(0, 300), author: (author ?? '').slice(0, 100) };
}

/** Detached worktrees of one repository under one temp dir. */
export interface Worktrees {
  /** a worktree of `sha` (created on first use) */
  add(sha: string): Promise<string>;
  remove(sha: string): Promise<void>;
  /** removes every worktree still there and the temp dir */
  close(): Promise<void>;
}

export function worktrees(cwd: string, tempRoot: string): Worktrees {
  mkdirSync(tempRoot, { recursive: true });
  const root = mkdtempSync(join(tempRoot, 'bisect-'));
  const live = new Map<string, string>();
  // process.exit() (the cancel grace period) skips finally blocks; an exit handler still runs, synchronously.
  const onExit = () => {
    for (const dir of live.values()) removeSync(cwd, dir);
    rmSync(root, { recursive: true, force: true });
  };
  process.on('exit', onExit);
  return {
    async add(sha) {
      const known = live.get(sha);
      if (known) return known;
      const dir = join(root, sha.slice(0, 12));
      live.set(sha, dir);
      await gitOk(['worktree', 'add', '--detach', '--quiet', dir, sha], opts(cwd));
      return dir;
    },
    async remove(sha) {
      const dir = live.get(sha);
      if (!dir) return;
      live.delete(sha);
      await git(['worktree', 'remove', '--force', '--force', dir], opts(cwd)).catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    },
    async close() {
      for (const sha of [...live.keys()]) await this.remove(sha);
      await git(['worktree', 'prune'], opts(cwd)).catch(() => undefined);
      rmSync(root, { recursive: true, force: true });
      process.off('exit', onExit);
    },
  };
}

/**
 * Worktrees an earlier bisection of this repository left under `tempRoot` (a SIGKILL skips every cleanup, and a
 * self-hosted runner may keep its temp dir): removed with their registrations before this one starts. A runner
 * runs one job at a time, so a `bisect-*` worktree there is never a live one.
 */
export async function pruneStaleWorktrees(cwd: string, tempRoot: string): Promise<string[]> {
  const listed = await git(['worktree', 'list', '--porcelain'], opts(cwd));
  if (listed.code !== 0) return [];
  const root = (existsSync(tempRoot) ? realpathSync(tempRoot) : resolve(tempRoot)) + sep;
  const stale = listed.stdout
    .split('\n')
    .filter((l) => l.startsWith('worktree '))
    .map((l) => l.slice('worktree '.length))
    .filter((dir) => dir.startsWith(root) && /^bisect-/.test(dir.slice(root.length)));
  for (const dir of stale) {
    await git(['worktree', 'remove', '--force', '--force', dir], opts(cwd)).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
  await git(['worktree', 'prune'], opts(cwd)).catch(() => undefined);
  // and their folders (a worktree's parent), which nothing else removes
  if (existsSync(tempRoot)) {
    for (const name of readdirSync(tempRoot).filter((n) => /^bisect-/.test(n)))
      rmSync(join(tempRoot, name), { recursive: true, force: true });
  }
  return stale;
}

function removeSync(cwd: string, dir: string): void {
  try {
    execFileSync('git', ['-C', cwd, 'worktree', 'remove', '--force', '--force', dir], { stdio: 'ignore' });
  } catch {
    // already gone, or git cannot: prune below
  }
  rmSync(dir, { recursive: true, force: true });
  try {
    execFileSync('git', ['-C', cwd, 'worktree', 'prune'], { stdio: 'ignore' });
  } catch {
    // nothing more to do on exit
  }
}

function opts(cwd: string): GitOptions {
  return { cwd, timeoutMs: GIT_TIMEOUT_MS };
}
