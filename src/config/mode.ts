import { defaultModeForEvent } from '../github/event.js';
import { InputError } from './input-error.js';
import type { Mode } from './types.js';

/** `auto` picks by event: push/schedule/workflow_dispatch refresh the baseline, everything else compares. */
export function resolveMode(input: string, eventName: string | undefined): Mode {
  if (input === 'compare' || input === 'baseline') return input;
  if (input !== 'auto') throw new InputError('mode', `unknown mode '${input}'`, "Use 'auto', 'compare' or 'baseline'.");
  return eventName ? defaultModeForEvent(eventName) : 'compare';
}
