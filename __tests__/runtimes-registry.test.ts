// The registry against the runtimes' documented facts for every runtime,
// including those with no binary on this machine: release URLs, archive layout, checksum sources,
// version parsing, argv for args/env/dir/variants/AOT/cache, trap codes.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RuntimeRef } from '../src/model/plan.js';
import { InputError } from '../src/model/input-error.js';
import { classifyOutcome } from '../src/measure/classify-outcome.js';
import type { ProcessOutcome } from '../src/measure/process.js';
import { assembleRuntime } from '../src/runtimes/assemble.js';
import { sha256FromChecksumFile, sha256FromReleaseDocument } from '../src/runtimes/checksum.js';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';
import type { Platform } from '../src/runtimes/descriptor.js';
import { describe as descriptor, registry, releaseAsset } from '../src/runtimes/registry.js';
import { unsupportedRuntimes } from '../src/runtimes/unsupported.js';
import { compareVersions } from '../src/runtimes/version.js';
import { parseRuntimeSpec } from '../src/runtimes/spec.js';
import type { Invocation, ResolvedTool } from '../src/runtimes/types.js';

const GH = 'https://github.com';

function asset(name: string, version: string, platform: Platform = 'linux-x64', mirror?: string) {
  const desc = descriptor(name);
  assert.ok(desc, name);
  return releaseAsset(desc, version, platform, mirror);
}

