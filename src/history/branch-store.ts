// `history: branch:NAME`: main's history as a JSON file on a git branch, so it outlives the Actions cache's eviction.
// The thin git shell around branch-file.ts and merge.ts: fetch, read, commit on top, push — never with force.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { oneLine } from '../baseline/one-line.js';
import { boundedHistoryFileText, HISTORY_FILE_MAX_BYTES, parseHistoryFile } from './branch-file.js';
import { git, gitOk, GitError, type GitOptions } from './git.js';
import { mergeHistories } from './merge.js';
import type { CellHistory } from '../model/history.js';

export interface HistoryBranchOptions {
  branch: string;
  /** the file on the branch (branch-file.ts historyFileName) */
  file: string;
  /** written into the file: whose history it is */
  key: string;
  platform: string;
  /** `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git` */
  remote: string;
  serverUrl?: string;
  token?: string;
  /** scratch space: a throwaway repository is made under it */
  tempDir: string;
  /** the refresh's commit, for the commit message */
  commit?: string;
  timeoutMs?: number;
  /** pushes tried before giving up with a warning (default 5) */
  attempts?: number;
  /** test seam: runs before every push (e.g. another clone pushing first) */
  beforePush?: (attempt: number) => Promise<void>;
  now?: () => Date;
}

export interface HistoryStore {
  /** the branch's history, or none with a warning (missing token, unreadable branch, bad file) */
  read(): Promise<{ history?: CellHistory[]; warning?: string; note?: string }>;
  /** commits `history` on the branch and pushes it; after a read that reached the branch, else nothing */
  write(history: readonly CellHistory[]): Promise<{ warning?: string; note?: string }>;
  /** a reader that will not write (mode: bisect): removes the throwaway repository the read made */
  discard(): void;
}

const DEFAULT_TIMEOUT_MS = 60_000;
const DEFAULT_ATTEMPTS = 5;

export function historyBranchStore(o: HistoryBranchOptions): HistoryStore {
  // Set only once the branch was read (or found absent): a write never replaces a file it could not read.
  let repo: { git: GitOptions; tip?: string } | undefined;
  return {
    async read() {
      if (!o.token) return { warning: noToken(o.branch) };
      let opts: GitOptions | undefined;
      try {
        opts = scratchRepo(o);
        await gitOk(['init', '-q'], opts);
        await gitOk(['remote', 'add', 'origin', o.remote], opts);
        const tip = await fetchTip(opts, o.branch);
        const theirs = tip ? await readHistory(opts, tip, o) : {};
        repo = { git: opts, tip };
        if (!tip) return { note: `history: branch ${o.branch} does not exist yet; this refresh creates it` };
        if (!theirs.problem) return theirs;
        return { warning: `history: ${theirs.problem}; treated as absent (this refresh rewrites it)` };
      } catch (e) {
        if (opts) rmSync(opts.cwd, { recursive: true, force: true });
        return { warning: failure('read', e, o.branch) };
      }
    },
    async write(history) {
      if (!repo) return {};
      try {
        return await pushWithRetries(repo.git, repo.tip, history, o);
      } catch (e) {
        return { warning: failure('push to', e, o.branch) };
      } finally {
        rmSync(repo.git.cwd, { recursive: true, force: true });
      }
    },
    discard() {
      if (repo) rmSync(repo.git.cwd, { recursive: true, force: true });
      repo = undefined;
    },
  };
}

/** A fresh directory for a throwaway repository under the run's temp dir, and the options git runs it with. */
function scratchRepo(o: HistoryBranchOptions): GitOptions {
  mkdirSync(o.tempDir, { recursive: true });
  const cwd = mkdtempSync(join(o.tempDir, 'history-branch-'));
  return { cwd, token: o.token, serverUrl: o.serverUrl, timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS };
}

