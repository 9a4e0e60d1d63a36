// Older baseline documents are lifted to the current version one step at a time,
// so a new version adds exactly one function here and nothing else changes.
import { v1ToV2 } from './migrate-v1.js';
import { BASELINE_VERSION } from './types.js';

export type RawDoc = Record<string, unknown>;

/** Turns a version-n document into a version-(n+1) one; `version` is set by `migrate`. */
export type Migration = (doc: RawDoc) => RawDoc;

/** MIGRATIONS[n] lifts version n to n + 1. */
export const MIGRATIONS: Readonly<Record<number, Migration>> = { 1: v1ToV2 };

/** `doc` (at version `from`) lifted to version `to`; throws when a step is missing (caller reports it). */
export function migrate(
  doc: RawDoc,
  from: number,
  to: number = BASELINE_VERSION,
  steps: Readonly<Record<number, Migration>> = MIGRATIONS,
): RawDoc {
  let current = doc;
  for (let v = from; v < to; v++) {
    const step = steps[v];
    if (!step) throw new Error(`no migration from baseline version ${v} to ${v + 1}`);
    current = { ...step(current), version: v + 1 };
  }
  return current;
}
