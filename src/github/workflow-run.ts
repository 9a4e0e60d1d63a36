// A `workflow_run` event names the run whose partial reports we judge. Its head SHA is trusted (GitHub
// wrote it); its `pull_requests` list is empty for forks, so the PR is found through the API by head branch.
import { getOctokit } from '@actions/github';
import { mayRefreshBaseline, pullRequestInfo, type EventContext } from '../config/event.js';

export interface WorkflowRunInfo {
  runId: number;
  headSha: string;
  /** the triggering run's event: only `pull_request` runs get a comment */
  event: string;
  headBranch?: string;
  headOwner?: string;
  /** owner/name of the repository the run's head commit is in (a fork's, for fork PRs) */
  headRepository?: string;
  pullRequests: { number: number; headSha?: string }[];
}

export function workflowRunInfo(ctx: EventContext): WorkflowRunInfo | undefined {
  if (ctx.eventName !== 'workflow_run') return undefined;
  const run = ctx.payload['workflow_run'] as Record<string, unknown> | undefined;
  const id = run?.['id'];
  const headSha = run?.['head_sha'];
  if (typeof id !== 'number' || typeof headSha !== 'string') return undefined;
  const headRepo = run?.['head_repository'] as { owner?: { login?: unknown }; full_name?: unknown } | undefined;
  const prs = Array.isArray(run?.['pull_requests']) ? (run['pull_requests'] as Record<string, unknown>[]) : [];
  return {
    runId: id,
    headSha,
    event: String(run?.['event'] ?? ''),
    headBranch: typeof run?.['head_branch'] === 'string' ? run['head_branch'] : undefined,
    headOwner: typeof headRepo?.owner?.login === 'string' ? headRepo.owner.login : undefined,
    headRepository: typeof headRepo?.full_name === 'string' ? headRepo.full_name : undefined,
    pullRequests: prs
      .filter((p) => typeof p['number'] === 'number')
      .map((p) => ({ number: p['number'] as number, headSha: (p['head'] as { sha?: string } | undefined)?.sha })),
  };
}

/** The open PR whose head is the run's head commit: from the payload when listed, else by head branch. */
export async function findPullRequest(
  info: WorkflowRunInfo,
  api: { token: string; owner: string; repo: string; apiUrl?: string },
): Promise<{ number?: number; problem?: string }> {
  const listed = info.pullRequests.find((p) => p.headSha === info.headSha);
  if (listed) return { number: listed.number };
  if (!info.headBranch || !info.headOwner) return { problem: 'the workflow_run event names no head branch' };
  const octokit = getOctokit(api.token, api.apiUrl ? { baseUrl: api.apiUrl.replace(/\/+$/, '') } : {});
  const { data } = await octokit.rest.pulls.list({
    owner: api.owner,
    repo: api.repo,
    state: 'open',
    head: `${info.headOwner}:${info.headBranch}`,
    per_page: 100,
  });
  const pr = data.find((p) => p.head.sha === info.headSha);
  if (pr) return { number: pr.number };
  const others = data.map((p) => `#${p.number} (head ${p.head.sha.slice(0, 7)})`).join(', ');
  return {
    problem: `no open PR has head commit ${info.headSha.slice(0, 7)}${others ? `; ${others} moved on since` : ''}: nothing to comment on`,
  };
}

export interface ReportTarget {
  /** trusted head commit: the PR head (pull_request) or the workflow_run's head_sha */
  headSha?: string;
  number?: number;
  /** workflow_run: the run whose partial reports to read */
  remoteRunId?: number;
  /** the reported run ran the default branch's own code, so its shards may refresh the baseline */
  mayRefresh: boolean;
  problem?: string;
}

/** Where a report job's verdict goes, from the trusted event alone (the reports' own claims are checked against it). */
export async function reportTarget(
  ctx: EventContext & { payload: Record<string, unknown> },
  api: { token: string; owner: string; repo: string; apiUrl?: string },
  runIdInput?: string,
): Promise<ReportTarget> {
  const pr = pullRequestInfo(ctx);
  const fromInput = runIdInput ? Number(runIdInput) : undefined;
  if (pr) return { headSha: pr.headSha, number: pr.number, remoteRunId: fromInput, mayRefresh: false };
  const info = workflowRunInfo(ctx);
  const remoteRunId = fromInput ?? info?.runId;
  if (!info)
    return { ...(remoteRunId !== undefined ? { remoteRunId } : {}), mayRefresh: mayRefreshBaseline(ctx.eventName) };
  // A fork's code can run only in a PR's run, but its head repository is checked too: never believe the branch.
  const ownCode = info.headRepository === `${api.owner}/${api.repo}` && mayRefreshBaseline(info.event);
  if (info.event !== 'pull_request') return { remoteRunId, headSha: info.headSha, mayRefresh: ownCode };
  try {
    const found = await findPullRequest(info, api);
    return { remoteRunId, headSha: info.headSha, number: found.number, problem: found.problem, mayRefresh: false };
  } catch (e) {
    const status = (e as { status?: unknown }).status;
    return {
      remoteRunId,
      headSha: info.headSha,
      mayRefresh: false,
      problem: `could not look up the PR of ${info.headSha.slice(0, 7)} (HTTP ${String(status)}): no comment; grant \`pull-requests: read\``,
    };
  }
}
