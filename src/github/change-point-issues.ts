// One tracking issue per change point, found again by a hidden marker (on an issue the action itself opened)
// so a later refresh updates it instead of opening a duplicate. Best effort like the sticky comment: an HTTP failure becomes a warning.
import { getOctokit } from '@actions/github';
import type { ChangePoint } from '../history/change-points.js';
import { changePointIssueBody, changePointTitle } from '../report/change-points-markdown.js';
import { findStickyComment } from './sticky-comment.js';
import { applyRequestPolicy, DEFAULT_POLICY, httpFailure, type RequestPolicy } from './request-policy.js';

/** Label put on (and used to list) tracking issues; GitHub creates it on first use. */
export const CHANGE_POINT_LABEL = 'performance-change';

export interface ChangePointIssuesInput {
  /** undefined or empty: nothing is posted, one warning says why */
  token?: string;
  owner: string;
  repo: string;
  /** baseline key: change points of different baselines are different issues */
  baselineKey: string;
  changePoints: readonly ChangePoint[];
  apiUrl?: string;
  runUrl?: string;
  /** time limits and retries of the API requests */
  policy?: Partial<RequestPolicy>;
}

export interface IssueOutcome {
  action: 'created' | 'updated' | 'skipped';
  number?: number;
  warning?: string;
}

/** `<!-- wasm-perf-gate-change:KEY:BENCHMARK:COMMIT -->`, reduced to characters that cannot end the comment. */
export function changePointMarker(baselineKey: string, cp: ChangePoint): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._:/@+-]/g, '_').replace(/-{2,}/g, '-');
  return `<!-- wasm-perf-gate-change:${safe(baselineKey)}:${safe(cp.benchmark)}:${safe(cp.commit ?? cp.date)} -->`;
}

export async function upsertChangePointIssues(input: ChangePointIssuesInput): Promise<IssueOutcome[]> {
  if (input.changePoints.length === 0) return [];
  if (!input.token) {
    return [{ action: 'skipped', warning: 'could not open change-point issues: no GitHub token was given' }];
  }
  const octokit = getOctokit(input.token, input.apiUrl ? { baseUrl: input.apiUrl.replace(/\/+$/, '') } : {});
  applyRequestPolicy(octokit, { ...DEFAULT_POLICY, ...input.policy });
  const where = { owner: input.owner, repo: input.repo };
  try {
    const existing = await octokit.paginate(octokit.rest.issues.listForRepo, {
      ...where,
      state: 'all',
      labels: CHANGE_POINT_LABEL,
      per_page: 100,
    });
    // Only an issue the action opened is ever edited (the sticky comment's rule): a person's issue that
    // quotes the marker stays untouched, and the change point gets an issue of its own.
    const issues = existing.filter((i) => !i.pull_request).map((i) => ({ ...i, id: i.number }));
    const out: IssueOutcome[] = [];
    for (const cp of input.changePoints) {
      const marker = changePointMarker(input.baselineKey, cp);
      const body = changePointIssueBody(cp, marker, input.runUrl);
      const found = await findStickyComment(octokit, issues, marker);
      if (found) {
        const { data } = await octokit.rest.issues.update({ ...where, issue_number: found.number, body });
        out.push({ action: 'updated', number: data.number });
      } else {
        const title = changePointTitle(cp);
        const { data } = await octokit.rest.issues.create({ ...where, title, body, labels: [CHANGE_POINT_LABEL] });
        out.push({ action: 'created', number: data.number });
      }
    }
    return out;
  } catch (error) {
    const http = httpFailure(error);
    if (!http) throw error;
    return [
      {
        action: 'skipped',
        warning: `could not open or update change-point issues (${http.status !== undefined ? `HTTP ${http.status}: ` : ''}${http.message}): grant the workflow \`issues: write\`; the job summary lists the change points`,
      },
    ];
  }
}
