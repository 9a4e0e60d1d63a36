// runtime-mirror without the GitHub API (issue 8, item 6): a download is verified against the project's checksum
// file or a `<asset>.sha256` the mirror serves beside it, or a `sha256:` pinned in the config's runtimes entry;
// with none of them it is refused with one line naming both. A local release server over 127.0.0.1 serves
// archives in the projects' real layouts, built from real binaries (hyperfine from Debian, bun from npm).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configSchema } from '../src/config/config-schema.js';
import { InputError } from '../src/model/input-error.js';
import { resolveRuntime, resolveTool, RuntimeInstallError, type ResolveOptions } from '../src/runtimes/install.js';
import { runtimeRefFromEntry } from '../src/runtimes/spec.js';
import {
  buildArchive,
  requestsSince as requestsOf,
  retryDownloadsAtOnce,
  startReleaseServer,
  type ReleaseServer,
} from './helpers/release-server.js';
import { requireTools } from './helpers/tools.js';

// Every test here needs these tools (bash .ci/run installs them).
const needs = requireTools('zip', 'debian-hyperfine');

const HYPERFINE = '/usr/bin/hyperfine';
const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const ADD_ONE = resolve('examples/wasm/add-one.wasm');
const HF_VERSION = '1.15.0'; // what Debian's hyperfine reports (checked in before())
const HF_DIR = `hyperfine-v${HF_VERSION}-x86_64-unknown-linux-gnu`;
const HF_ASSET = `${HF_DIR}.tar.gz`;
const HF_PATH = `/sharkdp/hyperfine/releases/download/v${HF_VERSION}/${HF_ASSET}`;
const BUN_ASSET = 'bun-linux-x64.zip';

let server: ReleaseServer;
let work: string;
let temp: string;
let hfSha: string;
let bunSha: string;
let caches = 0;

/** A mirror run with no GitHub API and a tool cache of its own (so every resolve downloads). */
function options(): ResolveOptions & { toolCacheDir: string } {
  return { mirror: server.url, toolCacheDir: join(work, `tool-cache-${++caches}`) };
}

const requestsSince = (n: number): string[] => requestsOf(server, n);

/** Nothing was extracted or cached: no tool-cache entry, and the runner temp holds no download or staging dir. */
function assertNothingKept(toolCache: string, tool: string): void {
  assert.equal(existsSync(join(toolCache, `wasm-perf-gate-${tool}`)), false, `${tool} reached the tool cache`);
  assert.deepEqual(readdirSync(temp), [], 'the download and any staging dir are removed');
}

retryDownloadsAtOnce();

before(async () => {
  if (needs.skip) return;
  const reported = await new Promise<string>((ok) => execFile(HYPERFINE, ['--version'], (_e, out) => ok(out)));
  assert.match(reported, new RegExp(`hyperfine ${HF_VERSION.replace(/\./g, '\\.')}\\b`), 'Debian hyperfine changed');
  server = await startReleaseServer();
  work = mkdtempSync(join(tmpdir(), 'wpg-mirror-'));
  temp = join(work, 'runner-temp');
  mkdirSync(temp);
  process.env['RUNNER_TEMP'] = temp;
  const hf = buildArchive('tar.gz', { [`${HF_DIR}/hyperfine`]: HYPERFINE });
  hfSha = server.add('sharkdp', 'hyperfine', `v${HF_VERSION}`, HF_ASSET, hf);
  // bun publishes SHASUMS256.txt; this mirror does not carry it (404), so only the config pin can verify bun.
  bunSha = server.add('oven-sh', 'bun', 'bun-v1.4.5', BUN_ASSET, buildArchive('zip', { 'bun-linux-x64/bun': BUN }));
});

after(async () => {
  if (needs.skip) return;
  await server.close();
  rmSync(work, { recursive: true, force: true });
});

