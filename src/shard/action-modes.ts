// The action's two sharded modes: a shard (measure this share, upload the partial report) and the report
// job (the shards' partial reports → what a single job would publish). Wiring only; the work is in shard/.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { join } from 'node:path';
import { actionsCacheStore, fileStore } from '../baseline/store.js';
import { platformLabel, type Platform } from '../baseline/platform.js';
import type { BaselineDoc } from '../baseline/types.js';
import { InputError } from '../model/input-error.js';
import type { ReportModeSettings } from '../config/run-settings.js';
import type { Plan, ReportOptions, RunSettings } from '../model/plan.js';
import { CHECK_RUN_NAME, publishCheckRun } from '../github/check-run.js';
import { pullRequestInfo } from '../config/event.js';
import { policyWithTimeout } from '../github/request-policy.js';
import { historyStoreFor } from '../history/branch-setup.js';
import { escapeMarkdown } from '../report/escape.js';
import { reportTarget } from '../github/workflow-run.js';
import { setOutput } from '../github/set-output.js';
import { reproduceCommand } from '../report/reproduce.js';
import type { GateIO, GateResult } from '../pipeline/run-gate.js';
import { MergeError } from './merge.js';
import { reportJob } from './report-job.js';
import { shardJob } from './shard-job.js';

/** A shard measures and uploads; it fails only on its own cells' failures, never on a verdict. */
export async function shardMode(plan: Plan & { shard: NonNullable<Plan['shard']> }, io: GateIO) {
  const pr = pullRequestInfo(context);
  const r = await shardJob(plan, io, {
    key: plan.settings.baselineKey,
    claims: { commit: pr?.headSha ?? context.sha, ...(pr ? { pullRequest: pr.number } : {}) },
    upload: !plan.baseline.path || !!process.env['ACTIONS_RUNTIME_TOKEN'],
  });
  setOutput('partial-artifact', r.artifact);
  if (r.failed.length) {
    core.setFailed(
      `wasm-perf-gate shard ${plan.shard.index}/${plan.shard.count}: ${r.failed.join('; ')} failed to run`,
    );
  }
}

/** The report job: gather, check, merge, judge; the caller publishes the result like a single job's. */
export async function reportMode(
  { settings, report, cacheTimeoutMs }: ReportModeSettings,
  workspace: string,
  temp: string,
): Promise<
  GateResult & {
    plan: { mode: 'compare' | 'baseline'; report: ReportOptions };
    target?: { headSha: string; number?: number };
  }
> {
  const historyBranch = settings.historyBranch;
  const api = { token: settings.token ?? '', ...context.repo, apiUrl: context.apiUrl };
  const target = await reportTarget(context, api, settings.runId ?? '');
  if (target.problem) core.warning(target.problem);
  const path = settings.baselinePath && join(workspace, settings.baselinePath);
  const saved = new Set<string>();
  const saveBaseline = (doc: BaselineDoc, platform: Platform) => {
    saved.add(platformLabel(platform));
    if (path && saved.size > 1) {
      const fix =
        'Keep the baselines in the Actions cache (no baseline-path), or give each platform its own baseline-key.';
      throw new InputError('baseline-path', 'holds one baseline, and the shards ran on several platforms', fix);
    }
    const store = path
      ? fileStore(path)
      : actionsCacheStore(settings.baselineKey, process.env['GITHUB_RUN_ID'], cacheTimeoutMs(), platform);
    return store.save(doc);
  };
  const result = await reportJob({
    key: settings.baselineKey,
    report,
    remote:
      target.remoteRunId !== undefined
        ? { runId: target.remoteRunId, token: settings.token ?? '', ...context.repo }
        : undefined,
    trusted: { headSha: target.headSha, pullRequest: target.number, mayRefresh: target.mayRefresh },
    log: core.info,
    warn: core.warning,
    refuse: (m) => core.error(m),
    saveBaseline,
    ...(historyBranch
      ? {
          historyFor: (platform: Platform) =>
            historyStoreFor(settings, historyBranch, { platform, tempDir: temp, commit: context.sha }),
        }
      : {}),
    reproduce: reproduceCommand(settings, 'compare'),
    context: { commit: context.sha, ref: context.ref, runId: process.env['GITHUB_RUN_ID'] },
  }).catch(async (e: unknown) => {
    if (e instanceof MergeError) await noVerdict(e.message, settings, report, target.headSha);
    throw e;
  });
  return {
    ...result,
    plan: { mode: result.mode, report },
    ...(target.headSha ? { target: { headSha: target.headSha, number: target.number } } : {}),
  };
}

/** No usable shard report at all: the verdict is `failed` and the PR's check says why, never a silent pass. */
async function noVerdict(why: string, settings: RunSettings, report: ReportOptions, headSha?: string): Promise<void> {
  setOutput('verdict', 'failed');
  if (!headSha || !report.checkRun) return;
  const result = await publishCheckRun({
    token: settings.token,
    ...context.repo,
    headSha,
    conclusion: 'failure',
    title: 'No verdict: the shards sent no usable partial report',
    summary: escapeMarkdown(why),
    apiUrl: context.apiUrl,
    policy: policyWithTimeout(report.apiTimeoutMs),
  }).catch((e: unknown) => ({ warning: `could not create the ${CHECK_RUN_NAME} check run (${String(e)})` }));
  if (result.warning) core.warning(result.warning);
}
