// The install flow for real: @actions/tool-cache downloads over HTTP from a local release server that
// serves archives built from real binaries in each project's real release layout, verifies, extracts,
// caches, reads the version, and the installed runtime runs a .wasm.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Command } from '../src/model/measurement.js';
import { resolveRuntime, resolveTool, RuntimeInstallError, type ResolveOptions } from '../src/runtimes/install.js';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';
import { parseRuntimeSpec, runtimeRefFromEntry } from '../src/runtimes/spec.js';
import type { Invocation } from '../src/runtimes/types.js';
import {
  buildArchive,
  requestsSince as requestsOf,
  retryDownloadsAtOnce,
  sha256,
  startReleaseServer,
  type ReleaseServer,
} from './helpers/release-server.js';
import { requireTools } from './helpers/tools.js';

// Every test here needs these tools (bash .ci/run installs them).
const needs = requireTools('zip', 'debian-hyperfine');

const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');
const HYPERFINE = '/usr/bin/hyperfine';
const ADD_ONE = resolve('examples/wasm/add-one.wasm');
const PROBE = resolve('__tests__/fixtures/runtimes/probe.wasm');
const TRAP = resolve('__tests__/fixtures/runtimes/trap.wasm');
const HF_DIR = (v: string) => `hyperfine-v${v}-x86_64-unknown-linux-gnu`;

let server: ReleaseServer;
let work: string;
let toolCache: string;
let temp: string;
const logs: string[] = [];
const warmMs: Record<string, number> = {};

function options(extra: ResolveOptions = {}): ResolveOptions {
  return { mirror: server.url, toolCacheDir: toolCache, githubApiUrl: server.url, log: (m) => logs.push(m), ...extra };
}

function inv(wasm: string, extra: Partial<Invocation> = {}): Invocation {
  return { wasm, args: [], env: {}, cwd: work, ...extra };
}

interface Ran {
  code: number;
  stdout: string;
  stderr: string;
}

