import { defaultModeForEvent } from './event.js';
import { InputError } from '../model/input-error.js';
import type { Mode } from '../model/plan.js';

/** `auto` picks by event: push/schedule/workflow_dispatch refresh the baseline, everything else compares. */
export function resolveMode(input: string, eventName: string | undefined): Mode {
  if (input === 'compare' || input === 'baseline') return input;
  if (input !== 'auto') throw new InputError('mode', `unknown mode '${input}'`, "Use 'auto', 'compare' or 'baseline'.");
  return eventName ? defaultModeForEvent(eventName) : 'compare';
}
