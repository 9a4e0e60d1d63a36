import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultModeForEvent } from './event.js';
import type { RawInputs } from './inputs.js';
import { InputError } from '../model/input-error.js';
import type { Mode } from '../model/plan.js';

/** `auto` picks by event: push/schedule/workflow_dispatch refresh the baseline, everything else compares. */
export function resolveMode(input: string, eventName: string | undefined): Mode {
  if (input === 'compare' || input === 'baseline') return input;
  if (input !== 'auto') throw new InputError('mode', `unknown mode '${input}'`, "Use 'auto', 'compare' or 'baseline'.");
  return eventName ? defaultModeForEvent(eventName) : 'compare';
}

/** The `mode` input resolved for the event: compare or baseline. */
export function resolveActionMode(inputs: Pick<RawInputs, 'mode'>, eventName: string | undefined): Mode {
  return resolveMode(inputs.mode, eventName);
}

/** What the action's step does: one of the two side modes, or the gate (compare/baseline, possibly a shard). */
export function actionKind(inputs: Pick<RawInputs, 'mode'>): 'report' | 'bisect' | 'gate' {
  return inputs.mode === 'report' || inputs.mode === 'bisect' ? inputs.mode : 'gate';
}

/** The CLI's `run`: compare when there is a baseline to compare with (the file, or a merge-base build), else make one. */
export function cliRunMode(inputs: Pick<RawInputs, 'baseline-path' | 'baseline-artifacts'>, workspace: string): Mode {
  return existsSync(resolve(workspace, inputs['baseline-path'])) || inputs['baseline-artifacts']
    ? 'compare'
    : 'baseline';
}