function run(cmd: Command): Promise<Ran> {
  const [exe = '', ...args] = cmd.argv;
  return new Promise((ok) => {
    const child = execFile(
      exe,
      args,
      { cwd: cmd.cwd, env: { PATH: process.env['PATH'] ?? '', HOME: work, ...cmd.env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err === null ? 0 : typeof err.code === 'number' ? err.code : -1;
        ok({ code, stdout, stderr });
      },
    );
    if (cmd.stdinFile !== undefined) child.stdin?.end(readFileSync(cmd.stdinFile));
  });
}

const requestsSince = (n: number): string[] => requestsOf(server, n);

function toolCacheEntries(tool: string): string[] {
  const dir = join(toolCache, `wasm-perf-gate-${tool}`);
  return existsSync(dir) ? readdirSync(dir) : [];
}

retryDownloadsAtOnce();

before(async () => {
  if (needs.skip) return;
  server = await startReleaseServer();
  work = mkdtempSync(join(tmpdir(), 'wpg-runtimes-'));
  toolCache = join(work, 'tool-cache');
  temp = join(work, 'runner-temp');
  mkdirSync(temp);
  process.env['RUNNER_TEMP'] = temp;

  // bun: bun-v{V}/bun-linux-x64.zip holding bun-linux-x64/bun, checked against the release's SHASUMS256.txt.
  const bunSha = server.add(
    'oven-sh',
    'bun',
    'bun-v1.4.5',
    'bun-linux-x64.zip',
    buildArchive('zip', { 'bun-linux-x64/bun': BUN }),
  );
  server.add(
    'oven-sh',
    'bun',
    'bun-v1.4.5',
    'SHASUMS256.txt',
    Buffer.from(`${'ab'.repeat(32)}  bun-darwin-aarch64.zip\n${bunSha}  bun-linux-x64.zip\n`),
  );
  // deno: v{V}/deno-x86_64-unknown-linux-gnu.zip with deno at the root, and its per-asset .sha256sum.
  const denoAsset = 'deno-x86_64-unknown-linux-gnu.zip';
  const denoSha = server.add('denoland', 'deno', 'v2.9.6', denoAsset, buildArchive('zip', { deno: DENO }));
  server.add('denoland', 'deno', 'v2.9.6', `${denoAsset}.sha256sum`, Buffer.from(`${denoSha}  ${denoAsset}\n`));
  // hyperfine: no checksum file upstream, so the sha256 comes from the release API digest.
  server.add(
    'sharkdp',
    'hyperfine',
    'v1.15.0',
    `${HF_DIR('1.15.0')}.tar.gz`,
    buildArchive('tar.gz', {
      [`${HF_DIR('1.15.0')}/hyperfine`]: HYPERFINE,
      [`${HF_DIR('1.15.0')}/README.md`]: resolve('package.json'),
    }),
  );
});

after(async () => {
  if (needs.skip) return;
  await server.close();
  rmSync(work, { recursive: true, force: true });
  // The lead asked for warm-cache resolve times; print them with the test output.
  console.log(`warm (tool-cache hit) resolve ms: ${JSON.stringify(warmMs)}`);
});

describe('bun and deno from their release zips', needs, () => {
  for (const [name, exeTail, checksumFile] of [
    ['bun', 'bun-linux-x64/bun', 'SHASUMS256.txt'],
    ['deno', 'deno', 'deno-x86_64-unknown-linux-gnu.zip.sha256sum'],
  ] as const) {
    test(`${name}: first resolve downloads (through the redirect), verifies, caches, reads the version and runs add-one.wasm`, async () => {
      const n = server.requests.length;
      const rt = await resolveRuntime(parseRuntimeSpec(name), options());
      assert.equal(rt.installedFrom, 'download');
      assert.equal(rt.version, name === 'bun' ? '1.4.5' : '2.9.6');
      assert.equal(rt.id, `${name}@${rt.version}`);
      assert.ok(rt.exe.startsWith(toolCache) && rt.exe.endsWith(exeTail), rt.exe);
      const seen = requestsSince(n);
      assert.ok(
        seen.some((r) => r.startsWith('200') && r.endsWith(checksumFile)),
        seen.join('\n'),
      );
      assert.ok(
        seen.some((r) => r.startsWith('302') && r.endsWith('.zip')),
        seen.join('\n'),
      );
      assert.ok(
        seen.some((r) => r.startsWith('200 /objects/')),
        seen.join('\n'),
      );
      const out = await run(rt.command(inv(ADD_ONE)));
      assert.deepEqual([out.code, out.stdout], [0, '42\n'], out.stderr);
      assert.deepEqual(readdirSync(temp), [], 'download and staging dirs are cleaned up');
    });

    test(`${name}: second resolve comes from the tool cache without any request`, async () => {
      const n = server.requests.length;
      const t0 = performance.now();
      const rt = await resolveRuntime(parseRuntimeSpec(name), options());
      warmMs[name] = Math.round(performance.now() - t0);
      assert.equal(rt.installedFrom, 'tool-cache');
      assert.deepEqual(requestsSince(n), []);
      const out = await run(rt.command(inv(ADD_ONE, { args: ['99'] })));
      assert.deepEqual([out.code, out.stdout], [0, '100\n'], out.stderr);
    });

    test(`${name}: env, preopened dir, exit code and trap through the launcher`, async () => {
      const rt = await resolveRuntime(parseRuntimeSpec(name), options());
      const dir = join(work, `data-${name}`);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'in.txt'), 'first line\nsecond\n');
      const timings = join(work, `${name}-timings.json`);
      const probe = await run(
        rt.command(inv(PROBE, { args: [join(dir, 'in.txt')], env: { PROBE_VAR: 'hello' }, dir, timingsFile: timings })),
      );
      assert.equal(probe.code, 3, probe.stderr);
      assert.match(probe.stdout, /env=hello\n/);
      assert.match(probe.stdout, /file=first line\n/);
      assert.ok(existsSync(timings), 'the launcher wrote its phase timings');
      const trap = await run(rt.command(inv(TRAP)));
      assert.ok(rt.trapExitCodes.includes(trap.code), `trap exit ${trap.code}: ${trap.stderr}`);
    });
  }
});

