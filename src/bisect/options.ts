// The bisection's options, shared by the action and the CLI: the typed inputs (config/bisect-inputs.ts), with
// the range taken from the stored history when bisect-good / bisect-bad are empty.
import { runnerPlatform } from '../baseline/platform.js';
import type { BaselineStore } from '../baseline/store.js';
import { InputError } from '../model/input-error.js';
import type { BisectInputs } from '../config/bisect-inputs.js';
import { DEFAULT_ALPHA } from '../compare/compare.js';
import { historyStoreFor } from '../history/branch-setup.js';
import type { HistoryStore } from '../history/branch-store.js';
import { mergeHistories } from '../history/merge.js';
import type { CellHistory } from '../model/history.js';
import type { RunSettings } from '../model/plan.js';
import { newestChangePointRange } from './default-range.js';
import type { BisectOptions } from './run-bisect.js';

/** Where main's history is kept: the baseline document, and the `history: branch:NAME` file when there is one. */
export interface HistorySources {
  store?: BaselineStore;
  branch?: Pick<HistoryStore, 'read' | 'discard'>;
}

/** The baseline `store`, plus the `history: branch:NAME` file when the settings name one. */
export function historySources(settings: RunSettings, store: BaselineStore, tempDir: string): HistorySources {
  const branch = settings.historyBranch;
  if (!branch) return { store };
  return { store, branch: historyStoreFor(settings, branch, { platform: runnerPlatform(), tempDir }) };
}

/**
 * `bisect-good` / `bisect-bad`, or the newest change point's range from the stored history (both `sources`,
 * merged as a refresh merges them) when both are empty; `log` says where a default came from.
 */
export async function bisectOptions(
  given: BisectInputs,
  sources: HistorySources,
  io: { log: (m: string) => void; warn: (m: string) => void },
): Promise<BisectOptions> {
  let good = given.good;
  let bad = given.bad;
  if (!good || !bad) {
    const range = newestChangePointRange(await storedHistory(sources, io.warn));
    if (!range) {
      throw new InputError(
        good ? 'bisect-bad' : 'bisect-good',
        `is empty and the stored history (${sources.branch ? 'the baseline and the history branch' : 'the baseline'}) has no change point to take the range from`,
        'Give both bisect-good (last known good commit) and bisect-bad (first known bad commit).',
      );
    }
    io.log(`bisect: the range of ${range.from}`);
    good ||= range.good;
    bad ||= range.bad;
  }
  return {
    good,
    bad,
    build: given.build,
    buildTimeoutMs: given.buildTimeoutMs,
    buildEnv: given.buildEnv,
    cells: given.cells,
    alpha: given.alpha ?? DEFAULT_ALPHA,
  };
}

/** The baseline document's history merged with the branch's (which outlives the cache's eviction). */
async function storedHistory(sources: HistorySources, warn: (m: string) => void): Promise<CellHistory[]> {
  const loaded = sources.store && (await sources.store.load());
  const branch = sources.branch && (await sources.branch.read());
  sources.branch?.discard(); // read only: a bisection never writes the history
  if (branch?.warning) warn(branch.warning);
  return mergeHistories(loaded?.doc?.history ?? [], branch?.history ?? []);
}
