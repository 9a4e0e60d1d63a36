// A local stand-in for the Actions artifact service (v4+): the twirp ArtifactService the real
// @actions/artifact calls at ACTIONS_RESULTS_URL, and the signed blob URLs it hands out, which the library
// (through @azure/storage-blob) fills with block-blob PUTs (comp=block, then comp=blocklist) and reads with GET.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StoredArtifact {
  id: number;
  runId: string;
  jobId: string;
  name: string;
  size: number;
  finalized: boolean;
  bytes?: Buffer;
  blocks: Map<string, Buffer>;
  contentType?: string;
  createdAt: string;
}

export interface ArtifactServer {
  /** ACTIONS_RESULTS_URL */
  url: string;
  artifacts: StoredArtifact[];
  /** twirp method names and blob operations, in order */
  calls: string[];
  /** an ACTIONS_RUNTIME_TOKEN (unsigned JWT) whose scope names this run and job, as the runner's does */
  tokenFor(runId: string, jobId: string): string;
  /** signed download URL of a finalized artifact (what the REST `.../zip` endpoint redirects to) */
  downloadUrl(id: number): string | undefined;
  /** store an artifact directly, as if some job had uploaded it (tampered reports in tests) */
  put(runId: string, name: string, bytes: Buffer): StoredArtifact;
  close(): Promise<void>;
}

const SERVICE = '/twirp/github.actions.results.api.v1.ArtifactService/';