describe('hyperfine (tar.gz with a top directory, sha256 from the release digest)', needs, () => {
  test('installs, verifies against the API digest, and reads its version', async () => {
    const n = server.requests.length;
    server.redirect = false;
    try {
      const hf = await resolveTool('hyperfine', { ...options(), version: '1.15.0' });
      assert.equal(hf.installedFrom, 'download');
      assert.equal(hf.version, '1.15.0');
      assert.ok(hf.exe.endsWith(`${HF_DIR('1.15.0')}/hyperfine`));
      assert.deepEqual(requestsSince(n), [
        '200 /repos/sharkdp/hyperfine/releases/tags/v1.15.0',
        `200 /sharkdp/hyperfine/releases/download/v1.15.0/${HF_DIR('1.15.0')}.tar.gz`,
      ]);
    } finally {
      server.redirect = true;
    }
  });

  test('second resolve: tool cache, no request', async () => {
    const n = server.requests.length;
    const t0 = performance.now();
    const hf = await resolveTool('hyperfine', { ...options(), version: '1.15.0' });
    warmMs['hyperfine'] = Math.round(performance.now() - t0);
    assert.equal(hf.installedFrom, 'tool-cache');
    assert.deepEqual(requestsSince(n), []);
  });
});

describe('transient server errors', needs, () => {
  test('a 503 on the first attempt is retried by downloadTool and the install succeeds', async () => {
    const asset = `${HF_DIR('1.15.1')}.tar.gz`;
    server.add(
      'sharkdp',
      'hyperfine',
      'v1.15.1',
      asset,
      buildArchive('tar.gz', { [`${HF_DIR('1.15.1')}/hyperfine`]: HYPERFINE }),
    );
    const path = `/sharkdp/hyperfine/releases/download/v1.15.1/${asset}`;
    server.failures.set(path, { status: 503, times: 1 });
    const n = server.requests.length;
    const hf = await resolveTool('hyperfine', { ...options(), version: '1.15.1' });
    assert.equal(hf.installedFrom, 'download');
    const seen = requestsSince(n).filter((r) => r.endsWith(asset));
    assert.deepEqual(seen.slice(0, 2), [`503 ${path}`, `302 ${path}`]);
    assert.match(seen[2] ?? '', /^200 \/objects\/\d+\//);
    assert.equal(seen.length, 3);
  });
});

describe('refusals leave nothing runnable behind', needs, () => {
  const genuine = () => buildArchive('tar.gz', { [`${HF_DIR('1.16.0')}/hyperfine`]: HYPERFINE });

  test('a tampered archive (checksum mismatch) is refused before extraction; the tool cache stays empty', async () => {
    const good = genuine();
    const tampered = Buffer.concat([good, Buffer.from('x')]);
    server.add('sharkdp', 'hyperfine', 'v1.16.0', `${HF_DIR('1.16.0')}.tar.gz`, tampered);
    const pinned = { hyperfine: { '1.16.0': { [`${HF_DIR('1.16.0')}.tar.gz`]: sha256(good) } } };
    await assert.rejects(
      resolveTool('hyperfine', { ...options({ checksums: pinned }), version: '1.16.0' }),
      (e: unknown) => {
        assert.ok(e instanceof RuntimeInstallError);
        assert.match(
          e.message,
          /^hyperfine: checksum mismatch for hyperfine-v1\.16\.0-x86_64-unknown-linux-gnu\.tar\.gz: expected [0-9a-f]{64} \(pinned sha256\), got [0-9a-f]{64}/,
        );
        assert.ok(e.message.includes(`${server.url}/sharkdp/hyperfine/releases/download/v1.16.0/`), e.message);
        return true;
      },
    );
    assert.ok(!toolCacheEntries('hyperfine').some((e) => e.startsWith('1.16.0')), toolCacheEntries('hyperfine').join());
    assert.deepEqual(readdirSync(temp), []);
  });

  test('a published checksum that disagrees is refused too (bun SHASUMS256.txt)', async () => {
    server.add('oven-sh', 'bun', 'bun-v1.4.4', 'bun-linux-x64.zip', Buffer.from('PK not really bun'));
    server.add('oven-sh', 'bun', 'bun-v1.4.4', 'SHASUMS256.txt', Buffer.from(`${'0'.repeat(64)}  bun-linux-x64.zip\n`));
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('bun@1.4.4'), options()),
      /bun: checksum mismatch .*\(published SHASUMS256\.txt\)/,
    );
    assert.ok(!toolCacheEntries('bun').includes('1.4.4'));
  });

  test('HTTP 404 names the asset, the URL and what to do', async () => {
    const pinned = { hyperfine: { '9.9.9': { [`${HF_DIR('9.9.9')}.tar.gz`]: 'a'.repeat(64) } } };
    await assert.rejects(
      resolveTool('hyperfine', { ...options({ checksums: pinned }), version: '9.9.9' }),
      /^RuntimeInstallError: hyperfine: release asset hyperfine-v9\.9\.9-x86_64-unknown-linux-gnu\.tar\.gz of v9\.9\.9 was not found \(HTTP 404\) \(http:\/\/127\.0\.0\.1:\d+\/sharkdp\/hyperfine\/releases\/download\/v9\.9\.9\/hyperfine-v9\.9\.9-x86_64-unknown-linux-gnu\.tar\.gz\)\. Check that hyperfine 9\.9\.9 exists/,
    );
  });

  test('no release digest for an unknown tag: refused before downloading anything', async () => {
    const n = server.requests.length;
    await assert.rejects(
      resolveTool('hyperfine', { ...options(), version: '9.9.8' }),
      /hyperfine: cannot read the release digest .*HTTP 404.*\/repos\/sharkdp\/hyperfine\/releases\/tags\/v9\.9\.8/,
    );
    assert.deepEqual(requestsSince(n), ['404 /repos/sharkdp/hyperfine/releases/tags/v9.9.8']);
  });

  test('a runtime with no checksum source at all (mirror without API or sidecar) is refused before its download', async () => {
    const n = server.requests.length;
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('wasmtime'), { mirror: server.url, toolCacheDir: toolCache }),
      /wasmtime: runtime-mirror \S+ serves no checksum for wasmtime-v48\.0\.0-x86_64-linux\.tar\.xz 48\.0\.0 \(tried wasmtime-v48\.0\.0-x86_64-linux\.tar\.xz\.sha256\)/,
    );
    assert.deepEqual(requestsSince(n), [
      '404 /bytecodealliance/wasmtime/releases/download/v48.0.0/wasmtime-v48.0.0-x86_64-linux.tar.xz.sha256',
    ]);
  });

  test('an archive without the executable at its documented path names that path and what it holds', async () => {
    const asset = `${HF_DIR('1.17.0')}.tar.gz`;
    const sha = server.add(
      'sharkdp',
      'hyperfine',
      'v1.17.0',
      asset,
      buildArchive('tar.gz', { 'hyperfine/hyperfine': HYPERFINE }),
    );
    await assert.rejects(
      resolveTool('hyperfine', {
        ...options({ checksums: { hyperfine: { '1.17.0': { [asset]: sha } } } }),
        version: '1.17.0',
      }),
      /hyperfine: hyperfine-v1\.17\.0-x86_64-unknown-linux-gnu\/hyperfine is missing in hyperfine-v1\.17\.0-x86_64-unknown-linux-gnu\.tar\.gz \(it holds: hyperfine\/, hyperfine\/hyperfine\)/,
    );
    assert.ok(!toolCacheEntries('hyperfine').some((e) => e.startsWith('1.17.0')));
    assert.deepEqual(readdirSync(temp), []);
  });

  test('a corrupt archive (right checksum, not a tarball) fails at unpacking with a clear message', async () => {
    const asset = `${HF_DIR('1.18.0')}.tar.gz`;
    const sha = server.add('sharkdp', 'hyperfine', 'v1.18.0', asset, Buffer.from('this is not a gzip stream'));
    await assert.rejects(
      resolveTool('hyperfine', {
        ...options({ checksums: { hyperfine: { '1.18.0': { [asset]: sha } } } }),
        version: '1.18.0',
      }),
      /hyperfine: cannot unpack hyperfine-v1\.18\.0-x86_64-unknown-linux-gnu\.tar\.gz as tar\.gz .*The archive is corrupt/,
    );
    assert.ok(!toolCacheEntries('hyperfine').some((e) => e.startsWith('1.18.0')));
    assert.deepEqual(readdirSync(temp), []);
  });

  test('no release build for the platform says which platforms have one', async () => {
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('wasm3'), options({ platform: 'darwin-arm64' })),
      /wasm3: no release build for darwin-arm64\. Release builds exist for: linux-x64, win32-x64\. Install wasm3 in an earlier step and use `wasm3@path`/,
    );
  });
});

