// `bisect-issue`: the bisection's summary as a comment on the change point's tracking issue. A failure is a
// warning (the job summary and the outputs hold the same), never a failed bisection.
import { getOctokit } from '@actions/github';
import { oneLine } from '../baseline/one-line.js';
import { applyRequestPolicy, DEFAULT_POLICY, httpFailure, type RequestPolicy } from './request-policy.js';

/** GitHub refuses comments over 65,536 characters. */
const MAX_BODY = 65_000;

export interface BisectCommentInput {
  /** undefined or empty: nothing is posted, one warning says why */
  token?: string;
  owner: string;
  repo: string;
  issue: number;
  /** the full summary; `short` replaces it when it is too long for a comment */
  body: string;
  short: string;
  apiUrl?: string;
  policy?: Partial<RequestPolicy>;
}

export async function commentOnIssue(input: BisectCommentInput): Promise<{ url?: string; warning?: string }> {
  if (!input.token) return { warning: 'bisect-issue: no GitHub token was given, so no comment was posted' };
  const octokit = getOctokit(input.token, input.apiUrl ? { baseUrl: input.apiUrl.replace(/\/+$/, '') } : {});
  applyRequestPolicy(octokit, { ...DEFAULT_POLICY, ...input.policy });
  try {
    const { data } = await octokit.rest.issues.createComment({
      owner: input.owner,
      repo: input.repo,
      issue_number: input.issue,
      body: input.body.length <= MAX_BODY ? input.body : input.short,
    });
    return { url: data.html_url };
  } catch (e) {
    const http = httpFailure(e);
    const why = http ? `${http.status !== undefined ? `HTTP ${http.status}: ` : ''}${http.message}` : String(e);
    // 404 (and 410, deleted): the number names no issue here; a permissions problem answers 403.
    if (http?.status === 404 || http?.status === 410) {
      return {
        warning: `bisect-issue: there is no issue #${input.issue} in ${input.owner}/${input.repo} (${oneLine(why)}): give the number of an open issue of this repository; the job summary has the bisection`,
      };
    }
    return {
      warning: `bisect-issue: could not comment on issue #${input.issue} (${oneLine(why)}): grant the workflow \`issues: write\`; the job summary has the bisection`,
    };
  }
}
