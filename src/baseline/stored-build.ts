// `under-test` runtimes: the build main's trusted refresh stores with the baseline, and what a PR does with it.
// A stored build is executable code that came out of a cache: it is written to a private directory and run only
// after the bytes on disk hash to the sha256 main recorded (SECURITY.md, "Runtime builds stored with the baseline").
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { STORED_RUNTIME_MAX_BYTES, type StoredRuntime } from '../baseline/types.js';
import { InputError } from '../model/input-error.js';
import type { RuntimeRef } from '../model/plan.js';

const MIB = 1024 * 1024;

/** The build to store: bounded in size (an error naming the entry and the bound), hashed. */
export function buildToStore(
  ref: RuntimeRef,
  exe: string,
  version: string,
  maxBytes = STORED_RUNTIME_MAX_BYTES,
): StoredRuntime {
  const size = statSync(exe).size;
  if (size > maxBytes)
    throw new InputError(
      'under-test',
      `${ref.id}: the build at ${ref.path ?? exe} is ${(size / MIB).toFixed(1)} MiB, over the ${(maxBytes / MIB).toFixed(0)} MiB bound of a runtime stored with the baseline`,
      'Store a stripped release build (strip, no debug info), or compare two builds made in one job with `baseline-path`.',
    );
  const bytes = readFileSync(exe);
  return {
    name: ref.name,
    version,
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    base64: bytes.toString('base64'),
  };
}

/**
 * Writes a stored build to a new private directory under `tempDir` and checks it there: the file is returned
 * only when its bytes hash to the stored sha256 (and match the stored size); otherwise it is deleted and the
 * reason returned. Nothing here runs it.
 */
export function restoreStoredBuild(
  key: string,
  stored: StoredRuntime,
  tempDir: string,
): { exe: string } | { refused: string } {
  const bytes = Buffer.from(stored.base64, 'base64');
  const dir = mkdtempSync(join(tempDir, 'stored-runtime-'));
  const exe = join(dir, stored.name.replace(/[^A-Za-z0-9_.-]/g, '_') || 'runtime');
  writeFileSync(exe, bytes, { mode: 0o700 });
  const onDisk = readFileSync(exe);
  const digest = createHash('sha256').update(onDisk).digest('hex');
  if (digest !== stored.sha256 || onDisk.length !== stored.size) {
    rmSync(dir, { recursive: true, force: true });
    return {
      refused: `the stored build of ${key} was refused and not run: its bytes hash to ${digest} (${onDisk.length} bytes), but main stored sha256 ${stored.sha256} (${stored.size} bytes)`,
    };
  }
  chmodSync(exe, 0o700);
  return { exe };
}

/** The events whose runs may store a runtime build that PRs later execute: the repository's own, never a PR's. */
const TRUSTED_EVENTS = ['push', 'schedule', 'workflow_dispatch'];

/**
 * A refresh that would store an `under-test` build is refused on any other event: a `pull_request_target` job,
 * for one, runs in the base branch's cache scope, so what it stored would be restored (and run) by later PRs.
 */
export function refuseUntrustedStore(
  plan: { mode: string; runtimes: readonly RuntimeRef[] },
  eventName: string | undefined,
): void {
  if (plan.mode !== 'baseline' || eventName === undefined || TRUSTED_EVENTS.includes(eventName)) return;
  const ids = plan.runtimes.filter((r) => r.underTest).map((r) => r.id);
  if (ids.length === 0) return;
  throw new InputError(
    'mode',
    `a baseline refresh on a ${eventName} event would store the build of ${ids.join(', ')} (under-test), which later PRs execute`,
    'Refresh the baseline only on push to main, schedule or workflow_dispatch (mode: auto does), never on a PR event.',
  );
}
