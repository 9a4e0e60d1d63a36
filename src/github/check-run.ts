// The `wasm-perf-gate` check run on the PR head commit: created in progress, then completed with the
// verdict. Best effort like the comment: a token without `checks: write` gets one warning, never a failure.
import { getOctokit } from '@actions/github';
import { applyRequestPolicy, DEFAULT_POLICY, type RequestPolicy } from './request-policy.js';

export const CHECK_RUN_NAME = 'wasm-perf-gate';
import { CHECK_SUMMARY_MAX_CHARS } from '../report/check-run-content.js';
/** output.title has no documented cap; a headline is short, so keep it to one line of sane length. */
const TITLE_MAX_CHARS = 200;

export type CheckConclusion = 'success' | 'failure' | 'neutral';

export interface CheckRunInput {
  /** undefined or empty: nothing is posted, one warning says why */
  token?: string;
  owner: string;
  repo: string;
  headSha: string;
  conclusion: CheckConclusion;
  title: string;
  summary: string;
  detailsUrl?: string;
  apiUrl?: string;
  /** time limits and retries of the API requests; DEFAULT_POLICY when absent */
  policy?: Partial<RequestPolicy>;
}

export interface CheckRunResult {
  action: 'completed' | 'skipped';
  checkRunId?: number;
  warning?: string;
}

export async function publishCheckRun(input: CheckRunInput): Promise<CheckRunResult> {
  if (!input.token) return { action: 'skipped', warning: warningFor('no GitHub token was given') };
  const octokit = getOctokit(input.token, input.apiUrl ? { baseUrl: input.apiUrl.replace(/\/+$/, '') } : {});
  applyRequestPolicy(octokit, { ...DEFAULT_POLICY, ...input.policy });
  const where = { owner: input.owner, repo: input.repo };
  try {
    const { data: created } = await octokit.rest.checks.create({
      ...where,
      name: CHECK_RUN_NAME,
      head_sha: input.headSha,
      status: 'in_progress',
      ...(input.detailsUrl ? { details_url: input.detailsUrl } : {}),
    });
    const { data } = await octokit.rest.checks.update({
      ...where,
      check_run_id: created.id,
      status: 'completed',
      conclusion: input.conclusion,
      completed_at: new Date().toISOString(),
      output: {
        title: oneLine(input.title, TITLE_MAX_CHARS),
        summary: fitSummary(input.summary, CHECK_SUMMARY_MAX_CHARS),
      },
    });
    return { action: 'completed', checkRunId: data.id };
  } catch (error) {
    const status = (error as { status?: unknown }).status;
    if (typeof status !== 'number') throw error;
    const hint =
      status === 403 || status === 404
        ? 'the token lacks `checks: write` (fork PR? use the workflow_run pattern in docs/shards-and-forks.md)'
        : `HTTP ${status}`;
    return { action: 'skipped', warning: warningFor(hint) };
  }
}

function warningFor(why: string): string {
  return `could not create the ${CHECK_RUN_NAME} check run: ${why}; the job's own status and summary still carry the verdict`;
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length <= max ? line : `${line.slice(0, max - 1)}…`;
}

/** Whole lines up to the cap, then a note; the renderers already fit, this is the API's hard limit. */
export function fitSummary(text: string, max: number): string {
  if (text.length <= max) return text;
  const note = '\n\n… cut to the Checks API limit; the job summary has the full report.';
  const cut = text.slice(0, max - note.length);
  const lastBreak = cut.lastIndexOf('\n');
  return (lastBreak > 0 ? cut.slice(0, lastBreak) : cut) + note;
}
