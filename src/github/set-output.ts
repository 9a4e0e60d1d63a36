// The one place that sets a step output: only names of the output table (report/outputs.ts), which also
// declares them in action.yml. The linter refuses core.setOutput anywhere else.
import * as core from '@actions/core';
import type { OutputName } from '../report/outputs.js';

export function setOutput(name: OutputName, value: string): void {
  core.setOutput(name, value);
}
