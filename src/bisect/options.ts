// The bisection's inputs, shared by the action and the CLI: checked once, each problem naming its input.
import type { BaselineStore } from '../baseline/store.js';
import { InputError } from '../config/input-error.js';
import { splitList, type RawInputs } from '../config/inputs.js';
import { parseAlpha, positiveDuration } from '../config/threshold.js';
import { DEFAULT_ALPHA } from '../compare/compare.js';
import { newestChangePointRange } from './default-range.js';
import type { BisectOptions } from './run-bisect.js';

/**
 * `bisect-good` / `bisect-bad`, or the newest change point's range from the stored history (`store`) when
 * both are empty; `log` says where a default came from.
 */
export async function bisectOptions(
  inputs: RawInputs,
  store: BaselineStore | undefined,
  log: (m: string) => void,
): Promise<BisectOptions> {
  if (!inputs.build) {
    throw new InputError(
      'build',
      'is empty',
      'Give the command that builds the artifacts at a commit, e.g. `make wasm`.',
    );
  }
  let good = inputs['bisect-good'];
  let bad = inputs['bisect-bad'];
  if (!good || !bad) {
    const loaded = store && (await store.load());
    const range = newestChangePointRange(loaded?.doc?.history);
    if (!range) {
      throw new InputError(
        good ? 'bisect-bad' : 'bisect-good',
        'is empty and the stored history has no change point to take the range from',
        'Give both bisect-good (last known good commit) and bisect-bad (first known bad commit).',
      );
    }
    log(`bisect: the range of ${range.from}`);
    good ||= range.good;
    bad ||= range.bad;
  }
  return {
    good,
    bad,
    build: inputs.build,
    buildTimeoutMs: positiveDuration(inputs['build-timeout'], 'build-timeout', '15m'),
    cells: splitList(inputs['bisect-cells']),
    alpha: inputs.alpha ? parseAlpha(inputs.alpha, 'alpha') : DEFAULT_ALPHA,
  };
}
