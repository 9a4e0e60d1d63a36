// The GitHub Action entry: inputs and event → runGate → publish (JSON, outputs, verdict, summary, comment).
import * as core from '@actions/core';
import { context } from '@actions/github';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionsCacheStore, fileStore } from './baseline/store.js';
import { runnerPlatform } from './baseline/platform.js';
import { cancelledLate, cancelOnSignals } from './pipeline/cancel-on-signal.js';
import { cancelledBy, cancelledPhase } from './process/cancellation.js';
import { sideBySideLabel } from './measure/measuring-loop.js';
import { refuseUntrustedStore } from './baseline/stored-build.js';
import { historyStoreFor } from './history/branch-setup.js';
import { readActionInputs } from './config/action-inputs.js';
import { loadPlan } from './config/load-plan.js';
import { actionKind, resolveActionMode } from './config/mode.js';
import { readReportModeSettings } from './config/run-settings.js';
import type { Plan, RunSettings } from './model/plan.js';
import { publish, writeStepSummary } from './github/publish.js';
import { renderErrorSummary } from './report/error-summary.js';
import { reproduceCommand } from './report/reproduce.js';
import { runGate, type GateIO, type GateResult } from './pipeline/run-gate.js';
import { reportMode, shardMode } from './shard/action-modes.js';
import { bisectMode } from './bisect/action-mode.js';

export async function run(): Promise<void> {
  const stopListening = cancelOnSignals(core.warning, core.setFailed);
  let gate: ({ plan: Pick<Plan, 'mode' | 'report'>; settings: RunSettings } & GateResult) | undefined;
  try {
    try {
      gate = await measure();
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      core.setFailed(message);
      await writeStepSummary(renderErrorSummary(message));
      return;
    }
    if (gate) await publish(gate);
  } finally {
    stopListening();
    failIfCancelled(gate?.report.cancelled !== undefined);
  }
}

/** A signal in any phase fails the step and says so; a report that already says `cancelled` has its line. */
function failIfCancelled(reported: boolean): void {
  const signal = cancelledBy();
  if (signal !== undefined && !reported) core.setFailed(cancelledLate(signal, cancelledPhase()));
}

/**
 * Inputs → plan → runGate (or a shard's half of it, or `mode: report` over the shards' halves). Throws on bad
 * input; publishing is separate so it always happens after a run. A shard publishes nothing: undefined.
 */
async function measure(): Promise<
  ({ plan: Pick<Plan, 'mode' | 'report'>; settings: RunSettings } & GateResult) | undefined
> {
  const inputs = readActionInputs();
  const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
  const temp = join(process.env['RUNNER_TEMP'] || tmpdir(), 'wasm-perf-gate');
  const kind = actionKind(inputs);
  if (kind === 'report') {
    const given = readReportModeSettings(inputs, workspace, join(temp, 'report.json'));
    return { settings: given.settings, ...(await reportMode(given, workspace, temp)) };
  }
  if (kind === 'bisect') return void (await bisectMode(inputs, workspace, temp));
  const mode = resolveActionMode(inputs, context.eventName);
  const plan = await loadPlan(inputs, {
    workspace,
    mode,
    defaultJsonPath: join(temp, 'report.json'),
    warn: core.warning,
  });
  refuseUntrustedStore(plan, context.eventName);
  const store = plan.baseline.path
    ? fileStore(plan.baseline.path)
    : actionsCacheStore(plan.baseline.cacheKeyPrefix, process.env['GITHUB_RUN_ID'], plan.baseline.cacheTimeoutMs);
  const io: GateIO = {
    log: core.info,
    warn: core.warning,
    loadBaseline: () => store.load(),
    saveBaseline: (doc) => store.save(doc),
    tempDir: temp,
    reproduce: reproduceCommand(plan.settings, plan.mode),
    context: { commit: context.sha, ref: context.ref, runId: process.env['GITHUB_RUN_ID'] },
    resolve: { actionsCache: true, githubToken: plan.settings.token },
    ...(plan.baseline.historyBranch
      ? {
          history: historyStoreFor(plan.settings, plan.baseline.historyBranch, {
            platform: runnerPlatform(),
            tempDir: temp,
            commit: context.sha,
          }),
        }
      : {}),
    progress: {
      onCellStart: (job, i, n) =>
        core.info(`[${i + 1}/${n}] ${job.bench.id} on ${job.runtime.id}${sideBySideLabel(job)}`),
    },
  };
  if (plan.shard) return void (await shardMode({ ...plan, shard: plan.shard }, io));
  return { plan, settings: plan.settings, ...(await runGate(plan, io)) };
}
