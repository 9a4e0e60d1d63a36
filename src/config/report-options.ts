// The report-side inputs (comment, check run, what fails the job, where the JSON goes): shared by a
// measuring job's plan and by `mode: report`, which has no artifacts to plan.
import type { RawInputs } from './inputs.js';
import { resolve } from 'node:path';
import { InputError } from '../model/input-error.js';
import { parseAlpha, parseBool, positiveDuration } from './threshold.js';
import type { OnChangePoint, ReportOptions, TrendScope } from '../model/plan.js';

export function readReportOptions(inputs: RawInputs, workspace: string, defaultJsonPath: string): ReportOptions {
  return {
    comment: parseBool(inputs.comment, 'comment'),
    checkRun: parseBool(inputs['check-run'], 'check-run'),
    onChangePoint: parseOnChangePoint(inputs['on-change-point']),
    trend: parseTrend(inputs.trend),
    failOnRegression: parseBool(inputs['fail-on-regression'], 'fail-on-regression'),
    failOnInconclusive: parseBool(inputs['fail-on-inconclusive'], 'fail-on-inconclusive'),
    failOnLikelyRegression: parseBool(inputs['fail-on-likely-regression'], 'fail-on-likely-regression'),
    alpha: parseAlpha(inputs.alpha, 'alpha'),
    jsonPath: inputs['report-json'] ? resolve(workspace, inputs['report-json']) : defaultJsonPath,
    apiTimeoutMs: positiveDuration(inputs['api-timeout'], 'api-timeout', '10s'),
  };
}

/** The `cache-timeout` input in ms: shared by a measuring job's plan and by `mode: report`. */
export const cacheTimeoutMs = (inputs: RawInputs): number =>
  positiveDuration(inputs['cache-timeout'], 'cache-timeout', '60s');

function parseOnChangePoint(value: string): OnChangePoint {
  const allowed: OnChangePoint[] = ['none', 'warn', 'fail', 'issue'];
  if ((allowed as string[]).includes(value)) return value as OnChangePoint;
  throw new InputError('on-change-point', `unknown value '${value}'`, `Use one of: ${allowed.join(', ')}.`);
}

function parseTrend(value: string): TrendScope {
  const allowed: TrendScope[] = ['changed', 'all', 'none'];
  if ((allowed as string[]).includes(value)) return value as TrendScope;
  throw new InputError('trend', `unknown value '${value}'`, `Use one of: ${allowed.join(', ')}.`);
}