describe('a checksum the mirror serves', needs, () => {
  test('<asset>.sha256 beside the asset (sha256sum output) verifies the download', async () => {
    server.add('sharkdp', 'hyperfine', `v${HF_VERSION}`, `${HF_ASSET}.sha256`, Buffer.from(`${hfSha}  ${HF_ASSET}\n`));
    const logs: string[] = [];
    const opts = options();
    const n = server.requests.length;
    const tool = await resolveTool('hyperfine', { ...opts, version: HF_VERSION, log: (m) => logs.push(m) });
    assert.equal(tool.installedFrom, 'download');
    assert.equal(tool.version, HF_VERSION);
    assert.ok(tool.exe.startsWith(opts.toolCacheDir), tool.exe);
    assert.ok(
      logs.some((l) => l.includes(`verified (published ${HF_ASSET}.sha256)`)),
      logs.join('\n'),
    );
    const seen = requestsSince(n);
    assert.ok(seen.includes(`302 ${HF_PATH}.sha256`), seen.join('\n'));
    assert.ok(!seen.some((r) => r.includes('/repos/')), `no API request: ${seen.join(', ')}`);
  });

  test('a wrong <asset>.sha256 is refused before extraction: nothing reaches the tool cache', async () => {
    const wrong = 'ab'.repeat(32);
    server.add('sharkdp', 'hyperfine', `v${HF_VERSION}`, `${HF_ASSET}.sha256`, Buffer.from(`${wrong}  ${HF_ASSET}\n`));
    const opts = options();
    await assert.rejects(resolveTool('hyperfine', { ...opts, version: HF_VERSION }), (e: unknown) => {
      assert.ok(e instanceof RuntimeInstallError, String(e));
      assert.match(
        e.message,
        new RegExp(
          `checksum mismatch for ${HF_ASSET}: expected ${wrong} \\(published ${HF_ASSET}\\.sha256\\), got ${hfSha}; nothing was extracted or cached`,
        ),
      );
      return true;
    });
    assertNothingKept(opts.toolCacheDir, 'hyperfine');
  });

  test('neither a checksum file nor a pin: one line naming the mirror, the sidecar it tried, and the config pin', async () => {
    server.failures.set(`${HF_PATH}.sha256`, { status: 404, times: 1 });
    const opts = options();
    const n = server.requests.length;
    await assert.rejects(resolveTool('hyperfine', { ...opts, version: HF_VERSION }), (e: unknown) => {
      assert.ok(e instanceof RuntimeInstallError, String(e));
      assert.equal(e.message.includes('\n'), false, e.message);
      assert.match(
        e.message,
        new RegExp(
          `^hyperfine: runtime-mirror ${server.url} serves no checksum for ${HF_ASSET} ${HF_VERSION} \\(tried ${HF_ASSET}\\.sha256\\)\\.`,
        ),
      );
      assert.match(
        e.message,
        /as hyperfine-v1\.15\.0-x86_64-unknown-linux-gnu\.tar\.gz\.sha256 beside it on the mirror/,
      );
      assert.match(e.message, /sha256: "sha256:<hex>"/);
      return true;
    });
    assert.deepEqual(requestsSince(n), [`404 ${HF_PATH}.sha256`], 'the archive itself is never downloaded');
    assertNothingKept(opts.toolCacheDir, 'hyperfine');
  });
});

describe('sha256 pinned in the config', needs, () => {
  const entry = (pin: unknown) =>
    configSchema.parse({ runtimes: [{ name: 'bun', version: '1.4.5', sha256: pin }] }).runtimes![0]!;

  test('a pin verifies bun from a mirror that serves no checksum; bun then runs a module', async () => {
    const ref = runtimeRefFromEntry(
      entry(`sha256:${bunSha.toUpperCase()}`) as Parameters<typeof runtimeRefFromEntry>[0],
    );
    const logs: string[] = [];
    const n = server.requests.length;
    const rt = await resolveRuntime(ref, { ...options(), log: (m) => logs.push(m) });
    assert.equal(rt.installedFrom, 'download');
    assert.ok(
      logs.some((l) => l.includes('verified (sha256 pinned in the config)')),
      logs.join('\n'),
    );
    assert.ok(!requestsSince(n).some((r) => /SHASUMS|\.sha256|\/repos\//.test(r)), requestsSince(n).join('\n'));
    const [exe = '', ...args] = rt.command({ wasm: ADD_ONE, args: ['1'], env: {}, cwd: work }).argv;
    const out = await new Promise<string>((ok) => execFile(exe, args, { cwd: work }, (_e, stdout) => ok(stdout)));
    assert.equal(out, '2\n');
  });

  test('a pin per platform is used for this platform; a wrong pin is refused before extraction', async () => {
    const wrong = 'cd'.repeat(32);
    const ref = runtimeRefFromEntry(
      entry({ 'linux-x64': wrong, 'darwin-arm64': bunSha }) as Parameters<typeof runtimeRefFromEntry>[0],
    );
    const opts = options();
    await assert.rejects(
      resolveRuntime(ref, opts),
      new RegExp(
        `bun: checksum mismatch for ${BUN_ASSET}: expected ${wrong} \\(sha256 pinned in the config\\), got ${bunSha}`,
      ),
    );
    assertNothingKept(opts.toolCacheDir, 'bun');
  });

  test('the config schema and the runtimes entry reject what cannot be pinned', () => {
    assert.equal(
      configSchema.safeParse({ runtimes: [{ name: 'bun', version: '1.4.5', sha256: 'abc' }] }).success,
      false,
    );
    assert.equal(
      configSchema.safeParse({ runtimes: [{ name: 'bun', version: '1.4.5', sha256: { plan9: bunSha } }] }).success,
      false,
    );
    const refused = (e: object, pattern: RegExp) =>
      assert.throws(
        () => runtimeRefFromEntry(e as Parameters<typeof runtimeRefFromEntry>[0], 'config: runtimes'),
        (err: unknown) => err instanceof InputError && pattern.test(err.message),
      );
    refused({ name: 'bun', sha256: bunSha }, /bun: `sha256` needs an exact `version`.*Add version: /);
    refused({ name: 'node', version: '20.0.0', sha256: bunSha }, /node: `sha256` pins a downloaded build/);
    refused({ name: 'bun', version: 'path', sha256: bunSha }, /bun: `sha256` pins a downloaded build/);
  });
});
