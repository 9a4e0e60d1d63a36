// The two places a baseline can live, behind one shape: a file (`baseline-path`) or the Actions cache.
import { InputError } from '../model/input-error.js';
import { restoreBaselineFromCache, saveBaselineToCache } from './cache-store.js';
import { loadBaselineFile, saveBaselineFile } from './file-store.js';
import { oneLine } from './one-line.js';
import type { Platform } from './platform.js';
import type { BaselineDoc, BaselineLoad, BaselineSource } from './types.js';

export interface BaselineStore {
  load(): Promise<BaselineLoad>;
  save(doc: BaselineDoc): Promise<{ source: BaselineSource; warning?: string }>;
}

/**
 * `input` names the setting the path came from, for the error line when saving fails; `refresh` is the advice
 * for a baseline that cannot be read (the CLI's names its own command).
 */
export function fileStore(path: string, input = 'baseline-path', refresh?: string): BaselineStore {
  return {
    load: () => loadBaselineFile(path, refresh),
    save: async (doc) => {
      try {
        await saveBaselineFile(path, doc);
      } catch (e) {
        throw new InputError(input, oneLine(e), `Point ${input} at a file in a folder this job can create and write.`);
      }
      return { source: { kind: 'file', location: path } };
    },
  };
}

/**
 * `timeoutMs` bounds each cache operation: a service that never answers costs that, then a warning.
 * `platform`: whose baseline is saved, when not this runner's (a report job saving its shards' figures).
 */
export function actionsCacheStore(
  prefix: string,
  runId: string | undefined,
  timeoutMs?: number,
  platform?: Platform,
): BaselineStore {
  return {
    load: () => restoreBaselineFromCache(prefix, process.env, timeoutMs),
    save: async (doc) => {
      const { key, warning } = await saveBaselineToCache(prefix, doc, runId, {
        ...(timeoutMs === undefined ? {} : { timeoutMs }),
        ...(platform ? { platform } : {}),
      });
      return { source: { kind: 'actions-cache', location: key ?? prefix }, warning };
    },
  };
}
