// Starts the bundled dist/index.js the way the runner does: INPUT_* variables (hyphens kept),
// GITHUB_EVENT_NAME/GITHUB_EVENT_PATH with a real payload, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const DIST_INDEX = resolve('dist/index.js');

/** The node that runs the action: WPG_ACTION_NODE (e.g. node 24, as GitHub runs it) or this test's node. */
export const ACTION_NODE = process.env['WPG_ACTION_NODE'] || process.execPath;
/** Its version: the embedded `node` runtime of every run is this node. */
export const ACTION_NODE_VERSION = execFileSync(ACTION_NODE, ['-p', 'process.versions.node'], {
  encoding: 'utf8',
}).trim();

// One scratch root per test process, removed when it exits (tests read report files after a run returns).
const root = mkdtempSync(join(tmpdir(), 'wpg-runner-'));
process.on('exit', () => rmSync(root, { recursive: true, force: true }));

/** A fresh directory under the per-process scratch root (workspaces, runner temp dirs). */
export function scratchDir(prefix: string): string {
  return mkdtempSync(join(root, prefix));
}

/** A fresh workspace holding `files` (workspace path → source file), e.g. { 'build/a.wasm': 'examples/wasm/add-one.wasm' }. */
export function workspaceWith(files: Record<string, string>, prefix = 'ws-'): string {
  const ws = scratchDir(prefix);
  for (const [to, from] of Object.entries(files)) {
    mkdirSync(dirname(join(ws, to)), { recursive: true });
    copyFileSync(from, join(ws, to));
  }
  return ws;
}

/** The inputs of a gate over build/*.wasm with its baseline in perf/baseline.json; `extra` adds or overrides. */
export function gateInputs(extra: Record<string, string> = {}): Record<string, string> {
  return {
    artifacts: 'build/*.wasm',
    'baseline-path': 'perf/baseline.json',
    'github-token': 'ghs_test_token',
    'min-runs': '6',
    'max-runs': '14',
    // A/A runs here must never fail by design: at 0.05 a start-up-bound cell (~35 ms) on a busy CI alarms in
    // about 1% of runs (bench/aa-familywise.ts; CI saw one). Tests of the default alpha set their own.
    alpha: '0.001',
    ...extra,
  };
}

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  summary: string;
}

export interface ActionRunInput {
  workspace: string;
  inputs: Record<string, string>;
  eventName: string;
  payload: object;
  /** extra or overriding environment (e.g. ACTIONS_CACHE_URL, GITHUB_API_URL) */
  env?: Record<string, string | undefined>;
  /** SIGKILL the process after this long (a runner that dies mid-job) */
  killAfterMs?: number;
  /** called once the action's process has started (e.g. to signal it as a cancelled workflow does) */
  onStart?: (child: ChildProcess) => void;
}

export async function runAction(a: ActionRunInput): Promise<ActionRun> {
  const dir = scratchDir('run-');
  const files = { event: join(dir, 'event.json'), output: join(dir, 'output'), summary: join(dir, 'summary.md') };
  writeFileSync(files.event, JSON.stringify(a.payload));
  writeFileSync(files.output, '');
  writeFileSync(files.summary, '');
  const env: Record<string, string | undefined> = {
    PATH: process.env['PATH'],
    HOME: process.env['HOME'],
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: a.workspace,
    GITHUB_EVENT_NAME: a.eventName,
    GITHUB_EVENT_PATH: files.event,
    GITHUB_OUTPUT: files.output,
    GITHUB_STEP_SUMMARY: files.summary,
    GITHUB_REPOSITORY: 'octo/demo',
    GITHUB_SHA: 'a'.repeat(40),
    GITHUB_REF: a.eventName === 'pull_request' ? 'refs/pull/7/merge' : 'refs/heads/main',
    GITHUB_RUN_ID: String(1000 + Math.floor(Math.random() * 1e6)),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'http://127.0.0.1:9', // nothing listens: a test that needs the API passes its server
    RUNNER_TEMP: join(dir, 'temp'),
    RUNNER_TOOL_CACHE: join(dir, 'tool-cache'),
    ...Object.fromEntries(Object.entries(a.inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...a.env,
  };
  const child = spawn(ACTION_NODE, [DIST_INDEX], { cwd: a.workspace, env: definedOnly(env) });
  a.onStart?.(child);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const killer = a.killAfterMs === undefined ? undefined : setTimeout(() => child.kill('SIGKILL'), a.killAfterMs);
  const code = await new Promise<number>((done) => child.on('close', (c) => done(c ?? -1)));
  clearTimeout(killer);
  return {
    code,
    stdout,
    stderr,
    outputs: parseOutputs(readFileSync(files.output, 'utf8')),
    summary: readFileSync(files.summary, 'utf8'),
  };
}

function definedOnly(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(Object.entries(env).filter((e): e is [string, string] => e[1] !== undefined));
}

/** Parses the GITHUB_OUTPUT file: `name<<delimiter\nvalue\ndelimiter` blocks. */
export function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

/** A real-shaped pull_request payload (same-repo PR #7; `fork` makes the head another repository). */
export function pullRequestPayload(opts: { number?: number; fork?: boolean } = {}): object {
  const number = opts.number ?? 7;
  const repo = { full_name: 'octo/demo', name: 'demo', owner: { login: 'octo', type: 'User' } };
  const headRepo = opts.fork
    ? { full_name: 'stranger/demo', name: 'demo', owner: { login: 'stranger', type: 'User' }, fork: true }
    : repo;
  return {
    action: 'synchronize',
    number,
    pull_request: {
      number,
      state: 'open',
      title: 'Speed things up',
      head: { ref: 'feature', sha: 'b'.repeat(40), repo: headRepo },
      base: { ref: 'main', sha: 'c'.repeat(40), repo },
    },
    repository: repo,
    sender: { login: 'octocat', type: 'User' },
  };
}

export function pushPayload(): object {
  const repo = { full_name: 'octo/demo', name: 'demo', owner: { login: 'octo', type: 'User' } };
  return {
    ref: 'refs/heads/main',
    after: 'a'.repeat(40),
    repository: repo,
    sender: { login: 'octocat', type: 'User' },
  };
}
