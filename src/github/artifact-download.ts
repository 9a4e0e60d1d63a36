// One artifact's bytes, in memory, never more than a cap: a fork writes partial reports, and the listing's size
// is the uploader's word. @actions/artifact writes the whole blob to disk before anyone can look at its size
// (and cannot be stopped mid-way), so the download itself is done here, the way the library does it: the
// signed blob URL from the artifact service (this run) or the REST API's 302 (another run), then one GET whose
// bytes are counted as they arrive and cut off past the cap.
import { getOctokit } from '@actions/github';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import { withRetries } from '../process/time-limit.js';

/** An idle blob connection is given up after this long (the library's own chunk timeout). */
const IDLE_MS = 30_000;
const SERVICE = 'twirp/github.actions.results.api.v1.ArtifactService/';

export interface OtherRun {
  runId: number;
  owner: string;
  repo: string;
  token: string;
}

export type Capped = { bytes: Buffer } | { overCap: true } | { error: string };

/** Artifact `id` (`name`) of this run, or of `remote`, when it is at most `maxBytes`. */
export async function downloadCapped(id: number, name: string, maxBytes: number, remote?: OtherRun): Promise<Capped> {
  let url: string;
  try {
    url = remote ? await restUrl(id, remote) : await signedUrl(id, name);
  } catch (e) {
    return { error: `cannot get its download URL (${e instanceof Error ? e.message : String(e)})` };
  }
  // one retry, at once: a blob connection that broke or went idle
  return withRetries(
    2,
    () => fetchCapped(url, maxBytes),
    () => 0,
  ).catch((e: unknown) => ({
    error: e instanceof Error ? e.message : String(e),
  }));
}

async function fetchCapped(url: string, maxBytes: number): Promise<Capped> {
  const client = new HttpClient('wasm-perf-gate', [], { allowRetries: false, socketTimeout: IDLE_MS });
  const response: HttpClientResponse = await client.get(url);
  const message = response.message;
  if (message.statusCode !== 200) {
    message.destroy();
    throw new Error(`HTTP ${message.statusCode ?? 0} from blob storage`);
  }
  const announced = Number(message.headers['content-length']);
  if (Number.isFinite(announced) && announced > maxBytes) {
    message.destroy();
    return { overCap: true };
  }
  return new Promise<Capped>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const idle = setTimeout(() => message.destroy(new Error(`no data for ${IDLE_MS / 1000} s`)), IDLE_MS);
    message.on('data', (chunk: Buffer) => {
      idle.refresh();
      seen += chunk.length;
      if (seen > maxBytes) {
        clearTimeout(idle);
        message.destroy();
        chunks.length = 0;
        resolve({ overCap: true });
        return;
      }
      chunks.push(chunk);
    });
    message.on('end', () => {
      clearTimeout(idle);
      resolve({ bytes: Buffer.concat(chunks) });
    });
    message.on('error', (e) => {
      clearTimeout(idle);
      reject(e);
    });
  });
}

/** Another run's artifact: the REST API answers with a 302 to the blob. */
async function restUrl(id: number, run: OtherRun): Promise<string> {
  const api = getOctokit(run.token);
  const r = await api.rest.actions.downloadArtifact({
    owner: run.owner,
    repo: run.repo,
    artifact_id: id,
    archive_format: 'zip',
    request: { redirect: 'manual' },
  });
  const location = (r.headers as { location?: string }).location;
  if (r.status !== 302 || !location) throw new Error(`HTTP ${r.status} without a redirect`);
  return location;
}

/** This run's artifact: the artifact service signs a blob URL (the runtime token names the run's backend ids). */
async function signedUrl(id: number, name: string): Promise<string> {
  const token = process.env['ACTIONS_RUNTIME_TOKEN'] ?? '';
  const base = process.env['ACTIONS_RESULTS_URL'] ?? '';
  if (!token || !base) throw new Error('ACTIONS_RUNTIME_TOKEN or ACTIONS_RESULTS_URL is not set');
  const ids = backendIds(token);
  const { artifacts } = (await twirp(base, token, 'ListArtifacts', {
    workflow_run_backend_id: ids.run,
    workflow_job_run_backend_id: ids.job,
    id_filter: String(id),
  })) as { artifacts?: { workflow_run_backend_id: string; workflow_job_run_backend_id: string; name: string }[] };
  const found = artifacts?.find((a) => a.name === name) ?? artifacts?.[0];
  if (!found) throw new Error(`artifact ${id} not found`);
  const { signed_url } = (await twirp(base, token, 'GetSignedArtifactURL', {
    workflow_run_backend_id: found.workflow_run_backend_id,
    workflow_job_run_backend_id: found.workflow_job_run_backend_id,
    name: found.name,
  })) as { signed_url?: string };
  if (!signed_url) throw new Error('the artifact service gave no URL');
  return signed_url;
}

async function twirp(base: string, token: string, method: string, body: object): Promise<unknown> {
  const client = new HttpClient('wasm-perf-gate', [], { allowRetries: false, socketTimeout: IDLE_MS });
  const url = new URL(SERVICE + method, base.endsWith('/') ? base : `${base}/`).toString();
  const r = await client.post(url, JSON.stringify(body), {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
  });
  const text = await r.readBody();
  if (r.message.statusCode !== 200) throw new Error(`${method}: HTTP ${r.message.statusCode ?? 0}`);
  return JSON.parse(text) as unknown;
}

/** `Actions.Results:<run>:<job>` from the token's `scp` claim (the JWT is read, not verified: the service does that). */
function backendIds(token: string): { run: string; job: string } {
  const payload = token.split('.')[1] ?? '';
  const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { scp?: string };
  for (const scope of (claims.scp ?? '').split(' ')) {
    const parts = scope.split(':');
    if (parts[0] === 'Actions.Results' && parts.length === 3) return { run: parts[1]!, job: parts[2]! };
  }
  throw new Error('the runtime token names no Actions.Results scope');
}
