// Everything the action hands back after measuring, in an order that never loses the verdict: the JSON
// report, the step outputs and the step's outcome first, then the job summary, then the network (PR
// check run, comment). Each part is guarded on its own: one that fails is a warning or an error line naming its
// input, and the parts after it still happen.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { oneLine } from '../baseline/one-line.js';
import { cancelledBy, enterPhase } from '../process/cancellation.js';
import type { GateOutcome } from '../compare/gate.js';
import type { Plan, RunSettings } from '../model/plan.js';
import { checkRunContent } from '../report/check-run-content.js';
import { commentMarker, renderComment } from '../report/comment-markdown.js';
import { renderJson } from '../report/json-report.js';
import { actionOutputs } from '../report/outputs.js';
import { setOutput } from './set-output.js';
import { renderSummary } from '../report/summary-markdown.js';
import type { RunReport } from '../report/types.js';
import { CHECK_RUN_NAME, publishCheckRun } from './check-run.js';
import { jobSummaryUrl, pullRequestInfo } from '../config/event.js';
import { policyWithTimeout } from './request-policy.js';
import { upsertStickyComment } from './sticky-comment.js';
import { actOnChangePoints, changePointFailure } from './on-change-point.js';
import { changePointsSection } from '../report/change-points-markdown.js';

export interface PublishInput {
  plan: Pick<Plan, 'mode' | 'report'>;
  settings: Pick<RunSettings, 'token' | 'baselineKey'>;
  report: RunReport;
  outcome: GateOutcome;
  /** input errors found while running (each one line, `input: problem. fix`) */
  errors: readonly string[];
  /** where the check run and comment go, when not the event's own PR (`mode: report` under workflow_run) */
  target?: { headSha: string; number?: number };
}

export async function publish(p: PublishInput): Promise<void> {
  const errors = [...p.errors];
  const jsonError = writeJsonReport(p.plan.report.jsonPath, p.report);
  if (jsonError) {
    errors.push(jsonError);
    p.report.warnings.push(jsonError);
  }
  setOutputs(p.report, jsonError ? '' : p.plan.report.jsonPath);
  const changed = changePointFailure(p.plan, p.report);
  setOutcome(p.outcome, changed ? [...errors, `wasm-perf-gate: ${changed}`] : errors);
  await writeSummary(p.report);
  // After a signal nothing more goes out: each network step below first checks for one.
  if (!next('opening change-point issues')) return;
  await actOnChangePoints(p.plan, p.settings, p.report, runUrl());
  const pr = p.target ?? pullRequestInfo(context);
  // A cancelled run has partial results: the summary says so; the PR keeps the last full report.
  if (p.plan.mode !== 'compare' || !pr || p.report.cancelled) return;
  if (p.plan.report.checkRun && next('posting the check run')) await postCheckRun(p, pr.headSha);
  if (p.plan.report.comment && pr.number !== undefined && next('posting the PR comment'))
    await postComment(p, pr.number);
}

/** Enters the next network phase, or false when a signal has cancelled the run. */
function next(phase: string): boolean {
  if (cancelledBy() !== undefined) return false;
  enterPhase(phase);
  return true;
}

/** Undefined when written; else the error line, naming `report-json`. */
function writeJsonReport(path: string, report: RunReport): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, renderJson(report));
    return undefined;
  } catch (e) {
    return `report-json: cannot write the JSON report to ${path} (${oneLine(e)}). Point report-json at a file path in a folder this job can write (not a directory).`;
  }
}

function setOutputs(report: RunReport, jsonPath: string): void {
  const outputs = actionOutputs(report, jsonPath);
  for (const name of Object.keys(outputs) as (keyof typeof outputs)[]) {
    try {
      setOutput(name, outputs[name]);
    } catch (e) {
      core.warning(`GITHUB_OUTPUT: cannot set the output ${name} (${oneLine(e)}); the summary and the verdict follow`);
    }
  }
}

/** Set before any network call, so an API outage can never delay or hide the verdict. */
function setOutcome(outcome: GateOutcome, errors: readonly string[]): void {
  if (outcome.shouldFail) core.setFailed(`wasm-perf-gate: ${outcome.reasons.join('; ')}`);
  for (const line of errors) core.setFailed(line);
}

function writeSummary(report: RunReport): Promise<void> {
  return writeStepSummary(
    renderSummary(report) + changePointsSection(report.changePoints),
    '; the outputs, the PR comment and the verdict are unaffected',
  );
}

/** The job summary is one output among several: a file that cannot be written is a warning, never a failure. */
export async function writeStepSummary(markdown: string, unaffected = ''): Promise<void> {
  if (!process.env['GITHUB_STEP_SUMMARY']) return;
  try {
    await core.summary.addRaw(markdown).write();
  } catch (e) {
    core.summary.emptyBuffer();
    core.warning(`GITHUB_STEP_SUMMARY: cannot write the job summary (${oneLine(e)})${unaffected}`);
  }
}

async function postCheckRun({ plan, settings, report, outcome }: PublishInput, headSha: string): Promise<void> {
  const detailsUrl = runUrl();
  try {
    const result = await publishCheckRun({
      token: settings.token,
      ...context.repo,
      headSha,
      ...checkRunContent(report, outcome, detailsUrl),
      detailsUrl,
      apiUrl: context.apiUrl,
      policy: policyWithTimeout(plan.report.apiTimeoutMs),
    });
    if (result.warning) core.warning(result.warning);
    else core.info(`check run ${CHECK_RUN_NAME} completed (id ${result.checkRunId})`);
  } catch (e) {
    core.warning(
      `could not create the ${CHECK_RUN_NAME} check run (${oneLine(e)}); the job summary has the full report`,
    );
  }
}

async function postComment({ plan, settings, report }: PublishInput, issueNumber: number): Promise<void> {
  const marker = commentMarker(settings.baselineKey);
  const { repo, owner } = context.repo;
  try {
    const result = await upsertStickyComment({
      token: settings.token,
      owner,
      repo,
      issueNumber,
      marker,
      body: renderComment(report, { marker, summaryUrl: runUrl() }),
      apiUrl: context.apiUrl,
      policy: policyWithTimeout(plan.report.apiTimeoutMs),
    });
    if (result.warning) core.warning(result.warning);
    else core.info(`PR comment ${result.action} (id ${result.commentId})`);
  } catch (e) {
    core.warning(`could not post the PR comment (${oneLine(e)}); the job summary has the full report`);
  }
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
