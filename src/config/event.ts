// What the triggering event says about the run: the pull request (if any) and the default mode.
// Takes the @actions/github `context` or any object of the same shape, so tests inject payloads.
import type { Mode } from '../model/plan.js';

/** The parts of @actions/github's `context` read here. */
export interface EventContext {
  eventName: string;
  payload: Record<string, unknown>;
}

export interface PullRequestInfo {
  number: number;
  /** the PR head commit (context.sha is the merge commit on pull_request events) */
  headSha: string;
  baseRef: string;
  /** head repository differs from the base repository: the token is read-only and there are no secrets */
  isFork: boolean;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);
const BASELINE_EVENTS = new Set(['push', 'schedule', 'workflow_dispatch']);

function record(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' ? (value as Record<string, unknown>) : undefined;
}

function repoFullName(repo: unknown): string | undefined {
  const name = record(repo)?.['full_name'];
  return typeof name === 'string' ? name : undefined;
}

/** The pull request of a pull_request / pull_request_target event; undefined for other events. */
export function pullRequestInfo(ctx: EventContext): PullRequestInfo | undefined {
  if (!PULL_REQUEST_EVENTS.has(ctx.eventName)) return undefined;
  const pr = record(ctx.payload['pull_request']);
  const head = record(pr?.['head']);
  const base = record(pr?.['base']);
  const number = pr?.['number'];
  const headSha = head?.['sha'];
  const baseRef = base?.['ref'];
  if (
    typeof number !== 'number' ||
    !Number.isInteger(number) ||
    typeof headSha !== 'string' ||
    typeof baseRef !== 'string'
  ) {
    return undefined;
  }
  const baseRepo = repoFullName(base?.['repo']) ?? repoFullName(ctx.payload['repository']);
  // A deleted fork leaves head.repo null: still not our repository, so treat it as a fork.
  const headRepo = repoFullName(head?.['repo']);
  return { number, headSha, baseRef, isFork: headRepo === undefined || headRepo !== baseRepo };
}

/**
 * Pull requests compare; pushes, schedules and manual runs refresh the baseline. Any other event
 * (workflow_run, merge_group, …) compares: saving a baseline from an event that may carry PR data would
 * write it into the default branch's cache scope.
 */
export function defaultModeForEvent(eventName: string): Mode {
  return BASELINE_EVENTS.has(eventName) ? 'baseline' : 'compare';
}

/** Whether runs of this event run the default branch's own code, so their measurements may become its baseline. */
export function mayRefreshBaseline(eventName: string): boolean {
  return BASELINE_EVENTS.has(eventName);
}

/** Link to the workflow run page, where the job summary is shown. */
export function jobSummaryUrl(run: {
  serverUrl: string;
  owner: string;
  repo: string;
  runId: number;
  runAttempt?: number;
}): string {
  const attempt = run.runAttempt !== undefined && Number.isInteger(run.runAttempt) ? `/attempts/${run.runAttempt}` : '';
  const path = [run.owner, run.repo].map(encodeURIComponent).join('/');
  return `${run.serverUrl.replace(/\/+$/, '')}/${path}/actions/runs/${run.runId}${attempt}`;
}
