// A local stand-in for the GitHub REST endpoints the action uses (issue comments, check runs), on
// 127.0.0.1, so the real @actions/github client is exercised over real HTTP. Records every request.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CommentUser {
  login: string;
  type: 'Bot' | 'User';
}

export interface StoredComment {
  id: number;
  owner: string;
  repo: string;
  issueNumber: number;
  body: string;
  user: CommentUser;
  created_at: string;
  updated_at: string;
}

export interface StoredCheckRun {
  id: number;
  owner: string;
  repo: string;
  name: string;
  head_sha: string;
  status: string;
  conclusion?: string;
  details_url?: string;
  output?: { title?: string; summary?: string; text?: string };
}

export interface StoredIssue {
  number: number;
  owner: string;
  repo: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
  labels: string[];
  user: CommentUser;
  /** pull requests share the issue numbering and show up in issue lists */
  pullRequest?: boolean;
}

export interface RecordedRequest {
  method: string;
  /** path without the query */
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A canned failure: answered instead of the real route. */
export interface ForcedFailure {
  status: number;
  message: string;
  headers?: Record<string, string>;
}

export interface GitHubServerOptions {
  /** comments present before the test; ids are assigned in order from 1 */
  comments?: { owner: string; repo: string; issueNumber: number; body: string; user?: CommentUser }[];
  /** answer every POST/PATCH with this (e.g. 403 for a read-only fork token) */
  failWrites?: ForcedFailure;
  /** answer every GET of comments with this (e.g. 404 for a private repo without access) */
  failReads?: ForcedFailure;
  /** answered, one each, to the next requests whatever they are (e.g. a 502, then normal service) */
  failNext?: ForcedFailure[];
  /** wait this long (ms) before answering the next requests, one each; Infinity: accept and never answer */
  delayNext?: number[];
  /** wait this long (ms) before answering every request (after `delayNext` runs out) */
  delayAll?: number;
  /** who `GET /user` says the token is; default: 403 as for GITHUB_TOKEN */
  viewer?: CommentUser;
  /** author of comments created through the API */
  author?: CommentUser;
  /** when set, requests must carry `authorization: token <token>` or get 401 */
  token?: string;
  /** answer every check-run write with this (e.g. 403 for a token without `checks: write`) */
  failChecks?: ForcedFailure;
  /** the artifact service behind the REST artifacts endpoints (list a run's artifacts, 302 to the blob) */
  artifacts?: {
    artifacts: { id: number; runId: string; name: string; size: number; finalized: boolean; createdAt: string }[];
    downloadUrl(id: number): string | undefined;
  };
  /** open pull requests, for `GET /repos/{o}/{r}/pulls?head=owner:branch` */
  pulls?: { number: number; headOwner: string; headRef: string; headSha: string }[];
  /** issues (and pull requests) present before the test; numbered in order from 1 */
  issues?: Omit<StoredIssue, 'number'>[];
}

export interface GitHubServer {
  url: string;
  requests: RecordedRequest[];
  comments: StoredComment[];
  checkRuns: StoredCheckRun[];
  issues: StoredIssue[];
  close(): Promise<void>;
}

const GITHUB_ACTIONS_BOT: CommentUser = { login: 'github-actions[bot]', type: 'Bot' };

export async function startGitHubServer(options: GitHubServerOptions = {}): Promise<GitHubServer> {
  const requests: RecordedRequest[] = [];
  const failNext = [...(options.failNext ?? [])];
  const delayNext = [...(options.delayNext ?? [])];
  let nextId = 1;
  const stamp = (): string => new Date(Date.UTC(2026, 0, 1, 0, 0, nextId)).toISOString();
  const comments: StoredComment[] = (options.comments ?? []).map((c) => {
    const created = stamp();
    return {
      id: nextId++,
      owner: c.owner,
      repo: c.repo,
      issueNumber: c.issueNumber,
      body: c.body,
      user: c.user ?? GITHUB_ACTIONS_BOT,
      created_at: created,
      updated_at: created,
    };
  });
  const checkRuns: StoredCheckRun[] = [];
  let baseUrl = '';
  const issues: StoredIssue[] = (options.issues ?? []).map((i, k) => ({ ...i, number: k + 1 }));

  const issueJson = (i: StoredIssue): Record<string, unknown> => ({
    id: 5000 + i.number,
    number: i.number,
    url: `${baseUrl}/repos/${i.owner}/${i.repo}/issues/${i.number}`,
    html_url: `https://github.com/${i.owner}/${i.repo}/issues/${i.number}`,
    title: i.title,
    body: i.body,
    state: i.state,
    labels: i.labels.map((name, k) => ({ id: k + 1, name })),
    user: { login: i.user.login, type: i.user.type },
    ...(i.pullRequest ? { pull_request: { url: `${baseUrl}/repos/${i.owner}/${i.repo}/pulls/${i.number}` } } : {}),
  });

  /** The issue endpoints: list (state, labels, pagination), create, update. Undefined when the path is another. */
  const handleIssues = (method: string, url: URL, body: unknown, res: ServerResponse): true | undefined => {
    const collection = /^\/repos\/([^/]+)\/([^/]+)\/issues$/.exec(url.pathname);
    const one = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)$/.exec(url.pathname);
    const fields = (body ?? {}) as { title?: unknown; body?: unknown; labels?: unknown; state?: unknown };
    if ((collection || one) && method !== 'GET' && options.failWrites) return (fail(res, options.failWrites), true);
    if (collection && method === 'GET') {
      const [, owner, repo] = collection;
      const state = url.searchParams.get('state') ?? 'open';
      const labels = (url.searchParams.get('labels') ?? '').split(',').filter(Boolean);
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const all = issues.filter(
        (i) =>
          i.owner === owner &&
          i.repo === repo &&
          (state === 'all' || i.state === state) &&
          labels.every((l) => i.labels.includes(l)),
      );
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const link = linkHeader(`${baseUrl}${url.pathname}`, perPage, page, lastPage);
      send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(issueJson), link ? { link } : {});
      return true;
    }
    if (collection && method === 'POST') {
      const [, owner, repo] = collection;
      if (typeof fields.title !== 'string' || fields.title === '')
        return (fail(res, { status: 422, message: 'Validation Failed' }), true);
      if (typeof fields.body === 'string' && fields.body.length > 65_536)
        return (fail(res, { status: 422, message: 'Body is too long (maximum is 65536 characters)' }), true);
      const issue: StoredIssue = {
        number: issues.length + 1,
        owner: owner!,
        repo: repo!,
        title: fields.title,
        body: typeof fields.body === 'string' ? fields.body : '',
        state: 'open',
        labels: Array.isArray(fields.labels) ? fields.labels.map(String) : [],
        user: options.author ?? GITHUB_ACTIONS_BOT,
      };
      issues.push(issue);
      send(res, 201, issueJson(issue));
      return true;
    }
    if (one && method === 'PATCH') {
      const [, owner, repo, n] = one;
      const issue = issues.find((i) => i.number === Number(n) && i.owner === owner && i.repo === repo);
      if (!issue) return (fail(res, { status: 404, message: 'Not Found' }), true);
      if (typeof fields.title === 'string') issue.title = fields.title;
      if (typeof fields.body === 'string') issue.body = fields.body;
      if (fields.state === 'open' || fields.state === 'closed') issue.state = fields.state;
      send(res, 200, issueJson(issue));
      return true;
    }
    return undefined;
  };

  const toJson = (c: StoredComment): Record<string, unknown> => ({
    id: c.id,
    node_id: `IC_${c.id}`,
    url: `${baseUrl}/repos/${c.owner}/${c.repo}/issues/comments/${c.id}`,
    html_url: `https://github.com/${c.owner}/${c.repo}/pull/${c.issueNumber}#issuecomment-${c.id}`,
    issue_url: `${baseUrl}/repos/${c.owner}/${c.repo}/issues/${c.issueNumber}`,
    body: c.body,
    user: { login: c.user.login, id: c.user.type === 'Bot' ? 41898282 : 1000 + c.id, type: c.user.type },
    author_association: c.user.type === 'Bot' ? 'NONE' : 'MEMBER',
    created_at: c.created_at,
    updated_at: c.updated_at,
  });

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const url = new URL(req.url ?? '/', baseUrl);
    const raw = await readBody(req);
    const body = raw === '' ? undefined : JSON.parse(raw);
    const method = req.method ?? 'GET';
    requests.push({
      method,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: req.headers,
      body,
    });

    const delay = delayNext.shift() ?? options.delayAll ?? 0;
    if (delay === Infinity) return; // the socket stays open and silent until close()
    if (delay > 0) await new Promise((r) => setTimeout(r, delay));
    if (res.destroyed) return;
    const forced = failNext.shift();
    if (forced) return fail(res, forced);
    if (options.token !== undefined && req.headers.authorization !== `token ${options.token}`) {
      return fail(res, { status: 401, message: 'Bad credentials' });
    }

    if (handleIssues(method, url, body, res)) return;
    const list = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(url.pathname);
    const single = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(url.pathname);
    const isWrite = method === 'POST' || method === 'PATCH';
    if (isWrite && options.failWrites && (list || single)) return fail(res, options.failWrites);

    if (list && method === 'GET') {
      if (options.failReads) return fail(res, options.failReads);
      const [, owner, repo, n] = list;
      const perPage = Math.min(100, Math.max(1, Number(url.searchParams.get('per_page') ?? 30)));
      const page = Math.max(1, Number(url.searchParams.get('page') ?? 1));
      const all = comments.filter((c) => c.owner === owner && c.repo === repo && c.issueNumber === Number(n));
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const link = linkHeader(`${baseUrl}${url.pathname}`, perPage, page, lastPage);
      return send(res, 200, all.slice((page - 1) * perPage, page * perPage).map(toJson), link ? { link } : {});
    }
    if (list && method === 'POST') {
      const [, owner, repo, n] = list;
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text === '') return fail(res, { status: 422, message: 'Validation Failed' });
      if (text.length > 65_536)
        return fail(res, { status: 422, message: 'Body is too long (maximum is 65536 characters)' });
      const created = stamp();
      const comment: StoredComment = {
        id: nextId++,
        owner: owner!,
        repo: repo!,
        issueNumber: Number(n),
        body: text,
        user: options.author ?? GITHUB_ACTIONS_BOT,
        created_at: created,
        updated_at: created,
      };
      comments.push(comment);
      return send(res, 201, toJson(comment));
    }
    if (single && method === 'PATCH') {
      const [, owner, repo, id] = single;
      const comment = comments.find((c) => c.id === Number(id) && c.owner === owner && c.repo === repo);
      if (!comment) return fail(res, { status: 404, message: 'Not Found' });
      const text = (body as { body?: unknown } | undefined)?.body;
      if (typeof text !== 'string' || text === '') return fail(res, { status: 422, message: 'Validation Failed' });
      if (text.length > 65_536)
        return fail(res, { status: 422, message: 'Body is too long (maximum is 65536 characters)' });
      comment.body = text;
      comment.updated_at = new Date().toISOString();
      return send(res, 200, toJson(comment));
    }
    const checks = /^\/repos\/([^/]+)\/([^/]+)\/check-runs(?:\/(\d+))?$/.exec(url.pathname);
    if (checks && (method === 'POST' || method === 'PATCH')) {
      if (options.failChecks) return fail(res, options.failChecks);
      return checkRunWrite(res, checkRuns, checks, method, body as Record<string, unknown> | undefined);
    }
    const runArtifacts = /^\/repos\/[^/]+\/[^/]+\/actions\/runs\/(\d+)\/artifacts$/.exec(url.pathname);
    if (runArtifacts && method === 'GET' && options.artifacts) {
      const found = options.artifacts.artifacts.filter((a) => a.finalized && a.runId === runArtifacts[1]);
      return send(res, 200, {
        total_count: found.length,
        artifacts: found.map((a) => ({
          id: a.id,
          name: a.name,
          size_in_bytes: a.size,
          created_at: a.createdAt,
          expired: false,
        })),
      });
    }
    const zip = /^\/repos\/[^/]+\/[^/]+\/actions\/artifacts\/(\d+)\/zip$/.exec(url.pathname);
    if (zip && method === 'GET' && options.artifacts) {
      const location = options.artifacts.downloadUrl(Number(zip[1]));
      if (!location) return fail(res, { status: 404, message: 'Not Found' });
      res.writeHead(302, { location, 'content-length': 0 });
      return void res.end();
    }
    if (/^\/repos\/[^/]+\/[^/]+\/pulls$/.test(url.pathname) && method === 'GET') {
      const head = url.searchParams.get('head') ?? '';
      const found = (options.pulls ?? []).filter((p) => !head || `${p.headOwner}:${p.headRef}` === head);
      return send(
        res,
        200,
        found.map((p) => ({
          number: p.number,
          state: 'open',
          head: { sha: p.headSha, ref: p.headRef, label: `${p.headOwner}:${p.headRef}` },
        })),
      );
    }
    if (url.pathname === '/user' && method === 'GET') {
      if (!options.viewer) return fail(res, { status: 403, message: 'Resource not accessible by integration' });
      return send(res, 200, { login: options.viewer.login, id: 7, type: options.viewer.type });
    }
    return fail(res, { status: 404, message: 'Not Found' });
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => send(res, 500, { message: String(error) }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: baseUrl,
    requests,
    comments,
    checkRuns,
    issues,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
}