describe('release URLs and archive layout (linux-x64 unless noted)', () => {
  const rows: Array<[string, string, Platform, string, string, string]> = [
    // runtime, version, platform, URL, format, exe inside the archive
    [
      'bun',
      '1.4.5',
      'linux-x64',
      `${GH}/oven-sh/bun/releases/download/bun-v1.4.5/bun-linux-x64.zip`,
      'zip',
      'bun-linux-x64/bun',
    ],
    [
      'bun',
      '1.4.5',
      'darwin-arm64',
      `${GH}/oven-sh/bun/releases/download/bun-v1.4.5/bun-darwin-aarch64.zip`,
      'zip',
      'bun-darwin-aarch64/bun',
    ],
    [
      'deno',
      '2.9.6',
      'linux-x64',
      `${GH}/denoland/deno/releases/download/v2.9.6/deno-x86_64-unknown-linux-gnu.zip`,
      'zip',
      'deno',
    ],
    [
      'deno',
      '2.9.6',
      'win32-x64',
      `${GH}/denoland/deno/releases/download/v2.9.6/deno-x86_64-pc-windows-msvc.zip`,
      'zip',
      'deno.exe',
    ],
    [
      'wasmtime',
      '48.0.0',
      'linux-x64',
      `${GH}/bytecodealliance/wasmtime/releases/download/v48.0.0/wasmtime-v48.0.0-x86_64-linux.tar.xz`,
      'tar.xz',
      'wasmtime-v48.0.0-x86_64-linux/wasmtime',
    ],
    [
      'wasmtime',
      '48.0.0',
      'darwin-arm64',
      `${GH}/bytecodealliance/wasmtime/releases/download/v48.0.0/wasmtime-v48.0.0-aarch64-macos.tar.xz`,
      'tar.xz',
      'wasmtime-v48.0.0-aarch64-macos/wasmtime',
    ],
    [
      'wasmtime',
      '48.0.0',
      'win32-x64',
      `${GH}/bytecodealliance/wasmtime/releases/download/v48.0.0/wasmtime-v48.0.0-x86_64-windows.zip`,
      'zip',
      'wasmtime-v48.0.0-x86_64-windows/wasmtime.exe',
    ],
    [
      'wasmer',
      '7.2.0',
      'linux-x64',
      `${GH}/wasmerio/wasmer/releases/download/v7.2.0/wasmer-linux-amd64.tar.gz`,
      'tar.gz',
      'bin/wasmer',
    ],
    [
      'wasmer',
      '7.2.0',
      'linux-arm64',
      `${GH}/wasmerio/wasmer/releases/download/v7.2.0/wasmer-linux-aarch64.tar.gz`,
      'tar.gz',
      'bin/wasmer',
    ],
    [
      'wasmedge',
      '0.17.1',
      'linux-x64',
      `${GH}/WasmEdge/WasmEdge/releases/download/0.17.1/WasmEdge-0.17.1-ubuntu20.04_x86_64.tar.gz`,
      'tar.gz',
      'bin/wasmedge',
    ],
    [
      'wasmedge',
      '0.14.1',
      'linux-x64',
      `${GH}/WasmEdge/WasmEdge/releases/download/0.14.1/WasmEdge-0.14.1-ubuntu20.04_x86_64.tar.gz`,
      'tar.gz',
      'WasmEdge-0.14.1-Linux/bin/wasmedge',
    ],
    [
      'wasmedge',
      '0.17.1',
      'darwin-arm64',
      `${GH}/WasmEdge/WasmEdge/releases/download/0.17.1/WasmEdge-0.17.1-darwin_arm64.tar.gz`,
      'tar.gz',
      'bin/wasmedge',
    ],
    ['wasm3', '0.5.0', 'linux-x64', `${GH}/wasm3/wasm3/releases/download/v0.5.0/wasm3-linux-x64.elf`, 'raw', 'wasm3'],
    [
      'iwasm',
      '2.4.5',
      'linux-x64',
      `${GH}/bytecodealliance/wasm-micro-runtime/releases/download/WAMR-2.4.5/iwasm-2.4.5-x86_64-ubuntu-22.04.tar.gz`,
      'tar.gz',
      'iwasm',
    ],
    [
      'wamrc',
      '2.4.5',
      'linux-x64',
      `${GH}/bytecodealliance/wasm-micro-runtime/releases/download/WAMR-2.4.5/wamrc-2.4.5-x86_64-ubuntu-22.04.tar.gz`,
      'tar.gz',
      'wamrc',
    ],
    [
      'wazero',
      '1.9.0',
      'linux-x64',
      `${GH}/tetratelabs/wazero/releases/download/v1.9.0/wazero_1.9.0_linux_amd64.tar.gz`,
      'tar.gz',
      'wazero',
    ],
    [
      'wazero',
      '1.9.0',
      'win32-x64',
      `${GH}/tetratelabs/wazero/releases/download/v1.9.0/wazero_1.9.0_windows_amd64.zip`,
      'zip',
      'wazero.exe',
    ],
    [
      'wasmi',
      '2.0.0-beta.9',
      'linux-x64',
      `${GH}/wasmi-labs/wasmi/releases/download/v2.0.0-beta.9/wasmi-v2.0.0-beta.9-x86_64-linux-full.tar.xz`,
      'tar.xz',
      'wasmi-v2.0.0-beta.9-x86_64-linux-full/wasmi',
    ],
    [
      'hyperfine',
      '1.20.0',
      'linux-x64',
      `${GH}/sharkdp/hyperfine/releases/download/v1.20.0/hyperfine-v1.20.0-x86_64-unknown-linux-gnu.tar.gz`,
      'tar.gz',
      'hyperfine-v1.20.0-x86_64-unknown-linux-gnu/hyperfine',
    ],
  ];
  for (const [name, version, platform, url, format, exe] of rows) {
    test(`${name} ${version} ${platform}`, () => {
      const a = asset(name, version, platform);
      assert.deepEqual([a?.url, a?.format, a?.exe], [url, format, exe]);
    });
  }

  test('runtime-mirror replaces https://github.com and keeps the release path', () => {
    assert.equal(
      asset('wasmtime', '48.0.0', 'linux-x64', 'https://mirror.example/gh/')?.url,
      'https://mirror.example/gh/bytecodealliance/wasmtime/releases/download/v48.0.0/wasmtime-v48.0.0-x86_64-linux.tar.xz',
    );
  });

  test('platforms without a release build have no asset', () => {
    assert.equal(asset('wasm3', '0.5.0', 'darwin-arm64'), undefined);
    assert.equal(asset('iwasm', '2.4.5', 'linux-arm64'), undefined);
    assert.equal(asset('node', '20.0.0'), undefined, 'node is embedded, never downloaded');
  });

  test('published checksum files: bun SHASUMS256.txt, deno <asset>.sha256sum, wazero and wasmi sums', () => {
    assert.equal(
      asset('bun', '1.4.5')?.checksumFileUrl,
      `${GH}/oven-sh/bun/releases/download/bun-v1.4.5/SHASUMS256.txt`,
    );
    assert.equal(
      asset('deno', '2.9.6')?.checksumFileUrl,
      `${GH}/denoland/deno/releases/download/v2.9.6/deno-x86_64-unknown-linux-gnu.zip.sha256sum`,
    );
    assert.equal(
      asset('wazero', '1.9.0')?.checksumFileUrl,
      `${GH}/tetratelabs/wazero/releases/download/v1.9.0/wazero_1.9.0_checksums.txt`,
    );
    assert.equal(
      asset('wasmi', '2.0.0-beta.9')?.checksumFileUrl,
      `${GH}/wasmi-labs/wasmi/releases/download/v2.0.0-beta.9/wasmi-v2.0.0-beta.9-SHA256SUMS`,
    );
    for (const none of ['wasmtime', 'wasmer', 'wasmedge', 'wasm3', 'iwasm', 'hyperfine']) {
      assert.equal(asset(none, descriptor(none)?.defaultVersion ?? '')?.checksumFileUrl, undefined, none);
    }
  });

  test('every release descriptor has a linux-x64 build and a default version that yields one', () => {
    for (const d of Object.values(registry)) {
      if (d.install.kind !== 'release') continue;
      assert.ok(releaseAsset(d, d.defaultVersion, 'linux-x64'), d.name);
    }
  });
});