describe('executables that are already there', needs, () => {
  let bin: string;
  const oldPath = process.env['PATH'];
  before(() => {
    bin = join(work, 'bin');
    mkdirSync(bin, { recursive: true });
    // A stand-in wasmtime: prints the version like the real one, otherwise echoes its argv.
    writeFileSync(
      join(bin, 'wasmtime'),
      '#!/bin/sh\nif [ "$1" = "-V" ]; then echo "wasmtime 48.0.0 (ede663c2a 2026-08-20)"; exit 0; fi\nprintf "%s\\n" "$@"\n',
    );
    writeFileSync(join(bin, 'deno'), '#!/bin/sh\necho "deno 2.7.14 (stable, release, x86_64-unknown-linux-gnu)"\n');
    chmodSync(join(bin, 'wasmtime'), 0o755);
    chmodSync(join(bin, 'deno'), 0o755);
    process.env['PATH'] = `${bin}${delimiter}${oldPath ?? ''}`;
  });
  after(() => {
    process.env['PATH'] = oldPath;
  });

  test('wasmtime:winch@path uses the one on PATH and records its version', async () => {
    const n = server.requests.length;
    const rt = await resolveRuntime(parseRuntimeSpec('wasmtime:winch@path'), options());
    assert.deepEqual(
      [rt.exe, rt.version, rt.id, rt.installedFrom],
      [join(bin, 'wasmtime'), '48.0.0', 'wasmtime:winch@48.0.0', 'path'],
    );
    assert.deepEqual(requestsSince(n), []);
    const out = await run(rt.command(inv('/w/m.wasm', { args: ['7'] })));
    assert.equal(out.stdout, 'run\n-C\ncompiler=winch\n/w/m.wasm\n7\n');
  });

  test('path: in a config entry is used as is', async () => {
    const rt = await resolveRuntime(runtimeRefFromEntry({ name: 'wasmtime', path: join(bin, 'wasmtime') }), options());
    assert.deepEqual([rt.exe, rt.version, rt.installedFrom], [join(bin, 'wasmtime'), '48.0.0', 'path']);
  });

  test('a path that is not an executable is a clear error', async () => {
    await assert.rejects(
      resolveRuntime(runtimeRefFromEntry({ name: 'wasmtime', path: join(bin, 'nope') }), options()),
      /wasmtime: .*\/bin\/nope is not an executable file/,
    );
  });

  test('a deno on PATH older than 2.8.0 is refused (node:wasi is a stub there)', async () => {
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('deno@path'), options()),
      /deno: version 2\.7\.14 is too old: node:wasi is a stub/,
    );
  });

  test('iwasm:aot given by path compiles with the wamrc beside it, of the same release only', async () => {
    const wamr = join(work, 'wamr');
    mkdirSync(wamr, { recursive: true });
    const standIn = (name: string, version: string) => {
      writeFileSync(join(wamr, name), `#!/bin/sh\necho "${name} ${version}"\n`);
      chmodSync(join(wamr, name), 0o755);
    };
    standIn('iwasm', '2.4.3');
    standIn('wamrc', '2.4.3');
    const ref = runtimeRefFromEntry({ name: 'iwasm', variant: 'aot', path: join(wamr, 'iwasm') });
    const n = server.requests.length;
    const rt = await resolveRuntime(ref, options());
    assert.deepEqual(rt.aot?.prepare('/w/m.wasm', '/out').compile.argv, [
      join(wamr, 'wamrc'),
      '-o',
      '/out/m.aot',
      '/w/m.wasm',
    ]);
    assert.deepEqual(requestsSince(n), [], 'nothing downloaded');
    standIn('wamrc', '2.4.2');
    await assert.rejects(
      resolveRuntime(ref, options()),
      /wamrc: wamrc 2\.4\.2 \(.*\/wamr\/wamrc\) cannot compile for iwasm 2\.4\.3: the AOT file format changes between releases.*same release/,
    );
    rmSync(join(wamr, 'wamrc'));
    await assert.rejects(
      resolveRuntime(ref, options()),
      /wamrc: iwasm was given by path and wamrc is not beside it \(.*\/wamr\/wamrc\); then: .*Put wamrc from the same release next to iwasm\./,
    );
  });

  test('wasmer@path when there is none on PATH', async () => {
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('wasmer@path'), options()),
      /wasmer: `wasmer` was not found on PATH/,
    );
  });

  test('node is embedded: no download, this process’s node, runs add-one.wasm', async () => {
    const n = server.requests.length;
    const rt = await resolveRuntime(parseRuntimeSpec('node'), options());
    assert.deepEqual([rt.exe, rt.version, rt.installedFrom], [process.execPath, process.versions.node, 'embedded']);
    assert.deepEqual(requestsSince(n), []);
    const out = await run(rt.command(inv(ADD_ONE)));
    assert.deepEqual([out.code, out.stdout], [0, '42\n'], out.stderr);
    await assert.rejects(
      resolveRuntime(parseRuntimeSpec('node@18.0.0'), options()),
      /node: version 18\.0\.0 was asked for.*actions\/setup-node/,
    );
  });

  test('custom runs its argv template', async () => {
    const ref = runtimeRefFromEntry({
      name: 'custom',
      id: 'node-by-hand',
      command: [process.execPath, '--no-warnings', wasiLauncherPath, '--', '{wasm}', '{args}'],
    });
    const rt = await resolveRuntime(ref, options());
    assert.equal(rt.id, 'node-by-hand');
    const out = await run(rt.command(inv(ADD_ONE, { args: ['1'] })));
    assert.deepEqual([out.code, out.stdout], [0, '2\n'], out.stderr);
  });
});

