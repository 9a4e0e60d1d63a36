// One PR comment per marker, updated in place on every run. The thin I/O edge: list, pick, update or
// create. Posting is best effort: an HTTP failure becomes a warning, because the job summary already
// has the full report and a missing comment must not fail the gate.
import { getOctokit } from '@actions/github';

export interface StickyCommentInput {
  token: string;
  owner: string;
  repo: string;
  issueNumber: number;
  /** hidden marker, e.g. `<!-- wasm-perf-gate:default -->`; prepended to the body if absent */
  marker: string;
  body: string;
  /** REST base URL; defaults to GITHUB_API_URL via @actions/github */
  apiUrl?: string;
  /** upper bound for the one wait before a retry (5xx, rate limit) */
  maxRetryWaitMs?: number;
}

export interface StickyCommentResult {
  action: 'created' | 'updated' | 'skipped';
  commentId?: number;
  warning?: string;
}

/** The parts of an issue comment the choice depends on. */
export interface CommentSummary {
  id: number;
  body?: string | null;
  user?: { login: string; type?: string } | null;
}

const DEFAULT_MAX_RETRY_WAIT_MS = 5_000;
const DEFAULT_RETRY_WAIT_MS = 1_000;

type Octokit = ReturnType<typeof getOctokit>;

export async function upsertStickyComment(input: StickyCommentInput): Promise<StickyCommentResult> {
  if (!input.token) {
    return {
      action: 'skipped',
      warning: 'could not post the PR comment: no GitHub token was given; the job summary has the full report',
    };
  }
  const octokit = getOctokit(input.token, input.apiUrl ? { baseUrl: input.apiUrl.replace(/\/+$/, '') } : {});
  retryOnce(octokit, input.maxRetryWaitMs ?? DEFAULT_MAX_RETRY_WAIT_MS);
  const where = { owner: input.owner, repo: input.repo };
  const body = input.body.includes(input.marker) ? input.body : `${input.marker}\n${input.body}`;
  try {
    const comments = await octokit.paginate(octokit.rest.issues.listComments, {
      ...where,
      issue_number: input.issueNumber,
      per_page: 100,
    });
    const existing = await findStickyComment(octokit, comments, input.marker);
    if (existing) {
      const { data } = await octokit.rest.issues.updateComment({ ...where, comment_id: existing.id, body });
      return { action: 'updated', commentId: data.id };
    }
    const { data } = await octokit.rest.issues.createComment({ ...where, issue_number: input.issueNumber, body });
    return { action: 'created', commentId: data.id };
  } catch (error) {
    const http = httpFailure(error);
    if (!http) throw error;
    return { action: 'skipped', warning: skipWarning(http) };
  }
}

/**
 * A bot's marked comment if there is one; otherwise, when a user's comment starts with the marker the way
 * ours do (a personal token posts as a user), the token's login decides whether it is ours.
 */
async function findStickyComment(
  octokit: Octokit,
  comments: CommentSummary[],
  marker: string,
): Promise<CommentSummary | undefined> {
  const byBot = pickStickyComment(comments, marker);
  if (byBot) return byBot;
  const maybeOurs = comments.filter((c) => c.body?.trimStart().startsWith(marker));
  if (maybeOurs.length === 0) return undefined;
  return pickStickyComment(maybeOurs, marker, await viewerLogin(octokit));
}

async function viewerLogin(octokit: Octokit): Promise<string | undefined> {
  try {
    return (await octokit.rest.users.getAuthenticated()).data.login;
  } catch {
    return undefined; // GITHUB_TOKEN cannot read /user; then only bot comments qualify
  }
}

/**
 * The comment to update: one containing the marker and written by a bot (or by `viewer`, the token's own
 * login, when known); one that starts with the marker beats one that merely contains it, then the oldest.
 * A human's comment that quotes the marker is never picked.
 */
export function pickStickyComment(
  comments: readonly CommentSummary[],
  marker: string,
  viewer?: string,
): CommentSummary | undefined {
  const ours = (c: CommentSummary): boolean =>
    !!c.user && (viewer !== undefined ? c.user.login === viewer : c.user.type === 'Bot');
  const candidates = comments.filter((c) => c.body?.includes(marker) && ours(c));
  return candidates.find((c) => c.body?.trimStart().startsWith(marker)) ?? candidates[0];
}

// ── HTTP failures ───────────────────────────────────────────────────────────────────────────────────

interface HttpFailure {
  status: number;
  message: string;
  headers: Record<string, string | number | undefined>;
}

/** Octokit's RequestError (status + response), read structurally; undefined for anything else. */
function httpFailure(error: unknown): HttpFailure | undefined {
  if (!(error instanceof Error) || typeof (error as { status?: unknown }).status !== 'number') return undefined;
  const { status, response } = error as Error & {
    status: number;
    response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  };
  const data = response?.data as { message?: unknown } | undefined;
  const message = typeof data?.message === 'string' ? data.message : error.message;
  return { status, message: message.split('\n')[0]!.slice(0, 200), headers: response?.headers ?? {} };
}

function isRateLimited(f: HttpFailure): boolean {
  if (f.status === 429) return true;
  return (
    f.status === 403 &&
    (f.headers['retry-after'] !== undefined ||
      String(f.headers['x-ratelimit-remaining']) === '0' ||
      /rate limit/i.test(f.message))
  );
}

/** How long to wait before the single retry, or undefined when retrying cannot help. */
export function retryWaitMs(error: unknown, maxWaitMs: number, now = Date.now()): number | undefined {
  const f = httpFailure(error);
  if (!f || !(f.status >= 500 || isRateLimited(f))) return undefined;
  const retryAfter = Number(f.headers['retry-after']);
  const reset = Number(f.headers['x-ratelimit-reset']);
  const wait =
    Number.isFinite(retryAfter) && f.headers['retry-after'] !== undefined
      ? retryAfter * 1000
      : Number.isFinite(reset) && f.headers['x-ratelimit-reset'] !== undefined
        ? reset * 1000 - now
        : DEFAULT_RETRY_WAIT_MS;
  return Math.min(Math.max(0, wait), maxWaitMs);
}

/** Every request of this client gets one retry after a server error or a rate limit. */
export function retryOnce(octokit: Octokit, maxWaitMs: number): void {
  octokit.hook.wrap('request', async (request, options) => {
    try {
      return await request(options);
    } catch (error) {
      const wait = retryWaitMs(error, maxWaitMs);
      if (wait === undefined) throw error;
      await new Promise((resolve) => setTimeout(resolve, wait));
      return request(options);
    }
  });
}

function skipWarning(f: HttpFailure): string {
  const what = `could not post the PR comment (HTTP ${f.status}: ${f.message})`;
  const summary = 'the job summary has the full report';
  if (isRateLimited(f)) return `${what}: GitHub's rate limit was still hit after one retry; ${summary}`;
  if (f.status === 403 || f.status === 404) {
    return `${what}: the token is read-only (fork PR?) — grant \`pull-requests: write\` or use the workflow_run pattern in the README; ${summary}`;
  }
  return `${what}; ${summary}`;
}
