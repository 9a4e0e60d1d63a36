// The GitHub Action entry: inputs and event → runGate → job summary, outputs, JSON, sticky comment, gate.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { actionsCacheStore, fileStore } from './baseline/store.js';
import { readInputs, type RawInputs } from './config/inputs.js';
import { loadPlan } from './config/load-plan.js';
import { resolveMode } from './config/mode.js';
import type { Plan } from './config/types.js';
import { jobSummaryUrl, pullRequestInfo } from './github/event.js';
import { CHECK_RUN_NAME, publishCheckRun } from './github/check-run.js';
import { upsertStickyComment } from './github/sticky-comment.js';
import { checkRunContent } from './report/check-run-content.js';
import type { GateOutcome } from './compare/gate.js';
import { commentMarker, renderComment } from './report/comment-markdown.js';
import { renderJson } from './report/json-report.js';
import { actionOutputs } from './report/outputs.js';
import { reproduceCommand } from './report/reproduce.js';
import { renderSummary } from './report/summary-markdown.js';
import type { RunReport } from './report/types.js';
import { runGate } from './run-gate.js';

export async function run(): Promise<void> {
  try {
    const inputs = readInputs((name) => core.getInput(name));
    const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
    const temp = join(process.env['RUNNER_TEMP'] || tmpdir(), 'wasm-perf-gate');
    const mode = resolveMode(inputs.mode, context.eventName);
    const plan = await loadPlan(inputs, { workspace, mode, defaultJsonPath: join(temp, 'report.json') });
    const store = plan.baseline.path
      ? fileStore(plan.baseline.path)
      : actionsCacheStore(plan.baseline.cacheKeyPrefix, process.env['GITHUB_RUN_ID']);
    const { report, outcome } = await runGate(plan, {
      log: core.info,
      warn: core.warning,
      loadBaseline: () => store.load(),
      saveBaseline: (doc) => store.save(doc),
      tempDir: temp,
      reproduce: reproduceCommand(inputs, plan.mode),
      context: { commit: context.sha, ref: context.ref, runId: process.env['GITHUB_RUN_ID'] },
      resolve: { actionsCache: true, githubToken: inputs['github-token'] || undefined },
      progress: {
        onCellStart: (job, i, n) =>
          core.info(
            `[${i + 1}/${n}] ${job.bench.id} on ${job.runtime.id}${job.baseArtifact ? ' (side by side with the baseline)' : ''}`,
          ),
      },
    });
    await publish(plan, inputs, report, outcome);
    if (outcome.shouldFail) core.setFailed(`wasm-perf-gate: ${outcome.reasons.join('; ')}`);
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
  }
}

async function publish(plan: Plan, inputs: RawInputs, report: RunReport, outcome: GateOutcome): Promise<void> {
  mkdirSync(dirname(plan.report.jsonPath), { recursive: true });
  writeFileSync(plan.report.jsonPath, renderJson(report));
  for (const [name, value] of Object.entries(actionOutputs(report, plan.report.jsonPath))) core.setOutput(name, value);
  const summaryUrl = runUrl();
  if (process.env['GITHUB_STEP_SUMMARY']) await core.summary.addRaw(renderSummary(report)).write();
  const pr = pullRequestInfo(context);
  if (plan.mode !== 'compare' || !pr) return;
  if (plan.report.checkRun) await postCheckRun(report, outcome, pr.headSha, inputs['github-token'], summaryUrl);
  if (!plan.report.comment) return;
  const marker = commentMarker(inputs['baseline-key']);
  const { repo, owner } = context.repo;
  const result = await upsertStickyComment({
    token: inputs['github-token'],
    owner,
    repo,
    issueNumber: pr.number,
    marker,
    body: renderComment(report, { marker, summaryUrl }),
    apiUrl: context.apiUrl,
  });
  if (result.warning) core.warning(result.warning);
  else core.info(`PR comment ${result.action} (id ${result.commentId})`);
}

async function postCheckRun(
  report: RunReport,
  outcome: GateOutcome,
  headSha: string,
  token: string,
  detailsUrl: string | undefined,
): Promise<void> {
  const result = await publishCheckRun({
    token,
    ...context.repo,
    headSha,
    ...checkRunContent(report, outcome, detailsUrl),
    detailsUrl,
    apiUrl: context.apiUrl,
  });
  if (result.warning) core.warning(result.warning);
  else core.info(`check run ${CHECK_RUN_NAME} completed (id ${result.checkRunId})`);
}

function runUrl(): string | undefined {
  const runId = Number(process.env['GITHUB_RUN_ID']);
  if (!Number.isInteger(runId) || !process.env['GITHUB_REPOSITORY']) return undefined;
  const { owner, repo } = context.repo;
  return jobSummaryUrl({
    serverUrl: context.serverUrl,
    owner,
    repo,
    runId,
    runAttempt: Number(process.env['GITHUB_RUN_ATTEMPT']) || undefined,
  });
}
