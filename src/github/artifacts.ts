// Partial reports as workflow-run artifacts, through the real @actions/artifact: a shard uploads one JSON
// file; the report job lists the run's artifacts (this run via the runtime token, another run via the REST
// API and `actions: read`), refuses oversized ones from the listing, and downloads the rest under the cap
// (artifact-download.ts: the library cannot stop a download part-way).
import { DefaultArtifactClient, type Artifact, type FindOptions } from '@actions/artifact';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { downloadCapped } from './artifact-download.js';
import { isZip, oneZipEntry } from './one-zip-entry.js';

const client = new DefaultArtifactClient();

/**
 * `wasm-perf-gate-partial-<key>-<os>-<arch>-<k>-of-<n>.json`: the key keeps two gates in one workflow apart,
 * the platform the shards of a platform matrix (each platform is its own set of cells).
 */
export function partialArtifactName(key: string, platform: string, index: number, count: number): string {
  return `${artifactKey(key)}-${platform}-${index}-of-${count}.json`;
}

function artifactKey(key: string): string {
  return `wasm-perf-gate-partial-${key.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 100)}`;
}

export async function uploadPartial(name: string, text: string, dir: string): Promise<{ id?: number; size?: number }> {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  // One JSON file, stored as is (no zip): the report job reads it with no archive code in between.
  const r = await client.uploadArtifact(name, [file], dir, { skipArchive: true, retentionDays: 7 });
  return { id: r.id, size: r.size };
}

export interface RemoteRun {
  runId: number;
  owner: string;
  repo: string;
  token: string;
}

export interface FoundPartial {
  name: string;
  /** `os-arch` from the name (absent in names of older versions) */
  platform?: string;
  index: number;
  count: number;
  /** the bytes, when within the cap */
  bytes?: Buffer;
  /** why it was not read */
  problem?: string;
}

/** The partial reports of this run (or `remote`), each downloaded when its listed size is within `maxBytes`. */
export async function downloadPartials(key: string, maxBytes: number, remote?: RemoteRun): Promise<FoundPartial[]> {
  const findBy: FindOptions['findBy'] | undefined = remote && {
    token: remote.token,
    workflowRunId: remote.runId,
    repositoryOwner: remote.owner,
    repositoryName: remote.repo,
  };
  const { artifacts } = await client.listArtifacts({ latest: true, ...(findBy ? { findBy } : {}) });
  const prefix = artifactKey(key);
  const out: FoundPartial[] = [];
  for (const a of artifacts) {
    const m = matchName(a, prefix);
    if (!m) continue;
    if (a.size > maxBytes) {
      out.push({
        ...m,
        problem: `artifact ${m.name} is ${mib(a.size)}, over the ${mib(maxBytes)} limit of a partial report: refused unread`,
      });
      continue;
    }
    // In memory and capped as the bytes arrive: the listed size is only the uploader's word.
    const got = await downloadCapped(a.id, a.name, maxBytes, remote);
    if ('overCap' in got) {
      out.push({
        ...m,
        problem: `artifact ${m.name} is more than the ${mib(maxBytes)} limit of a partial report (listed as ${sizeText(a.size)}): the download was stopped there, nothing was written to disk: refused`,
      });
    } else if ('error' in got) {
      out.push({ ...m, problem: `artifact ${m.name} could not be downloaded: ${got.error}` });
    } else {
      out.push({ ...m, ...readOne(got.bytes, m.name, maxBytes) });
    }
  }
  return out;
}

function matchName(
  a: Artifact,
  prefix: string,
): { name: string; platform?: string; index: number; count: number } | undefined {
  if (!a.name.startsWith(`${prefix}-`)) return undefined;
  const m = /^(?:([a-z0-9_]{1,20}-[a-z0-9_]{1,20})-)?(\d{1,3})-of-(\d{1,3})\.json$/.exec(
    a.name.slice(prefix.length + 1),
  );
  if (!m) return undefined;
  return { name: a.name, ...(m[1] ? { platform: m[1] } : {}), index: Number(m[2]), count: Number(m[3]) };
}

/** The report's bytes: as stored, or the one file of a zip, unpacked in memory under the cap. */
function readOne(bytes: Buffer, name: string, maxBytes: number): { bytes?: Buffer; problem?: string } {
  if (!isZip(bytes)) return { bytes };
  const entry = oneZipEntry(bytes, maxBytes);
  if (entry.bytes) return { bytes: entry.bytes };
  return {
    problem: `artifact ${name} is a zip archive that ${entry.problem}; a partial report is one JSON file of at most ${mib(maxBytes)}: refused, nothing was unpacked to disk`,
  };
}

function sizeText(bytes: number): string {
  return bytes < 2 ** 20 ? `${(bytes / 1024).toFixed(1)} KiB` : mib(bytes);
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