export async function startArtifactServer(): Promise<ArtifactServer> {
  const artifacts: StoredArtifact[] = [];
  const calls: string[] = [];
  let base = '';
  const blobUrl = (a: StoredArtifact) => `${base}/store/artifacts/${a.id}?sig=test-signature&se=2099-01-01`;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', base);
    const body = await readBody(req);
    if (url.pathname.startsWith(SERVICE) && req.method === 'POST') {
      const method = url.pathname.slice(SERVICE.length);
      calls.push(method);
      if (!/^Bearer \S+/.test(req.headers.authorization ?? ''))
        return json(res, 401, { code: 'unauthenticated', msg: 'no token' });
      return twirp(res, method, JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>);
    }
    const blob = /^\/store\/artifacts\/(\d+)$/.exec(url.pathname);
    if (blob) {
      const a = artifacts.find((x) => x.id === Number(blob[1]));
      if (!a || url.searchParams.get('sig') !== 'test-signature') return xmlError(res, 403, 'AuthenticationFailed');
      return blobOp(req, res, url, a, body);
    }
    return json(res, 404, { msg: `no route ${req.method} ${url.pathname}` });
  };

  const twirp = (res: ServerResponse, method: string, b: Record<string, unknown>): void => {
    const runId = runOf(String(b['workflow_run_backend_id'] ?? ''));
    const jobId = String(b['workflow_job_run_backend_id'] ?? '');
    const name = String(b['name'] ?? '');
    switch (method) {
      case 'CreateArtifact': {
        if (artifacts.some((a) => a.runId === runId && a.name === name && a.finalized)) {
          return json(res, 409, {
            code: 'already_exists',
            msg: 'an artifact with this name already exists on the workflow run',
          });
        }
        const a: StoredArtifact = {
          id: artifacts.length + 1,
          runId,
          jobId,
          name,
          size: 0,
          finalized: false,
          blocks: new Map(),
          createdAt: new Date().toISOString(),
        };
        artifacts.push(a);
        return json(res, 200, { ok: true, signed_upload_url: blobUrl(a) });
      }
      case 'FinalizeArtifact': {
        const a = artifacts.find((x) => x.runId === runId && x.name === name && !x.finalized);
        if (!a?.bytes) return json(res, 404, { code: 'not_found', msg: 'nothing uploaded for this artifact' });
        if (Number(b['size']) !== a.bytes.length)
          return json(res, 400, {
            code: 'invalid_argument',
            msg: `size ${String(b['size'])} but ${a.bytes.length} bytes were uploaded`,
          });
        a.finalized = true;
        a.size = a.bytes.length;
        return json(res, 200, { ok: true, artifact_id: String(a.id) });
      }
      case 'ListArtifacts': {
        const idFilter = (b['id_filter'] as string | undefined) ?? undefined;
        const nameFilter = (b['name_filter'] as string | undefined) ?? undefined;
        const found = artifacts.filter(
          (a) =>
            a.finalized &&
            a.runId === runId &&
            (idFilter === undefined || String(a.id) === String(idFilter)) &&
            (nameFilter === undefined || a.name === nameFilter),
        );
        return json(res, 200, {
          artifacts: found.map((a) => ({
            workflow_run_backend_id: `run-${a.runId}`,
            workflow_job_run_backend_id: a.jobId,
            database_id: String(a.id),
            name: a.name,
            size: String(a.size),
            created_at: a.createdAt,
          })),
        });
      }
      case 'GetSignedArtifactURL': {
        const a = artifacts.find((x) => x.runId === runId && x.name === name && x.finalized);
        if (!a) return json(res, 404, { code: 'not_found', msg: 'no such artifact' });
        return json(res, 200, { signed_url: blobUrl(a) });
      }
      default:
        return json(res, 404, { code: 'bad_route', msg: `unknown method ${method}` });
    }
  };

  const blobOp = (req: IncomingMessage, res: ServerResponse, url: URL, a: StoredArtifact, body: Buffer): void => {
    const comp = url.searchParams.get('comp');
    if (req.method === 'PUT' && comp === 'block') {
      calls.push('blob:block');
      a.blocks.set(url.searchParams.get('blockid') ?? '', body);
      return empty(res, 201);
    }
    if (req.method === 'PUT' && comp === 'blocklist') {
      calls.push('blob:blocklist');
      const ids = [...body.toString('utf8').matchAll(/<(?:Latest|Uncommitted|Committed)>([^<]*)<\//g)].map(
        (m) => m[1]!,
      );
      const parts = ids.map((id) => a.blocks.get(id));
      if (parts.some((p) => !p)) return xmlError(res, 400, 'InvalidBlockList');
      a.bytes = Buffer.concat(parts as Buffer[]);
      a.contentType = String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream');
      return empty(res, 201);
    }
    if (req.method === 'PUT' && !comp) {
      calls.push('blob:put');
      a.bytes = body;
      a.contentType = String(req.headers['x-ms-blob-content-type'] ?? 'application/octet-stream');
      return empty(res, 201);
    }
    if (req.method === 'GET' && a.bytes) {
      calls.push('blob:get');
      res.writeHead(200, {
        'content-type': a.contentType ?? 'application/octet-stream',
        'content-length': a.bytes.length,
        'content-disposition': `attachment; filename="${a.name}"`,
      });
      return void res.end(a.bytes);
    }
    return xmlError(res, 404, 'BlobNotFound');
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => json(res, 500, { msg: String(e) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: `${base}/`,
    artifacts,
    calls,
    tokenFor: (runId, jobId) => unsignedJwt({ scp: `Actions.GenericRead Actions.Results:run-${runId}:${jobId}` }),
    downloadUrl: (id) => {
      const a = artifacts.find((x) => x.id === id && x.finalized);
      return a && blobUrl(a);
    },
    put: (runId, name, bytes) => {
      const a: StoredArtifact = {
        id: artifacts.length + 1,
        runId,
        jobId: 'job-x',
        name,
        size: bytes.length,
        finalized: true,
        bytes,
        blocks: new Map(),
        contentType: 'application/json',
        createdAt: new Date().toISOString(),
      };
      artifacts.push(a);
      return a;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function runOf(backendId: string): string {
  return backendId.startsWith('run-') ? backendId.slice(4) : backendId;
}

function unsignedJwt(claims: Record<string, unknown>): string {
  const part = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part(claims)}.sig`;
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function empty(res: ServerResponse, status: number): void {
  res.writeHead(status, {
    'x-ms-request-id': 'local',
    'x-ms-version': '2025-01-05',
    'content-length': 0,
    etag: '"0x1"',
  });
  res.end();
}

function xmlError(res: ServerResponse, status: number, code: string): void {
  const text = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${code}</Message></Error>`;
  res.writeHead(status, {
    'content-type': 'application/xml',
    'x-ms-error-code': code,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