const CHECK_CONCLUSIONS = ['success', 'failure', 'neutral', 'cancelled', 'skipped', 'timed_out', 'action_required'];

/** POST creates, PATCH updates; validated as the Checks API does (name, head_sha, conclusion, output limits). */
function checkRunWrite(
  res: ServerResponse,
  runs: StoredCheckRun[],
  match: RegExpExecArray,
  method: string,
  body: Record<string, unknown> | undefined,
): void {
  const [, owner, repo, id] = match;
  const b = body ?? {};
  const output = b['output'] as StoredCheckRun['output'] | undefined;
  if (output && (!output.title || !output.summary))
    return fail(res, { status: 422, message: 'output needs title and summary' });
  if ((output?.summary?.length ?? 0) > 65_535 || (output?.text?.length ?? 0) > 65_535) {
    return fail(res, {
      status: 422,
      message: 'Invalid request. Only 65535 characters are allowed; the summary is longer.',
    });
  }
  if (b['conclusion'] !== undefined && !CHECK_CONCLUSIONS.includes(String(b['conclusion']))) {
    return fail(res, { status: 422, message: 'Validation Failed: conclusion' });
  }
  if (method === 'POST') {
    if (id || typeof b['name'] !== 'string' || !/^[0-9a-f]{40}$/.test(String(b['head_sha']))) {
      return fail(res, { status: 422, message: 'Validation Failed: name and a 40-hex head_sha are required' });
    }
    const run: StoredCheckRun = {
      id: 9000 + runs.length,
      owner: owner!,
      repo: repo!,
      name: b['name'],
      head_sha: String(b['head_sha']),
      status: String(b['status'] ?? 'queued'),
      ...(b['conclusion'] ? { conclusion: String(b['conclusion']), status: 'completed' } : {}),
      ...(b['details_url'] ? { details_url: String(b['details_url']) } : {}),
      ...(output ? { output } : {}),
    };
    runs.push(run);
    return send(res, 201, run);
  }
  const run = runs.find((r) => r.id === Number(id) && r.owner === owner && r.repo === repo);
  if (!run) return fail(res, { status: 404, message: 'Not Found' });
  if (b['status'] !== undefined) run.status = String(b['status']);
  if (b['conclusion'] !== undefined) Object.assign(run, { conclusion: String(b['conclusion']), status: 'completed' });
  if (output) run.output = output;
  return send(res, 200, run);
}

/** GitHub's pagination header: absolute URLs with rel next/last/first/prev. */
function linkHeader(base: string, perPage: number, page: number, lastPage: number): string | undefined {
  const at = (p: number): string => `<${base}?per_page=${perPage}&page=${p}>`;
  const links: string[] = [];
  if (page > 1) links.push(`${at(page - 1)}; rel="prev"`);
  if (page < lastPage) links.push(`${at(page + 1)}; rel="next"`, `${at(lastPage)}; rel="last"`);
  if (page > 1) links.push(`${at(1)}; rel="first"`);
  return links.length > 0 ? links.join(', ') : undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(payload);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

function fail(res: ServerResponse, failure: ForcedFailure): void {
  send(
    res,
    failure.status,
    { message: failure.message, documentation_url: 'https://docs.github.com/rest', status: String(failure.status) },
    failure.headers ?? {},
  );
}
