// The GitHub Action entry: inputs and event → runGate → publish (JSON, outputs, verdict, summary, comment).
import * as core from '@actions/core';
import { context } from '@actions/github';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { actionsCacheStore, fileStore } from './baseline/store.js';
import { readInputs, type RawInputs } from './config/inputs.js';
import { loadPlan } from './config/load-plan.js';
import { resolveMode } from './config/mode.js';
import type { Plan } from './config/types.js';
import { publish } from './github/publish.js';
import { reproduceCommand } from './report/reproduce.js';
import { runGate, type GateResult } from './run-gate.js';

export async function run(): Promise<void> {
  let gate: { plan: Plan; inputs: RawInputs } & GateResult;
  try {
    gate = await measure();
  } catch (e) {
    core.setFailed(e instanceof Error ? e.message : String(e));
    return;
  }
  await publish(gate);
}

/** Inputs → plan → runGate. Throws on bad input; publishing is separate so it always happens after a run. */
async function measure(): Promise<{ plan: Plan; inputs: RawInputs } & GateResult> {
  const inputs = readInputs((name) => core.getInput(name));
  const workspace = process.env['GITHUB_WORKSPACE'] || process.cwd();
  const temp = join(process.env['RUNNER_TEMP'] || tmpdir(), 'wasm-perf-gate');
  const mode = resolveMode(inputs.mode, context.eventName);
  const plan = await loadPlan(inputs, { workspace, mode, defaultJsonPath: join(temp, 'report.json') });
  const store = plan.baseline.path
    ? fileStore(plan.baseline.path)
    : actionsCacheStore(plan.baseline.cacheKeyPrefix, process.env['GITHUB_RUN_ID']);
  const result = await runGate(plan, {
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
  return { plan, inputs, ...result };
}