describe('Actions cache outage', needs, () => {
  test('restore and save failures are tolerated: the install still downloads and caches', async () => {
    const saved = { ...process.env };
    // Points @actions/cache (v1 protocol) at the release server, which answers 404 to everything it asks.
    process.env['ACTIONS_CACHE_URL'] = `${server.url}/cache/`;
    process.env['ACTIONS_RUNTIME_TOKEN'] = 'not-a-real-token';
    delete process.env['ACTIONS_CACHE_SERVICE_V2'];
    try {
      const asset = `${HF_DIR('1.19.0')}.tar.gz`;
      server.add(
        'sharkdp',
        'hyperfine',
        'v1.19.0',
        asset,
        buildArchive('tar.gz', { [`${HF_DIR('1.19.0')}/hyperfine`]: HYPERFINE }),
      );
      const hf = await resolveTool('hyperfine', { ...options({ actionsCache: true }), version: '1.19.0' });
      assert.equal(hf.installedFrom, 'download');
      assert.ok(
        server.requests.some((r) => r.path.startsWith('/cache/')),
        'the cache service was asked',
      );
    } finally {
      for (const k of ['ACTIONS_CACHE_URL', 'ACTIONS_RUNTIME_TOKEN']) if (saved[k] === undefined) delete process.env[k];
    }
  });
});
