// A local stand-in for the GitHub Actions cache service (the v1 `_apis/artifactcache` protocol
// GHES speaks), so tests drive the real @actions/cache library over real HTTP on 127.0.0.1.
// @actions/cache picks v1 when ACTIONS_CACHE_SERVICE_V2 is unset (lib/internal/config.js) and
// builds URLs as `${ACTIONS_CACHE_URL}_apis/artifactcache/...` (lib/internal/cacheHttpClient.js).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type CacheRoute = 'lookup' | 'list' | 'reserve' | 'upload' | 'commit' | 'download';

export interface RecordedRequest {
  route: CacheRoute | 'unknown';
  method: string;
  url: string;
  status: number;
  authorization?: string;
}

export interface StoredEntry {
  id: number;
  key: string;
  version: string;
  committed: boolean;
  /** order of commit: a higher number is newer */
  created?: number;
  size?: number;
}

interface Entry extends StoredEntry {
  chunks: { start: number; bytes: Buffer }[];
  archive?: Buffer;
}

export interface CacheServer {
  /** value for ACTIONS_CACHE_URL (ends with `/`, as the library appends `_apis/...`) */
  readonly url: string;
  /** every request answered, in order */
  readonly requests: RecordedRequest[];
  entries(): StoredEntry[];
  /** the next `times` requests of `route` get `status` (a JSON `{message}` body) */
  failNext(route: CacheRoute, status: number, times?: number): void;
  /** the next `times` requests of `route` are answered only after `ms` (a slow service; Infinity: never) */
  delayNext(route: CacheRoute, ms: number, times?: number): void;
  /** stop listening (a service outage); entries are kept */
  stop(): Promise<void>;
  /** listen again on the same port with the same entries */
  start(): Promise<void>;
}

const SCOPE = 'refs/heads/main';

export async function startCacheServer(): Promise<CacheServer> {
  const entries: Entry[] = [];
  const requests: RecordedRequest[] = [];
  const failures = new Map<CacheRoute, { status: number; times: number }>();
  const delays = new Map<CacheRoute, { ms: number; times: number }>();
  let nextId = 1;
  let commits = 0;
  let port = 0;
  let server: Server | undefined;

  const base = () => `http://127.0.0.1:${port}/`;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', base());
    const route = routeOf(req.method ?? '', url.pathname);
    const reply = (status: number, body?: unknown, headers: Record<string, string> = {}) => {
      requests.push({ route, method: req.method ?? '', url: req.url ?? '', status, ...auth(req) });
      const payload = body === undefined ? undefined : Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
      res.writeHead(status, {
        ...(payload && !Buffer.isBuffer(body) ? { 'Content-Type': 'application/json' } : {}),
        ...(payload ? { 'Content-Length': String(payload.length) } : {}),
        ...headers,
      });
      res.end(payload);
    };
    const body = await readBody(req);

    if (route === 'unknown') return reply(404, { message: `no route for ${req.method} ${url.pathname}` });
    if (route !== 'download' && !req.headers.authorization?.startsWith('Bearer ')) {
      return reply(401, { message: 'missing bearer token (set ACTIONS_RUNTIME_TOKEN)' });
    }
    const delay = delays.get(route);
    if (delay && delay.times > 0) {
      delay.times--;
      if (delay.ms === Infinity) return; // accept and never answer: the socket stays open until stop()
    }
    const failure = failures.get(route);
    if (failure && failure.times > 0) {
      failure.times--;
      return reply(failure.status, { message: `injected failure of ${route}` });
    }

    switch (route) {
      case 'lookup': {
        const keys = (url.searchParams.get('keys') ?? '').split(',').filter(Boolean);
        const version = url.searchParams.get('version') ?? '';
        const hit = lookup(entries, keys, version);
        if (!hit) return reply(204);
        return reply(200, {
          scope: SCOPE,
          cacheKey: hit.key,
          cacheVersion: hit.version,
          creationTime: new Date().toISOString(),
          archiveLocation: `${base()}_download/${hit.id}`,
        });
      }
      case 'list': {
        const key = url.searchParams.get('key') ?? '';
        const found = entries.filter((e) => e.committed && e.key.startsWith(key));
        return reply(200, {
          totalCount: found.length,
          artifactCaches: found.map((e) => ({ cacheKey: e.key, cacheVersion: e.version, scope: SCOPE })),
        });
      }
      case 'reserve': {
        const { key, version } = parseJson(body) as { key?: string; version?: string };
        if (!key || !version) return reply(400, { message: 'key and version are required' });
        if (entries.some((e) => e.key === key && e.version === version)) {
          return reply(409, { message: `Cache already exists. Scope: ${SCOPE}, Key: ${key}, Version: ${version}` });
        }
        const entry: Entry = { id: nextId++, key, version, committed: false, chunks: [] };
        entries.push(entry);
        return reply(201, { cacheId: entry.id });
      }
      case 'upload': {
        const entry = reserved(entries, url.pathname);
        if (!entry) return reply(404, { message: 'no reserved, uncommitted cache with this id' });
        const range = /^bytes (\d+)-(\d+)\/\*$/.exec(req.headers['content-range'] ?? '');
        if (!range) return reply(400, { message: 'Content-Range must be `bytes start-end/*`' });
        const start = Number(range[1]);
        const end = Number(range[2]);
        if (body.length !== end - start + 1) {
          return reply(400, { message: `chunk is ${body.length} bytes, Content-Range says ${end - start + 1}` });
        }
        entry.chunks.push({ start, bytes: body });
        return reply(204);
      }
      case 'commit': {
        const entry = reserved(entries, url.pathname);
        if (!entry) return reply(404, { message: 'no reserved, uncommitted cache with this id' });
        const { size } = parseJson(body) as { size?: number };
        const archive = assemble(entry.chunks);
        if (!archive || archive.length !== size) {
          return reply(400, { message: `uploaded ${archive?.length ?? 'non-contiguous'} bytes, commit says ${size}` });
        }
        Object.assign(entry, { archive, size, committed: true, created: ++commits, chunks: [] });
        return reply(204);
      }
      case 'download': {
        const id = Number(url.pathname.split('/').pop());
        const entry = entries.find((e) => e.id === id && e.committed);
        if (!entry?.archive) return reply(404, { message: 'no such archive' });
        return reply(200, entry.archive, { 'Content-Type': 'application/octet-stream' });
      }
    }
  }

  async function start(): Promise<void> {
    const s = createServer((req, res) => {
      handle(req, res).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500);
        res.end(String(e));
      });
    });
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => resolve());
    });
    port = (s.address() as AddressInfo).port;
    server = s;
  }

  async function stop(): Promise<void> {
    const s = server;
    server = undefined;
    if (!s) return;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await start();
  return {
    get url() {
      return base();
    },
    requests,
    entries: () =>
      entries.map(({ id, key, version, committed, created, size }) => ({ id, key, version, committed, created, size })),
    failNext: (route, status, times = 1) => failures.set(route, { status, times }),
    delayNext: (route, ms, times = 1) => delays.set(route, { ms, times }),
    stop,
    start,
  };
}

