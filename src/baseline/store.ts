// The two places a baseline can live, behind one shape: a file (`baseline-path`) or the Actions cache.
import { restoreBaselineFromCache, saveBaselineToCache } from './cache-store.js';
import { loadBaselineFile, saveBaselineFile } from './file-store.js';
import type { BaselineDoc, BaselineLoad, BaselineSource } from './types.js';

export interface BaselineStore {
  load(): Promise<BaselineLoad>;
  save(doc: BaselineDoc): Promise<{ source: BaselineSource; warning?: string }>;
}

export function fileStore(path: string): BaselineStore {
  return {
    load: () => loadBaselineFile(path),
    save: async (doc) => {
      await saveBaselineFile(path, doc);
      return { source: { kind: 'file', location: path } };
    },
  };
}

export function actionsCacheStore(prefix: string, runId: string | undefined): BaselineStore {
  return {
    load: () => restoreBaselineFromCache(prefix),
    save: async (doc) => {
      const { key, warning } = await saveBaselineToCache(prefix, doc, runId);
      return { source: { kind: 'actions-cache', location: key ?? prefix }, warning };
    },
  };
}
