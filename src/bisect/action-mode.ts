// `mode: bisect` in the action: refuse events that could carry a PR's code, run the bisection, then the
// outputs `culprit` and `bisect` and the job summary. Wiring only; the work is in run-bisect.ts.
import * as core from '@actions/core';
import { context } from '@actions/github';
import { resolve } from 'node:path';
import { actionsCacheStore, fileStore } from '../baseline/store.js';
import { InputError } from '../config/input-error.js';
import type { RawInputs } from '../config/inputs.js';
import { cacheTimeoutMs } from '../config/report-options.js';
import { mayRefreshBaseline } from '../github/event.js';
import { writeStepSummary } from '../github/publish.js';
import { cancelledBy } from '../measure/cancellation.js';
import { cancelledReason } from '../cancel-on-signal.js';
import { probeLine } from './line.js';
import { bisectMarkdown } from './markdown.js';
import { bisectOptions } from './options.js';
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
  const store = inputs['baseline-path']
    ? fileStore(resolve(workspace, inputs['baseline-path']))
    : actionsCacheStore(inputs['baseline-key'], process.env['GITHUB_RUN_ID'], cacheTimeoutMs(inputs));
  const options = await bisectOptions(inputs, store, core.info);
  const report = await runBisect(options, {
    inputs,
    workspace,
    tempDir: temp,
    io: {
      log: core.info,
      warn: core.warning,
      resolve: { actionsCache: true, githubToken: inputs['github-token'] || undefined },
    },
    onProbe: (p, measured, budget) => core.info(`bisect ${measured}/${budget}: ${probeLine(p)}`),
  });
  core.setOutput('culprit', report.culprit ?? '');
  core.setOutput('bisect', JSON.stringify(report));
  core.info(report.message);
  const repoUrl = `${context.serverUrl}/${context.repo.owner}/${context.repo.repo}`;
  await writeStepSummary(bisectMarkdown(report, repoUrl));
  const cancelled = cancelledBy();
  if (cancelled !== undefined) core.setFailed(cancelledReason(cancelled, report.probes.length, report.budget + 1));
}