/**
 * Environment for the real @actions/cache to talk to `server` (v1 protocol), optionally with a workspace
 * (GITHUB_WORKSPACE, where the library roots relative paths). Returns a function that undoes it.
 */
export function useCacheServer(server: CacheServer, runnerTemp: string, workspace?: string): () => void {
  const wanted: Record<string, string | undefined> = {
    ACTIONS_CACHE_URL: server.url,
    ACTIONS_RUNTIME_TOKEN: 'test-token',
    RUNNER_TEMP: runnerTemp,
    ...(workspace !== undefined ? { GITHUB_WORKSPACE: workspace } : {}),
    ACTIONS_CACHE_SERVICE_V2: undefined,
    ACTIONS_RESULTS_URL: undefined,
    ACTIONS_CACHE_MODE: undefined,
  };
  const saved = Object.fromEntries(Object.keys(wanted).map((k) => [k, process.env[k]]));
  setEnv(wanted);
  return () => setEnv(saved);
}

function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

function routeOf(method: string, pathname: string): CacheRoute | 'unknown' {
  if (method === 'GET' && pathname.startsWith('/_download/')) return 'download';
  const api = /\/_apis\/artifactcache\/(cache|caches)(?:\/(\d+))?$/.exec(pathname);
  if (!api) return 'unknown';
  const [, resource, id] = api;
  if (resource === 'cache' && method === 'GET' && !id) return 'lookup';
  if (resource !== 'caches') return 'unknown';
  if (!id) return method === 'GET' ? 'list' : method === 'POST' ? 'reserve' : 'unknown';
  return method === 'PATCH' ? 'upload' : method === 'POST' ? 'commit' : 'unknown';
}

/** Per key in order: an exact key, then the newest entry whose key starts with it; the version must match. */
function lookup(entries: readonly Entry[], keys: readonly string[], version: string): Entry | undefined {
  const usable = entries.filter((e) => e.committed && e.version === version);
  for (const key of keys) {
    const exact = usable.find((e) => e.key === key);
    if (exact) return exact;
    const newest = usable.filter((e) => e.key.startsWith(key)).sort((a, b) => (b.created ?? 0) - (a.created ?? 0))[0];
    if (newest) return newest;
  }
  return undefined;
}

function reserved(entries: readonly Entry[], pathname: string): Entry | undefined {
  const id = Number(pathname.split('/').pop());
  return entries.find((e) => e.id === id && !e.committed);
}

/** The chunks as one buffer, or undefined if they leave a gap or overlap. */
function assemble(chunks: readonly { start: number; bytes: Buffer }[]): Buffer | undefined {
  const sorted = [...chunks].sort((a, b) => a.start - b.start);
  let offset = 0;
  for (const c of sorted) {
    if (c.start !== offset) return undefined;
    offset += c.bytes.length;
  }
  return Buffer.concat(sorted.map((c) => c.bytes));
}

function auth(req: IncomingMessage): { authorization?: string } {
  return req.headers.authorization ? { authorization: req.headers.authorization } : {};
}

function parseJson(body: Buffer): unknown {
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    return {};
  }
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of req) parts.push(chunk as Buffer);
  return Buffer.concat(parts);
}
