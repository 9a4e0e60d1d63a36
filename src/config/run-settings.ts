// The inputs every mode reaches beyond the measurements with (token, keys, history branch, the reproduce
// command's flags), typed once here so no later stage reads a raw input (issue 30: one door for inputs).
import type { ReportOptions, RunSettings } from '../model/plan.js';
import { historyGitOptions, parseHistoryOption } from './history-option.js';
import { INPUTS, type RawInputs } from './inputs.js';
import { cacheTimeoutMs, readReportOptions } from './report-options.js';
import { parseCount, positiveDuration } from './threshold.js';

/** Not part of a local run's command: secrets, the action-only switches, and where the baseline lives. */
const NOT_LOCAL = new Set(['github-token', 'comment', 'mode', 'report-json', 'baseline-key', 'baseline-path']);

export function readRunSettings(inputs: RawInputs): RunSettings {
  const historyBranch = parseHistoryOption(inputs.history);
  return {
    ...(inputs['github-token'] ? { token: inputs['github-token'] } : {}),
    baselineKey: inputs['baseline-key'],
    ...(inputs['baseline-path'] ? { baselinePath: inputs['baseline-path'] } : {}),
    // git-timeout and history-push-attempts are refused before measuring, not at the push
    ...(historyBranch ? { historyBranch, historyGit: historyGitOptions(inputs) } : {}),
    ...(inputs['run-id'] ? { runId: inputs['run-id'] } : {}),
    localFlags: INPUTS.filter(
      (d) => !NOT_LOCAL.has(d.name) && inputs[d.name] !== '' && inputs[d.name] !== d.default,
    ).map((d) => ({ name: d.name, value: inputs[d.name] })),
  };
}

/** `mode: report`'s inputs: no plan (the shards planned), the report options and the run settings. */
export interface ReportModeSettings {
  settings: RunSettings;
  report: ReportOptions;
  /** `cache-timeout`, read only when a baseline is saved to the Actions cache (a compare never needs it) */
  cacheTimeoutMs: () => number;
}

export function readReportModeSettings(
  inputs: RawInputs,
  workspace: string,
  defaultJsonPath: string,
): ReportModeSettings {
  const report = readReportOptions(inputs, workspace, defaultJsonPath);
  return { settings: readRunSettings(inputs), report, cacheTimeoutMs: () => cacheTimeoutMs(inputs) };
}

/** `mode: bisect`'s inputs beyond the bisection's own (bisect/options.ts): where the issue comment and baseline go. */
export interface BisectModeSettings {
  settings: RunSettings;
  /** `bisect-issue` */
  issue?: number;
  /** `api-timeout`, read only when commenting on `issue` */
  apiTimeoutMs: () => number;
  /** `cache-timeout`, read only when the Actions cache keeps the baseline */
  cacheTimeoutMs: () => number;
}

export function readBisectModeSettings(inputs: RawInputs): BisectModeSettings {
  return {
    settings: readRunSettings(inputs),
    ...(inputs['bisect-issue'] ? { issue: parseCount(inputs['bisect-issue'], 'bisect-issue', 1) } : {}),
    apiTimeoutMs: () => positiveDuration(inputs['api-timeout'], 'api-timeout', '10s'),
    cacheTimeoutMs: () => cacheTimeoutMs(inputs),
  };
}
