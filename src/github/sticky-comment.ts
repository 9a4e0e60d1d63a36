// One PR comment per marker, updated in place on every run. The thin I/O edge: list, pick, update or
// create. Posting is best effort: an HTTP failure or an API that does not answer becomes a warning,
// because the job summary already has the full report and a missing comment must not fail the gate.
import { getOctokit } from '@actions/github';
import {
  applyRequestPolicy,
  DEFAULT_POLICY,
  httpFailure,
  isRateLimited,
  type HttpFailure,
  type RequestPolicy,
} from './request-policy.js';

export interface StickyCommentInput {
  /** undefined or empty: nothing is posted, one warning says why */
  token?: string;
  owner: string;
  repo: string;
  issueNumber: number;
  /** hidden marker, e.g. `<!-- wasm-perf-gate:default -->`; prepended to the body if absent */
  marker: string;
  body: string;
  /** REST base URL; defaults to GITHUB_API_URL via @actions/github */
  apiUrl?: string;
  /** time limits and retries of the API requests; DEFAULT_POLICY when absent */
  policy?: Partial<RequestPolicy>;
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

type Octokit = ReturnType<typeof getOctokit>;

export async function upsertStickyComment(input: StickyCommentInput): Promise<StickyCommentResult> {
  if (!input.token) {
    return {
      action: 'skipped',
      warning: 'could not post the PR comment: no GitHub token was given; the job summary has the full report',
    };
  }
  const octokit = getOctokit(input.token, input.apiUrl ? { baseUrl: input.apiUrl.replace(/\/+$/, '') } : {});
  applyRequestPolicy(octokit, { ...DEFAULT_POLICY, ...input.policy });
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
    return { action: 'skipped', warning: skipWarning(http, input.issueNumber) };
  }
}

/**
 * A bot's marked comment if there is one; otherwise, when a user's comment starts with the marker the way
 * ours do (a personal token posts as a user), the token's login decides whether it is ours.
 */
export async function findStickyComment<C extends CommentSummary>(
  octokit: Octokit,
  comments: C[],
  marker: string,
): Promise<C | undefined> {
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
export function pickStickyComment<C extends CommentSummary>(
  comments: readonly C[],
  marker: string,
  viewer?: string,
): C | undefined {
  const ours = (c: CommentSummary): boolean =>
    !!c.user && (viewer !== undefined ? c.user.login === viewer : c.user.type === 'Bot');
  const candidates = comments.filter((c) => c.body?.includes(marker) && ours(c));
  return candidates.find((c) => c.body?.trimStart().startsWith(marker)) ?? candidates[0];
}

function skipWarning(f: HttpFailure, issueNumber: number): string {
  const what = `could not post the PR comment (${f.status !== undefined ? `HTTP ${f.status}: ` : ''}${f.message})`;
  const summary = 'the job summary has the full report';
  if (f.timedOut || f.status === undefined) {
    return `${what}: the GitHub API did not answer in time, even after a retry — check GITHUB_API_URL or raise api-timeout; ${summary}`;
  }
  if (isRateLimited(f)) return `${what}: GitHub's rate limit was still hit after a retry; ${summary}`;
  if (f.status === 404) {
    return `${what}: pull request #${issueNumber} or its comment no longer exists (PR deleted?), or the token cannot see this repository; ${summary}`;
  }
  if (f.status === 403) {
    return `${what}: the token is read-only (fork PR?) — grant \`pull-requests: write\` or use the workflow_run pattern in docs/shards-and-forks.md; ${summary}`;
  }
  return `${what}; ${summary}`;
}