describe('checksum files and release digests', () => {
  const h = (c: string) => c.repeat(64);
  test('sha256sum lines, binary-mode star, other assets ignored', () => {
    const text = `${h('a')}  bun-darwin-aarch64.zip\n${h('B')} *bun-linux-x64.zip\n`;
    assert.equal(sha256FromChecksumFile(text, 'bun-linux-x64.zip', false), h('b'));
    assert.equal(sha256FromChecksumFile(text, 'bun-windows-x64.zip', false), undefined);
  });
  test("a per-asset file may hold only the hash (deno's Windows Get-FileHash output)", () => {
    const windows = `\r\nAlgorithm       Hash                                                                   Path\r\n---------       ----                                                                   ----\r\nSHA256          ${h('C')}       D:\\a\\deno\\target\\release\\deno-x86_64-pc-windows-msvc.zip\r\n`;
    assert.equal(sha256FromChecksumFile(windows, 'deno-x86_64-pc-windows-msvc.zip', true), h('c'));
    assert.equal(sha256FromChecksumFile(`${h('d')}\n`, 'x.zip', true), h('d'));
    assert.equal(sha256FromChecksumFile(`${h('d')}\n`, 'x.zip', false), undefined);
  });
  test('GitHub release API digest', () => {
    const doc = {
      assets: [
        { name: 'a.tar.xz', digest: `sha256:${h('E')}` },
        { name: 'b.zip', digest: null },
      ],
    };
    assert.equal(sha256FromReleaseDocument(doc, 'a.tar.xz'), h('e'));
    assert.equal(sha256FromReleaseDocument(doc, 'b.zip'), undefined);
    assert.equal(sha256FromReleaseDocument({ message: 'Not Found' }, 'a.tar.xz'), undefined);
  });
});

