// A local stand-in for GitHub releases: serves /OWNER/REPO/releases/download/TAG/ASSET from a map over real
// HTTP on 127.0.0.1, optionally answering with a 302 to another path (GitHub redirects downloads to
// objects.githubusercontent.com), plus /repos/OWNER/REPO/releases/tags/TAG with per-asset sha256 digests
// like GitHub's REST API. Every request is logged so tests can assert "no request was made".
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

export interface LoggedRequest {
  method: string;
  path: string;
  status: number;
}

export interface ReleaseServer {
  /** base URL to use as runtime-mirror, e.g. http://127.0.0.1:40123 */
  url: string;
  requests: LoggedRequest[];
  /** serve `body` at /OWNER/REPO/releases/download/TAG/ASSET; returns its sha256 */
  add(owner: string, repo: string, tag: string, asset: string, body: Buffer): string;
  /** answer asset downloads with a 302 to /objects/… (on by default) */
  redirect: boolean;
  /** paths answered with `status` instead of their body, `times` times (then served normally) */
  failures: Map<string, { status: number; times: number }>;
  close(): Promise<void>;
}

/** @actions/tool-cache's own test knobs: retry a failed download after 0 s instead of 10–20 s. */
export function retryDownloadsAtOnce(): void {
  const knobs = globalThis as {
    TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS?: number;
    TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS?: number;
  };
  knobs.TEST_DOWNLOAD_TOOL_RETRY_MIN_SECONDS = 0;
  knobs.TEST_DOWNLOAD_TOOL_RETRY_MAX_SECONDS = 0;
}

/** The server's requests after the first `n`, as `STATUS PATH`. */
export function requestsSince(server: ReleaseServer, n: number): string[] {
  return server.requests.slice(n).map((r) => `${r.status} ${r.path}`);
}

export function sha256(body: Buffer): string {
  return createHash('sha256').update(body).digest('hex');
}

export async function startReleaseServer(): Promise<ReleaseServer> {
  const files = new Map<string, Buffer>();
  const objects = new Map<string, string>();
  const state: ReleaseServer = {
    url: '',
    requests: [],
    redirect: true,
    failures: new Map(),
    add(owner, repo, tag, asset, body) {
      const path = `/${owner}/${repo}/releases/download/${encodeURIComponent(tag)}/${encodeURIComponent(asset)}`;
      files.set(path, body);
      objects.set(`/objects/${objects.size + 1}/${encodeURIComponent(asset)}`, path);
      return sha256(body);
    },
    close: () => new Promise((ok) => server.close(() => ok())),
  };

  const releaseDocument = (owner: string, repo: string, tag: string) => {
    const prefix = `/${owner}/${repo}/releases/download/${encodeURIComponent(tag)}/`;
    const assets = [...files.entries()]
      .filter(([p]) => p.startsWith(prefix))
      .map(([p, body]) => ({
        name: decodeURIComponent(p.slice(prefix.length)),
        digest: `sha256:${sha256(body)}`,
        size: body.length,
      }));
    return assets.length === 0 ? undefined : { tag_name: tag, assets };
  };

  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const reply = (status: number, body: Buffer | string, headers: Record<string, string> = {}) => {
      state.requests.push({ method: req.method ?? 'GET', path, status });
      res.writeHead(status, { 'content-length': Buffer.byteLength(body), ...headers });
      res.end(body);
    };
    const failure = state.failures.get(path);
    if (failure !== undefined && failure.times > 0) {
      failure.times--;
      return reply(failure.status, `injected ${failure.status}`);
    }
    const api = /^\/repos\/([^/]+)\/([^/]+)\/releases\/tags\/([^/]+)$/.exec(path);
    if (api !== null) {
      const doc = releaseDocument(api[1] ?? '', api[2] ?? '', decodeURIComponent(api[3] ?? ''));
      return doc === undefined
        ? reply(404, '{"message":"Not Found"}')
        : reply(200, JSON.stringify(doc), { 'content-type': 'application/json' });
    }
    const object = objects.get(path);
    if (object !== undefined)
      return reply(200, files.get(object) ?? Buffer.alloc(0), { 'content-type': 'application/octet-stream' });
    const body = files.get(path);
    if (body === undefined) return reply(404, 'Not Found');
    if (state.redirect) {
      const target = [...objects.entries()].find(([, p]) => p === path)?.[0] ?? path;
      // Absolute, like GitHub's (and @actions/http-client needs an absolute Location).
      return reply(302, '', { location: `${state.url}${target}` });
    }
    return reply(200, body, { 'content-type': 'application/octet-stream' });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  state.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Builds an archive in a release's layout from files on disk: archive path → source file. */
export function buildArchive(format: 'tar.gz' | 'tar.xz' | 'zip', members: Record<string, string>): Buffer {
  const stage = mkdtempSync(join(tmpdir(), 'wpg-archive-'));
  try {
    for (const [inside, source] of Object.entries(members)) {
      mkdirSync(dirname(join(stage, 'root', inside)), { recursive: true });
      copyFileSync(source, join(stage, 'root', inside));
    }
    const out = join(stage, `out.${format}`);
    const tops = [...new Set(Object.keys(members).map((m) => m.split('/')[0] ?? m))];
    const cwd = join(stage, 'root');
    // zip -0: store only — the bun/deno binaries are ~100 MB and compression only slows the tests.
    if (format === 'zip') execFileSync('zip', ['-q', '-0', '-r', out, ...tops], { cwd });
    else execFileSync('tar', [format === 'tar.gz' ? '-czf' : '-cJf', out, ...tops], { cwd });
    return readFileSync(out);
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}
