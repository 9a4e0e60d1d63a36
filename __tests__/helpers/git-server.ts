// Git remotes for the history-branch tests: a real bare repository served as file:// (GITHUB_SERVER_URL=file:///…),
// or over smart HTTP through `git http-backend`, optionally answering 403 to pushes (a token without contents: write).
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { scratchDir } from './run-action.js';

export const REPOSITORY = 'octo/demo';

/** A bare repository at `<root>/octo/demo.git`, so `${server}/${REPOSITORY}.git` is it. */
export function bareRemote(): { root: string; bare: string; server: string } {
  const root = scratchDir('git-remote-');
  const bare = join(root, `${REPOSITORY}.git`);
  mkdirSync(bare, { recursive: true });
  execFileSync('git', ['init', '-q', '--bare', bare]);
  return { root, bare, server: `file://${root}` };
}

/** `git --git-dir <bare> <args>` (trimmed stdout), for assertions on what the remote holds. */
export function inBare(bare: string, ...args: string[]): string {
  return execFileSync('git', ['--git-dir', bare, ...args], { encoding: 'utf8' }).trim();
}

const AUTHOR = ['-c', 'user.name=other job', '-c', 'user.email=other@example.com'];

/** Another job: clones `branch`, writes `file` with `text`, commits and pushes (no force); returns the commit. */
export function pushFromOtherClone(bare: string, branch: string, file: string, text: string): string {
  const dir = scratchDir('git-other-');
  execFileSync('git', ['clone', '-q', '--branch', branch, `file://${bare}`, dir], { stdio: 'ignore' });
  writeFileSync(join(dir, file), text);
  execFileSync('git', ['-C', dir, 'add', file]);
  execFileSync('git', ['-C', dir, ...AUTHOR, 'commit', '-q', '-m', 'other job'], { stdio: 'ignore' });
  execFileSync('git', ['-C', dir, 'push', '-q', 'origin', `HEAD:refs/heads/${branch}`], { stdio: 'ignore' });
  return execFileSync('git', ['-C', dir, 'rev-parse', 'HEAD'], { encoding: 'utf8' }).trim();
}

/** Creates `branch` on `bare` with one commit holding `file`: a history earlier refreshes left there. */
export function seedBranch(bare: string, branch: string, file: string, text: string): void {
  const dir = scratchDir('git-seed-');
  execFileSync('git', ['init', '-q', dir]);
  writeFileSync(join(dir, file), text);
  execFileSync('git', ['-C', dir, 'add', file]);
  execFileSync('git', ['-C', dir, ...AUTHOR, 'commit', '-q', '-m', 'earlier refreshes'], { stdio: 'ignore' });
  execFileSync('git', ['-C', dir, 'push', '-q', `file://${bare}`, `HEAD:refs/heads/${branch}`], { stdio: 'ignore' });
}

/** The text of `file` on `branch` of `bare`. */
export function fileOnBranch(bare: string, branch: string, file: string): string {
  return execFileSync('git', ['--git-dir', bare, 'show', `${branch}:${file}`], { encoding: 'utf8' });
}

export interface HttpRemote {
  server: string;
  bare: string;
  /** headers of every request, in order */
  requests: { url: string; headers: IncomingHttpHeaders }[];
  close: () => Promise<void>;
}

/** Smart HTTP over `root` via git http-backend; `deny` answers 403 to matching requests (e.g. receive-pack). */
export async function httpRemote(deny: (url: string) => boolean): Promise<HttpRemote> {
  const { root, bare } = bareRemote();
  const requests: HttpRemote['requests'] = [];
  const backend = join(execFileSync('git', ['--exec-path'], { encoding: 'utf8' }).trim(), 'git-http-backend');
  const server: Server = createServer((req, res) => {
    requests.push({ url: req.url ?? '', headers: req.headers });
    if (deny(req.url ?? '')) return void res.writeHead(403).end('Permission to octo/demo.git denied');
    const url = new URL(req.url ?? '/', 'http://x');
    const cgi = spawn(backend, [], {
      env: {
        GIT_PROJECT_ROOT: root,
        GIT_HTTP_EXPORT_ALL: '1',
        GIT_HTTP_RECEIVE_PACK: 'true',
        PATH_INFO: url.pathname,
        QUERY_STRING: url.search.slice(1),
        REQUEST_METHOD: req.method ?? 'GET',
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        REMOTE_USER: 'x-access-token',
        REMOTE_ADDR: '127.0.0.1',
        PATH: process.env['PATH'] ?? '',
      },
    });
    req.pipe(cgi.stdin);
    const out: Buffer[] = [];
    cgi.stdout.on('data', (d: Buffer) => out.push(d));
    cgi.on('close', () => {
      const all = Buffer.concat(out);
      const split = all.indexOf('\r\n\r\n');
      const head = all.subarray(0, split).toString().split('\r\n');
      const headers = Object.fromEntries(
        head.map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 1).trim()]),
      );
      const status = Number(/^(\d+)/.exec(headers['Status'] ?? '200')![1]);
      delete headers['Status'];
      res.writeHead(status, headers).end(all.subarray(split + 4));
    });
  });
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const port = (server.address() as AddressInfo).port;
  return {
    server: `http://127.0.0.1:${port}`,
    bare,
    requests,
    close: () => new Promise((done) => server.close(() => done())),
  };
}
