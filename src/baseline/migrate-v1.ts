// Baseline version 1 → 2: version 2 adds `history`. A v1 document becomes the first point of
// every cell's history, so upgrading loses nothing. Runs before validation: shapes are checked
// defensively and anything odd simply starts with no history (validation then reports the real problem).
import type { BaselineDoc } from './types.js';
import { appendHistory } from './append-history.js';
import { cellKey } from './build.js';

export function v1ToV2(doc: Record<string, unknown>): Record<string, unknown> {
  try {
    const v1 = doc as unknown as BaselineDoc;
    const fresh = new Set(v1.entries.map((e) => cellKey(e.benchmark, e.runtime)));
    return { ...doc, history: appendHistory({ doc: v1, fresh }) };
  } catch {
    return { ...doc, history: [] };
  }
}
