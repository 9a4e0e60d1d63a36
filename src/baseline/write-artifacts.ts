// Writes the baseline's artifacts back to disk for side-by-side re-measurement.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { BaselineDoc } from './types.js';

/**
 * Each artifact to `dir/<sha256>/<original file name>` (one folder per content, so two
 * artifacts with the same name never collide). Returns sha256 → absolute path.
 */
export function writeBaselineArtifacts(doc: BaselineDoc, dir: string): Map<string, string> {
  const written = new Map<string, string>();
  for (const [sha256, a] of Object.entries(doc.artifacts)) {
    const folder = join(resolve(dir), sha256);
    mkdirSync(folder, { recursive: true });
    const file = join(folder, safeName(a.path));
    writeFileSync(file, Buffer.from(a.base64, 'base64'));
    written.set(sha256, file);
  }
  return written;
}

/** The stored path's file name, never one that climbs out of its folder. */
function safeName(storedPath: string): string {
  const name = basename(storedPath.replaceAll('\\', '/'));
  return name === '' || name === '.' || name === '..' ? 'artifact.wasm' : name;
}
