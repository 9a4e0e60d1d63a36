// The action's one door for inputs: every core.getInput call is here (the linter refuses it elsewhere).
import * as core from '@actions/core';
import { readInputs, type RawInputs } from './inputs.js';

/** Every input of the action's step, with the defaults of the input table filled in. */
export function readActionInputs(): RawInputs {
  return readInputs((name) => core.getInput(name));
}
