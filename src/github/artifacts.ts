// Partial reports as workflow-run artifacts, through the real @actions/artifact: a shard uploads one JSON
// file; the report job lists the run's artifacts (this run via the runtime token, another run via the REST
// API and `actions: read`), refuses oversized ones from the listing, and downloads the rest.
import { DefaultArtifactClient, type Artifact, type FindOptions } from '@actions/artifact';
import { mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
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
export async function downloadPartials(
  key: string,
  dir: string,
  maxBytes: number,
  remote?: RemoteRun,
): Promise<FoundPartial[]> {
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
    const path = join(dir, `shard-${m.index}-${a.id}`);
    try {
      // as stored, never unpacked by the library: a zip is read by oneZipEntry under the cap, in memory
      await client.downloadArtifact(a.id, { path, skipDecompress: true, ...(findBy ? { findBy } : {}) });
      out.push({ ...m, ...(await readOne(path, m.name, maxBytes)) });
    } finally {
      rmSync(path, { recursive: true, force: true });
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

/**
 * The one regular file the download wrote (unzipped when it is a zip); the listing's size is the uploader's
 * word, so check again, and the unpacked size while unpacking.
 */
async function readOne(dir: string, name: string, maxBytes: number): Promise<{ bytes?: Buffer; problem?: string }> {
  const files = readdirSync(dir).filter((f) => statSync(join(dir, f)).isFile());
  if (files.length !== 1)
    return { problem: `artifact ${name} holds ${files.length} files, a partial report is one JSON file: refused` };
  const size = statSync(join(dir, files[0]!)).size;
  if (size > maxBytes)
    return {
      problem: `artifact ${name} is ${mib(size)}, over the ${mib(maxBytes)} limit of a partial report: refused`,
    };
  const bytes = readFileSync(join(dir, files[0]!));
  if (!isZip(bytes)) return { bytes };
  const entry = oneZipEntry(bytes, maxBytes);
  if (entry.bytes) return { bytes: entry.bytes };
  return {
    problem: `artifact ${name} is a zip archive that ${entry.problem}; a partial report is one JSON file of at most ${mib(maxBytes)}: refused, nothing was unpacked to disk`,
  };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
