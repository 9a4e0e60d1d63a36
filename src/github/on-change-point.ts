// `on-change-point`: what the change points a refresh found do — nothing, warnings, a failed step, or tracking issues.
import * as core from '@actions/core';
import { context } from '@actions/github';
import type { Plan, RunSettings } from '../model/plan.js';
import { changePointLine } from '../report/change-points-markdown.js';
import { plural } from '../model/format.js';
import type { RunReport } from '../report/types.js';
import { upsertChangePointIssues } from './change-point-issues.js';
import { policyWithTimeout } from './request-policy.js';
import { oneLine } from '../baseline/one-line.js';

/** The step's failure reason under `on-change-point: fail`, set with the verdict before any network call. */
export function changePointFailure(plan: Pick<Plan, 'report'>, report: RunReport): string | undefined {
  const found = report.changePoints ?? [];
  if (found.length === 0 || plan.report.onChangePoint !== 'fail') return undefined;
  return `${plural(found.length, 'new change point')} in the history of main`;
}

/** Logs or warns each change point, and opens or updates their tracking issues under `issue`. Never throws. */
export async function actOnChangePoints(
  plan: Pick<Plan, 'report'>,
  settings: Pick<RunSettings, 'token' | 'baselineKey'>,
  report: RunReport,
  runUrl: string | undefined,
): Promise<void> {
  const found = report.changePoints ?? [];
  if (found.length === 0) return;
  const on = plan.report.onChangePoint ?? 'warn';
  for (const cp of found) (on === 'none' ? core.info : core.warning)(changePointLine(cp));
  if (on === 'issue') {
    const { owner, repo } = context.repo;
    try {
      const outcomes = await upsertChangePointIssues({
        token: settings.token,
        owner,
        repo,
        baselineKey: settings.baselineKey,
        changePoints: found,
        apiUrl: context.apiUrl,
        runUrl,
        policy: policyWithTimeout(plan.report.apiTimeoutMs),
      });
      for (const o of outcomes) {
        if (o.warning) core.warning(o.warning);
        else core.info(`change-point issue #${o.number} ${o.action}`);
      }
    } catch (e) {
      core.warning(`could not open or update change-point issues (${oneLine(e)}); the job summary lists them`);
    }
  }
}