describe('version commands', () => {
  const rows: Array<[string, string, string]> = [
    ['wasmtime', 'wasmtime 48.0.0 (ede663c2a 2026-08-20)\n', '48.0.0'],
    ['wasmtime', 'wasmtime-cli 15.0.1\n', '15.0.1'],
    ['wasmer', 'wasmer 7.2.0\n', '7.2.0'],
    ['wasmedge', '/opt/tc/bin/wasmedge version 0.17.1\nplugin: wasi_nn\n', '0.17.1'],
    ['wasm3', 'Wasm3 v0.5.0 on x86_64\nBuild: Jun  2 2021 12:00:00, GCC 10\n', '0.5.0'],
    ['iwasm', 'iwasm 2.4.5\n\nproposals: …\n', '2.4.5'],
    ['wazero', '1.9.0\n', '1.9.0'],
    ['wasmi', 'wasmi 2.0.0-beta.9\n', '2.0.0-beta.9'],
    ['wasmi', 'wasmi_cli 1.1.0\n', '1.1.0'],
    ['deno', 'deno 2.9.6 (stable, release, x86_64-unknown-linux-gnu)\nv8 15.0.245.2-rusty\n', '2.9.6'],
    ['bun', '1.4.5\n', '1.4.5'],
    ['node', 'v20.20.2\n', '20.20.2'],
    ['hyperfine', 'hyperfine 1.15.0\n', '1.15.0'],
    ['wamrc', 'wamrc 2.4.5\n', '2.4.5'],
  ];
  for (const [name, output, version] of rows) {
    test(`${name}: ${JSON.stringify(output.split('\n')[0])}`, () => {
      assert.equal(descriptor(name)?.versionCommand.pattern.exec(output)?.[1], version);
    });
  }
  test('the commands themselves', () => {
    assert.deepEqual(descriptor('wasmtime')?.versionCommand.args, ['-V']);
    assert.deepEqual(descriptor('wazero')?.versionCommand.args, ['version']);
    assert.deepEqual(descriptor('wasmedge')?.versionCommand.args, ['--version']);
  });
  test('compareVersions: numeric, prerelease before release', () => {
    assert.ok(compareVersions('0.9.0', '0.15.0') < 0);
    assert.ok(compareVersions('2.0.0-beta.9', '2.0.0-beta.10') < 0);
    assert.ok(compareVersions('2.0.0-beta.9', '2.0.0') < 0);
    assert.equal(compareVersions('v48.0.0', '48.0.0'), 0);
  });
});

// ---------- argv ----------

const wasm = '/w/bench.wasm';
const dir = '/w/data';
function inv(extra: Partial<Invocation> = {}): Invocation {
  return { wasm, args: ['10', '--x'], env: { A: '1', B: 'two words' }, dir, cwd: '/w', ...extra };
}
function rt(spec: string, version: string, flags: string[] = [], compiler?: ResolvedTool) {
  const ref: RuntimeRef = { ...parseRuntimeSpec(spec), flags };
  return assembleRuntime(ref, `/tc/${ref.name}`, version, 'tool-cache', compiler);
}