/** Commit on the tip, push; when someone pushed first: fetch, merge their file into ours, commit on theirs, again. */
async function pushWithRetries(
  opts: GitOptions,
  tip: string | undefined,
  ours: readonly CellHistory[],
  o: HistoryBranchOptions,
): Promise<{ warning?: string; note?: string }> {
  const attempts = o.attempts ?? DEFAULT_ATTEMPTS;
  let parent = tip;
  let content = [...ours];
  for (let attempt = 1; attempt <= attempts; attempt++) {
    const { commit, thinned } = await commitFile(opts, parent, content, o);
    await o.beforePush?.(attempt);
    if (await push(opts, commit, o.branch)) {
      const note = `history: pushed ${o.file} to branch ${o.branch} (${commit.slice(0, 12)}, attempt ${attempt})`;
      return thinned ? { note, warning: thinned } : { note };
    }
    parent = await fetchTip(opts, o.branch);
    const theirs = parent ? await readHistory(opts, parent, o) : {};
    content = mergeHistories(ours, theirs.history ?? []);
  }
  return {
    warning: `history: branch ${o.branch} moved under every one of ${attempts} pushes (other jobs pushing at once); this refresh's points are in the baseline and the next refresh carries them to the branch (or raise history-push-attempts)`,
  };
}

/** The remote branch's commit, fetched (shallow), or undefined when the branch does not exist. */
async function fetchTip(opts: GitOptions, branch: string): Promise<string | undefined> {
  const ref = `refs/heads/${branch}`;
  const listed = await gitOk(['ls-remote', '--heads', 'origin', ref], opts);
  if (!listed.split('\n').some((line) => line.split('\t')[1] === ref)) return undefined;
  await gitOk(['fetch', '--no-tags', '--depth=1', 'origin', `+${ref}:refs/remotes/origin/${branch}`], opts);
  return (await gitOk(['rev-parse', '--verify', `refs/remotes/origin/${branch}^{commit}`], opts)).trim();
}

/** The file at `tip`: size-capped before it is read, then validated; absent is no history, not a problem. */
async function readHistory(
  opts: GitOptions,
  tip: string,
  o: Pick<HistoryBranchOptions, 'file' | 'branch'>,
): Promise<{ history?: CellHistory[]; problem?: string }> {
  const where = `${o.file} on branch ${o.branch}`;
  const listed = await gitOk(['ls-tree', '-l', tip, '--', o.file], opts);
  if (listed.trim() === '') return {};
  const m = /^\d+ (\S+) ([0-9a-f]+)\s+(\S+)\t/.exec(listed);
  if (!m || m[1] !== 'blob') return { problem: `${where} is not a file` };
  if (!(Number(m[3]) <= HISTORY_FILE_MAX_BYTES))
    return { problem: `${where} is larger than ${HISTORY_FILE_MAX_BYTES} bytes` };
  const text = await gitOk(['cat-file', 'blob', m[2]!], { ...opts, maxBytes: HISTORY_FILE_MAX_BYTES });
  return parseHistoryFile(text, where);
}

/** A commit of `parent`'s tree with the file replaced (an orphan root without a parent); no work tree involved. */
async function commitFile(
  opts: GitOptions,
  parent: string | undefined,
  history: readonly CellHistory[],
  o: HistoryBranchOptions,
): Promise<{ commit: string; thinned?: string }> {
  const updatedAt = (o.now?.() ?? new Date()).toISOString();
  const file = { key: o.key, platform: o.platform, updatedAt, history: [...history] };
  const { text, kept, dropped } = boundedHistoryFileText(file);
  const thinned =
    kept === undefined
      ? undefined
      : `history: ${history.length} cells' points would make ${o.file} larger than the ${HISTORY_FILE_MAX_BYTES / 2 ** 20} MiB a refresh reads back; each cell keeps its newest ${kept} points on branch ${o.branch}${dropped ? ` and ${dropped} cells were left out` : ''} (the baseline keeps the rest). Measure fewer cells, or give them their own baseline-key`;
  const blob = (await gitOk(['hash-object', '-w', '--stdin'], opts, text)).trim();
  await gitOk(parent ? ['read-tree', parent] : ['read-tree', '--empty'], opts);
  await gitOk(['update-index', '--add', '--cacheinfo', `100644,${blob},${o.file}`], opts);
  const tree = (await gitOk(['write-tree'], opts)).trim();
  const message = `wasm-perf-gate: history ${o.file}${o.commit ? ` at ${o.commit.slice(0, 12)}` : ''}`;
  const args = ['commit-tree', '--no-gpg-sign', tree, ...(parent ? ['-p', parent] : []), '-m', message];
  return { commit: (await gitOk(args, opts)).trim(), ...(thinned ? { thinned } : {}) };
}

