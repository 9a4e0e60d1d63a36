// `mode: bisect` in the action: refuse events that could carry a PR's code, run the bisection, then the
// outputs `culprit` and `bisect`, the job summary and the `bisect-issue` comment. Wiring only; the work is in run-bisect.ts.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import { actionsCacheStore, fileStore } from '../baseline/store.js';
import { InputError } from '../model/input-error.js';
import type { RawInputs } from '../config/inputs.js';
import { probePlanner, readBisectInputs } from '../config/bisect-inputs.js';
import { readBisectModeSettings, type BisectModeSettings } from '../config/run-settings.js';
import { mayRefreshBaseline } from '../config/event.js';
import { writeStepSummary } from '../github/publish.js';
import { cancelledBy } from '../process/cancellation.js';
import { probeLine } from './line.js';
import { bisectMarkdown } from './markdown.js';
import { bisectOptions, historySources } from './options.js';
import { commentOnIssue } from '../github/bisect-comment.js';
import { policyWithTimeout } from '../github/request-policy.js';
import { setOutput } from '../github/set-output.js';
import { escapeMarkdown } from '../report/escape.js';
import { runBisect } from './run-bisect.js';

export async function bisectMode(inputs: RawInputs, workspace: string, temp: string): Promise<void> {
  // `build` runs the repository's code at old commits with this job's permissions: only the repository's own
  // events (never a pull request's, whose workflow and code a fork controls).
  if (!mayRefreshBaseline(context.eventName)) {
    throw new InputError(
      'mode',
      `bisect does not run on ${context.eventName} events (it runs the build command)`,
      'Start it from workflow_dispatch, schedule or push (see docs/bisect.md).',
    );
  }
  const given = readBisectModeSettings(inputs);
  const { settings, issue } = given;
  const store = settings.baselinePath
    ? fileStore(resolve(workspace, settings.baselinePath))
    : actionsCacheStore(settings.baselineKey, process.env['GITHUB_RUN_ID'], given.cacheTimeoutMs());
  const options = await bisectOptions(readBisectInputs(inputs), historySources(settings, store, temp), {
    log: core.info,
    warn: core.warning,
  });
  const report = await runBisect(options, {
    planIn: probePlanner(inputs, workspace, temp),
    workspace,
    tempDir: temp,
    io: {
      log: core.info,
      warn: core.warning,
      resolve: { actionsCache: true, githubToken: settings.token },
    },
    onProbe: (p, measured, budget) => core.info(`bisect ${measured}/${budget}: ${probeLine(p)}`),
  });
  setOutput('culprit', report.culprit ?? '');
  setOutput('bisect', JSON.stringify(report));
  core.info(report.message);
  const repoUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}`;
  const markdown = bisectMarkdown(report, repoUrl);
  await writeStepSummary(markdown);
  // a cancelled bisection has no answer to post; its job summary says how far it got
  if (issue !== undefined && cancelledBy() === undefined) await comment(given, issue, markdown, report.message);
  const cancelled = cancelledBy();
  if (cancelled !== undefined) {
    core.setFailed(
      `bisect cancelled by ${cancelled} after ${report.probes.length} commits; the worktrees were removed and the checkout is as it was. Re-run the workflow to finish.`,
    );
  }
}

async function comment(given: BisectModeSettings, issue: number, markdown: string, message: string): Promise<void> {
  const runUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}/actions/runs/${context.runId}`;
  const r = await commentOnIssue({
    token: given.settings.token,
    ...context.repo,
    issue,
    body: `${markdown}\n[The workflow run](${runUrl})\n`,
    short: `wasm-perf-gate bisect: ${escapeMarkdown(message)}. Every probe: [the workflow run](${runUrl})\n`,
    apiUrl: context.apiUrl,
    policy: policyWithTimeout(given.apiTimeoutMs()),
  });
  if (r.warning) core.warning(r.warning);
  else core.info(`bisect: commented on issue #${issue} (${r.url})`);
}