describe('run argv per runtime (flags before the module, guest args after)', () => {
  const rows: Array<[string, string, string[], string[]]> = [
    [
      'wasmtime',
      '48.0.0',
      [],
      ['/tc/wasmtime', 'run', '--dir', '/w/data::/w/data', '--env', 'A=1', '--env', 'B=two words', wasm, '10', '--x'],
    ],
    [
      'wasmtime:winch',
      '48.0.0',
      ['-O', 'opt-level=0'],
      [
        '/tc/wasmtime',
        'run',
        '-C',
        'compiler=winch',
        '-O',
        'opt-level=0',
        '--dir',
        '/w/data::/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmtime:cranelift',
      '48.0.0',
      [],
      [
        '/tc/wasmtime',
        'run',
        '-C',
        'compiler=cranelift',
        '--dir',
        '/w/data::/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmer:singlepass',
      '7.2.0',
      [],
      [
        '/tc/wasmer',
        'run',
        '--singlepass',
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmer:llvm',
      '7.2.0',
      [],
      ['/tc/wasmer', 'run', '--llvm', '--dir', '/w/data', '--env', 'A=1', '--env', 'B=two words', wasm, '10', '--x'],
    ],
    [
      'wasmedge',
      '0.17.1',
      [],
      ['/tc/wasmedge', '--dir', '/w/data:/w/data', '--env', 'A=1', '--env', 'B=two words', wasm, '10', '--x'],
    ],
    [
      'wasmedge:jit',
      '0.17.1',
      [],
      [
        '/tc/wasmedge',
        '--run-mode=jit',
        '--dir',
        '/w/data:/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmedge:interpreter',
      '0.16.0',
      [],
      [
        '/tc/wasmedge',
        '--force-interpreter',
        '--dir',
        '/w/data:/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmedge:jit',
      '0.16.0',
      [],
      [
        '/tc/wasmedge',
        '--enable-jit',
        '--dir',
        '/w/data:/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'iwasm:interpreter',
      '2.4.5',
      ['--stack-size=1048576'],
      [
        '/tc/iwasm',
        '--interp',
        '--stack-size=1048576',
        '--dir=/w/data',
        '--env=A=1',
        '--env=B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'iwasm:fast-jit',
      '2.4.5',
      [],
      ['/tc/iwasm', '--fast-jit', '--dir=/w/data', '--env=A=1', '--env=B=two words', wasm, '10', '--x'],
    ],
    [
      'iwasm:llvm-jit',
      '2.4.5',
      [],
      ['/tc/iwasm', '--llvm-jit', '--dir=/w/data', '--env=A=1', '--env=B=two words', wasm, '10', '--x'],
    ],
    [
      'iwasm:multi-tier',
      '2.4.5',
      [],
      ['/tc/iwasm', '--multi-tier-jit', '--dir=/w/data', '--env=A=1', '--env=B=two words', wasm, '10', '--x'],
    ],
    [
      'wazero',
      '1.9.0',
      [],
      ['/tc/wazero', 'run', '-mount=/w/data:/w/data', '-env=A=1', '-env=B=two words', wasm, '10', '--x'],
    ],
    [
      'wazero:interpreter',
      '1.9.0',
      [],
      [
        '/tc/wazero',
        'run',
        '-interpreter',
        '-mount=/w/data:/w/data',
        '-env=A=1',
        '-env=B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmi:eager',
      '2.0.0-beta.9',
      [],
      [
        '/tc/wasmi',
        'run',
        '--compilation-mode',
        'eager',
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmi:lazy',
      '1.1.0',
      [],
      [
        '/tc/wasmi',
        '--compilation-mode',
        'lazy',
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'wasmi:lazy-translation',
      '2.0.0-beta.9',
      [],
      [
        '/tc/wasmi',
        'run',
        '--compilation-mode',
        'lazy-translation',
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'node',
      '20.20.2',
      ['--liftoff'],
      [
        '/tc/node',
        '--no-warnings',
        '--liftoff',
        wasiLauncherPath,
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        '--',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'bun',
      '1.4.5',
      [],
      [
        '/tc/bun',
        wasiLauncherPath,
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        '--',
        wasm,
        '10',
        '--x',
      ],
    ],
    [
      'deno',
      '2.9.6',
      [],
      [
        '/tc/deno',
        'run',
        '--no-prompt',
        '--no-config',
        '--no-lock',
        '--allow-read',
        '--allow-write',
        wasiLauncherPath,
        '--dir',
        '/w/data',
        '--env',
        'A=1',
        '--env',
        'B=two words',
        '--',
        wasm,
        '10',
        '--x',
      ],
    ],
  ];
  for (const [spec, version, flags, argv] of rows) {
    test(`${spec}@${version}${flags.length ? ` ${flags.join(' ')}` : ''}`, () => {
      const cmd = rt(spec, version, flags).command(inv());
      assert.deepEqual(cmd.argv, argv);
      assert.equal(cmd.cwd, '/w');
    });
  }

  test('wasm3: args only; env or dir are refused with a clear message', () => {
    const w3 = rt('wasm3', '0.5.0');
    assert.deepEqual(w3.command(inv({ env: {}, dir: undefined })).argv, ['/tc/wasm3', wasm, '10', '--x']);
    assert.throws(
      () => w3.command(inv({ dir: undefined })),
      (e: unknown) =>
        e instanceof InputError &&
        /wasm3 cannot pass environment variables to the guest \(the benchmark sets A, B\)/.test(e.message),
    );
    assert.throws(() => w3.command(inv({ env: {} })), /wasm3 cannot preopen \/w\/data/);
  });

  test('wasmi refuses an empty env value (its --env rejects NAME=)', () => {
    assert.throws(
      () => rt('wasmi', '2.0.0-beta.9').command(inv({ env: { EMPTY: '' } })),
      /wasmi cannot pass an empty environment value \(EMPTY\)/,
    );
  });

  test('stdin passes through; deno gets DENO_NO_UPDATE_CHECK; no dir/env means no flags', () => {
    const cmd = rt('deno', '2.9.6').command(inv({ stdinFile: '/w/in.txt', env: {}, dir: undefined, args: [] }));
    assert.equal(cmd.stdinFile, '/w/in.txt');
    assert.deepEqual(cmd.env, { DENO_NO_UPDATE_CHECK: '1' });
    assert.deepEqual(cmd.argv.slice(-2), ['--', wasm]);
    assert.deepEqual(rt('wasmtime', '48.0.0').command(inv({ env: {}, dir: undefined, args: [] })).argv, [
      '/tc/wasmtime',
      'run',
      wasm,
    ]);
  });

  test('the JS launcher writes phase timings; native runtimes do not', () => {
    const cmd = rt('node', '20.20.2').command(inv({ timingsFile: '/tmp/t.json', env: {}, dir: undefined, args: [] }));
    assert.deepEqual(cmd.argv.slice(-4), ['--timings', '/tmp/t.json', '--', wasm]);
    assert.equal(rt('node', '20.20.2').reportsPhases, true);
    assert.equal(rt('wasmtime', '48.0.0').reportsPhases, false);
  });

  test('resolved ids carry the version', () => {
    assert.equal(rt('wasmtime:winch', '48.0.0').id, 'wasmtime:winch@48.0.0');
  });
});

describe('trap exit codes', () => {
  test('134 for wasmtime, wasmedge and the JS launcher; 45 for wasmer; 1 elsewhere', () => {
    const codes = Object.fromEntries(
      ['wasmtime', 'wasmedge', 'node', 'bun', 'deno', 'wasmer', 'wasm3', 'iwasm', 'wazero', 'wasmi'].map((n) => [
        n,
        descriptor(n)?.trapExitCodes,
      ]),
    );
    assert.deepEqual(codes, {
      wasmtime: [134],
      wasmedge: [134],
      node: [134],
      bun: [134],
      deno: [134],
      wasmer: [45], // 7.4.2, measured (issue 19)
      wasm3: [1],
      iwasm: [1],
      wazero: [1],
      wasmi: [1],
    });
  });
});

describe('wasmi 2.0.0 exits 1 for everything: stderr tells trap, load and exit apart (as the real binary prints)', () => {
  const kind = (stderr: string, exitCode = 1) =>
    classifyOutcome(
      {
        exitCode,
        wallMs: 1,
        stdoutHead: '',
        stdoutTruncated: false,
        stderrTail: stderr,
        timedOut: false,
      } as ProcessOutcome,
      [1],
      1000,
      descriptor('wasmi')?.stderrPatterns,
    )?.kind;
  test('each real message', () => {
    assert.equal(kind('Error: failed during execution of _start: wasm `unreachable` instruction executed'), 'trap');
    assert.equal(
      kind(
        'Error: failed to compile Wasm module "a.wasm": type mismatch: values remaining on stack at end of block (at offset 0x25)',
      ),
      'load',
    );
    assert.equal(
      kind(
        'Error: failed during execution of _start: type mismatch: values remaining on stack at end of block (at offset 0x3)',
      ),
      'load',
    );
    assert.equal(kind('Error: failed to populate WASI externals: invalid Wasi import: env::host_clock'), 'load');
    assert.equal(kind(''), 'exit', "a guest's exit(1) says nothing");
  });
});

describe('wasm3 0.9.0: stderr tells trap, load and what it cannot run apart (as the real binary prints)', () => {
  const failure = (stderr: string) =>
    classifyOutcome(
      { exitCode: 1, wallMs: 1, stdoutHead: '', stdoutTruncated: false, stderrTail: stderr, timedOut: false },
      [1],
      1000,
      descriptor('wasm3')?.stderrPatterns,
    );
  test('the messages of sightglass benchmarks it cannot run, and a trap', () => {
    // libsodium (SIMD) and meshoptimizer: valid modules, so "try another runtime", never "build a command"
    for (const line of [
      "Error: unknown opcode (opcode 'fd' not available)",
      'Error: compiling function underran the stack',
    ]) {
      const f = failure(line);
      assert.equal(f?.kind, 'runtime', line);
      assert.match(f?.message ?? '', /This runtime cannot run the module: try another runtime or version\.$/);
    }
    assert.equal(failure('Error: [trap] integer divide by zero')?.kind, 'trap');
    assert.equal(failure('Error: missing imported function')?.kind, 'load');
    assert.equal(failure('Error: unknown section')?.kind, 'load');
  });
});

describe('compiled-code cache and AOT', () => {
  test("wasmtime: cache on by default, 'off' → -C cache=n; a cache dir is refused", () => {
    const w = rt('wasmtime', '48.0.0');
    assert.deepEqual(w.codeCache, { onByDefault: true, canDisable: true, canRelocate: false });
    assert.deepEqual(w.command(inv({ codeCache: 'off', env: {}, dir: undefined, args: [] })).argv, [
      '/tc/wasmtime',
      'run',
      '-C',
      'cache=n',
      wasm,
    ]);
    assert.throws(() => w.command(inv({ codeCache: { dir: '/c' } })), /wasmtime cannot move its compiled-code cache/);
  });

  test('wasmer: cache dir through WASMER_CACHE_DIR; it cannot be switched off', () => {
    const w = rt('wasmer', '7.2.0');
    assert.deepEqual(w.command(inv({ codeCache: { dir: '/c' } })).env, { WASMER_CACHE_DIR: '/c' });
    assert.throws(() => w.command(inv({ codeCache: 'off' })), /wasmer cannot disable its compiled-code cache/);
  });

  test('wazero:interpreter compiles nothing (issue 19: -cachedir stays empty, `compile -interpreter` is exit 2): no AOT, no cache', () => {
    const w = rt('wazero:interpreter', '1.12.0');
    assert.equal(w.aot, undefined);
    assert.deepEqual(w.codeCache, { onByDefault: false, canDisable: true, canRelocate: false });
    assert.ok(rt('wazero:compiler', '1.12.0').aot, 'the compiler variant keeps wazero compile');
  });

  test('wasmtime .cwasm and wasmer .wasmu are tied to the host CPU (valgrind refuses them); the wazero cache is not', () => {
    assert.equal(rt('wasmtime', '49.0.3').aot?.hostCpu, true);
    assert.equal(rt('wasmer', '7.4.2').aot?.hostCpu, true);
    assert.equal(rt('wazero', '1.12.0').aot?.hostCpu, false);
  });

  test('wazero: -cachedir only when asked', () => {
    const w = rt('wazero', '1.9.0');
    assert.deepEqual(w.command(inv({ codeCache: { dir: '/c' }, env: {}, dir: undefined, args: [] })).argv, [
      '/tc/wazero',
      'run',
      '-cachedir=/c',
      wasm,
    ]);
  });

  test('wasmtime AOT: compile to .cwasm (same flags), run with --allow-precompiled', () => {
    const w = rt('wasmtime:winch', '48.0.0', ['-O', 'opt-level=0']);
    const p = w.aot?.prepare(wasm, '/out');
    assert.deepEqual(p?.compile.argv, [
      '/tc/wasmtime',
      'compile',
      '-C',
      'compiler=winch',
      '-O',
      'opt-level=0',
      wasm,
      '-o',
      '/out/bench.cwasm',
    ]);
    assert.deepEqual(p?.run, { wasm: '/out/bench.cwasm', precompiled: true });
    assert.equal(w.aot?.required, false);
    assert.deepEqual(w.command({ ...inv({ env: {}, dir: undefined, args: [] }), ...p?.run }).argv, [
      '/tc/wasmtime',
      'run',
      '-C',
      'compiler=winch',
      '--allow-precompiled',
      '-O',
      'opt-level=0',
      '/out/bench.cwasm',
    ]);
  });

  test('wasmer AOT: compile to .wasmu with the backend; the artifact runs without a backend flag', () => {
    const w = rt('wasmer:llvm', '7.2.0');
    const p = w.aot?.prepare(wasm, '/out');
    assert.deepEqual(p?.compile.argv, ['/tc/wasmer', 'compile', '--llvm', wasm, '-o', '/out/bench.wasmu']);
    assert.deepEqual(w.command({ ...inv({ env: {}, dir: undefined, args: [] }), ...p?.run }).argv, [
      '/tc/wasmer',
      'run',
      '/out/bench.wasmu',
    ]);
  });

  test('wasmedge:aot is precompile-only: wasmedge compile, then --run-mode=aot', () => {
    const w = rt('wasmedge:aot', '0.17.1');
    assert.equal(w.aot?.required, true);
    const p = w.aot?.prepare(wasm, '/out');
    assert.deepEqual(p?.compile.argv, ['/tc/wasmedge', 'compile', wasm, '/out/bench.aot.wasm']);
    assert.deepEqual(w.command({ ...inv({ env: {}, dir: undefined, args: ['1'] }), ...p?.run }).argv, [
      '/tc/wasmedge',
      '--run-mode=aot',
      '/out/bench.aot.wasm',
      '1',
    ]);
  });

  test('iwasm:aot compiles with wamrc and runs the .aot without a mode flag; without wamrc it cannot be assembled', () => {
    const wamrc: ResolvedTool = { name: 'wamrc', exe: '/tc/wamrc', version: '2.4.5', installedFrom: 'tool-cache' };
    const w = rt('iwasm:aot', '2.4.5', [], wamrc);
    const p = w.aot?.prepare(wasm, '/out');
    assert.deepEqual(p?.compile.argv, ['/tc/wamrc', '-o', '/out/bench.aot', wasm]);
    assert.deepEqual(w.command({ ...inv({ env: {}, dir: undefined, args: [] }), ...p?.run }).argv, [
      '/tc/iwasm',
      '/out/bench.aot',
    ]);
    assert.throws(() => rt('iwasm:aot', '2.4.5'), /needs its AOT compiler \(wamrc\)/);
    assert.equal(rt('iwasm:interpreter', '2.4.5').aot, undefined, 'wamrc is only installed for iwasm:aot');
  });

  test('wazero AOT is a pre-filled cache dir reused by run', () => {
    const p = rt('wazero', '1.9.0').aot?.prepare(wasm, '/out');
    assert.deepEqual(p?.compile.argv, ['/tc/wazero', 'compile', '-cachedir=/out', wasm]);
    assert.deepEqual(p?.run, { wasm, codeCache: { dir: '/out' } });
  });

  test('no AOT for wasm3, wasmi and the JS runtimes; precompiled input is refused there', () => {
    for (const [spec, v] of [
      ['wasm3', '0.5.0'],
      ['wasmi', '2.0.0-beta.9'],
      ['node', '20.0.0'],
      ['bun', '1.4.5'],
      ['deno', '2.9.6'],
    ] as const) {
      const r = rt(spec, v);
      assert.equal(r.aot, undefined, spec);
      assert.throws(
        () => r.command(inv({ precompiled: true, env: {}, dir: undefined })),
        /cannot run precompiled modules/,
        spec,
      );
    }
  });
});

describe('unsupported seed runtimes', () => {
  test('each has a reason and a custom-command way to measure it anyway', () => {
    const names = unsupportedRuntimes.map((u) => u.name);
    assert.deepEqual(names, ['lucet', 'wavm', 'innative', 'fizzy', 'graalvm', 'stitch', 'wasm-interp', 'wasm2c']);
    for (const u of unsupportedRuntimes) {
      assert.ok(u.reason.length > 10 && u.instead.length > 10, u.name);
      if (u.name !== 'lucet') assert.match(u.instead, /name: custom.*\{wasm\}/, u.name);
    }
  });
});
