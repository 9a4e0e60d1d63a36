// `mode: bisect`'s own inputs (the CLI's `bisect` flags) typed, each problem naming its input, and the plan of
// a probed commit's build: the bisection (bisect/) reads no raw input.
import { join, resolve } from 'node:path';
import { InputError } from '../model/input-error.js';
import type { Plan } from '../model/plan.js';
import { splitList, type RawInputs } from './inputs.js';
import { loadPlan } from './load-plan.js';
import { parseAlpha, positiveDuration } from './threshold.js';

export interface BisectInputs {
  /** `build`: the command that builds the artifacts at a commit */
  build: string;
  /** `bisect-good` / `bisect-bad`; undefined: taken from the stored history's newest change point */
  good?: string;
  bad?: string;
  buildTimeoutMs: number;
  /** `build-env`: further variable names (or `PREFIX_*`) the build gets */
  buildEnv: string[];
  /** `bisect-cells` */
  cells: string[];
  /** `alpha`; undefined: the verdicts' default */
  alpha?: number;
}

export function readBisectInputs(inputs: RawInputs): BisectInputs {
  if (!inputs.build) {
    throw new InputError(
      'build',
      'is empty',
      'Give the command that builds the artifacts at a commit, e.g. `make wasm`.',
    );
  }
  return {
    build: inputs.build,
    ...(inputs['bisect-good'] ? { good: inputs['bisect-good'] } : {}),
    ...(inputs['bisect-bad'] ? { bad: inputs['bisect-bad'] } : {}),
    buildTimeoutMs: positiveDuration(inputs['build-timeout'], 'build-timeout', '15m'),
    buildEnv: parseBuildEnv(inputs['build-env']),
    cells: splitList(inputs['bisect-cells']),
    ...(inputs.alpha ? { alpha: parseAlpha(inputs.alpha, 'alpha') } : {}),
  };
}

/** `build-env`: variable names (`NAME`, or `PREFIX_*`) the build gets on top of the allow-list. */
export function parseBuildEnv(value: string): string[] {
  const names = splitList(value)
    .map((s) => s.trim())
    .filter((s) => s !== '');
  for (const n of names) {
    if (!/^[A-Za-z_][A-Za-z0-9_]*\*?$/.test(n)) {
      throw new InputError(
        'build-env',
        `${JSON.stringify(n)} is not an environment variable name`,
        'List names like `NPM_CONFIG_REGISTRY` or prefixes like `MYTOOL_*`, one per line or comma-separated.',
      );
    }
  }
  return names;
}

/**
 * The plan of a build in `dir`, for each probed commit: its artifacts matched like the action's (throws an
 * InputError when none match); the config file is read from `workspace` (the one this workflow runs with).
 */
export function probePlanner(inputs: RawInputs, workspace: string, tempDir: string): (dir: string) => Promise<Plan> {
  const probe: RawInputs = {
    ...inputs,
    config: inputs.config ? resolve(workspace, inputs.config) : '',
    'baseline-path': '',
    'baseline-artifacts': '',
    'side-by-side': 'true',
    shard: '',
  };
  return (dir) => loadPlan(probe, { workspace: dir, mode: 'compare', defaultJsonPath: join(tempDir, 'report.json') });
}
