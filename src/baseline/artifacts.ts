// The baseline's own .wasm bytes, so a PR job can re-measure them beside the candidate.
import type { BaselineDoc, BaselineEntry } from './types.js';

/** The bytes of the artifact `entry` was measured on (the document is validated: the sha256 is present). */
export function artifactFor(doc: BaselineDoc, entry: BaselineEntry): Uint8Array {
  const stored = doc.artifacts[entry.artifactSha256];
  if (!stored) {
    throw new Error(`baseline has no artifact ${entry.artifactSha256} for ${entry.benchmark} on ${entry.runtime}`);
  }
  return new Uint8Array(Buffer.from(stored.base64, 'base64'));
}