// Every way git or a server says "someone else moved the branch first": a fresh read and merge fixes each.
// (`cannot lock ref`/`failed to update ref`: two receive-packs updating the ref at once; `stale info`: a lease.)
const MOVED =
  /\[rejected\]|non-fast-forward|fetch first|cannot lock ref|failed to update ref|stale info|incorrect old value|is at [0-9a-f]+ but expected|failed to lock/i;
// GitHub's branch protection (GH006) and rulesets (GH013), spread over several `remote:` lines; no retry helps.
const PROTECTED =
  /\bGH006\b|\bGH013\b|Protected branch update failed|Repository rule violations? found|protected branch hook declined|push declined due to repository rule violations/i;

/** A push GitHub's branch protection or a ruleset refused: its own message, never "the next refresh tries again". */
export class ProtectedBranchError extends Error {
  constructor(
    readonly ruleset: boolean,
    readonly detail: string,
  ) {
    super(detail);
    this.name = 'ProtectedBranchError';
  }
}

/** True when pushed; false when the branch moved (someone else pushed first); anything else throws. */
async function push(opts: GitOptions, commit: string, branch: string): Promise<boolean> {
  const args = ['push', '--porcelain', 'origin', `${commit}:refs/heads/${branch}`];
  const r = await git(args, opts);
  if (r.code === 0) return true;
  const all = `${r.stderr}\n${r.stdout}`;
  if (PROTECTED.test(all)) throw new ProtectedBranchError(/GH013|rule violations?/i.test(all), protectionLines(all));
  if (MOVED.test(all)) return false;
  throw new GitError(args, r);
}

/** The server's own words about the protection (the `remote:` lines), on one line, bounded. */
function protectionLines(text: string): string {
  const lines = text
    .split('\n')
    .map((l) =>
      l
        .replace(/^remote:\s*/, '')
        .replace(/^error:\s*/, '')
        .trim(),
    )
    .filter((l) => l !== '' && !/^(To |Done$|!\t|error: failed to push)/.test(l));
  return lines.join(' ').slice(0, 400);
}

function noToken(branch: string): string {
  return `history: no github-token, so branch ${branch} is neither read nor written; the history stays in the baseline only. Pass \`github-token\` (the default \${{ github.token }}) with \`permissions: contents: write\`, or set history: baseline`;
}

function failure(what: string, e: unknown, branch: string): string {
  if (e instanceof ProtectedBranchError) {
    const need = e.ruleset
      ? `a ruleset protects branch ${branch}: add the workflow's actor (e.g. the GitHub Actions app, or the token's owner) to the ruleset's bypass list, or exclude ${branch} from the ruleset`
      : `branch ${branch} is protected: allow the workflow to push to it (its protection's "Allow specified actors to bypass required pull requests" / "restrict who can push" lists, with a token whose owner is listed; the default github.token cannot bypass), or remove the protection from ${branch}`;
    return `history: could not push to branch ${branch}: ${e.detail}; this refresh's history is kept in the baseline only, and every refresh will be refused alike until the protection changes. Fix: ${need}; or keep the history on an unprotected branch (e.g. history: branch:perf-history), or set history: baseline`;
  }
  const text = oneLine(e).slice(0, 400);
  const denied = /\b403\b|permission to \S+ denied|not granted|authentication failed|\b401\b/i.test(text);
  const fix = denied
    ? 'Give the job `permissions: contents: write` (the token must push to the branch), or set history: baseline'
    : / timed out after /.test(text)
      ? 'Raise git-timeout if the remote is that slow; the next refresh tries again'
      : 'The next refresh tries again';
  return `history: could not ${what} branch ${branch} (${text}); this refresh's history is kept in the baseline only. ${fix}`;
}
