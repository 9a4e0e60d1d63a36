// The WASI launcher contract, checked black-box on every JS runtime present: real node, bun and deno
// running real .wasm (fixtures/wasi-probe.c, examples/wasm/fibonacci.wasm).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';
import { requireTool } from './helpers/tools.js';

const probe = resolve('__tests__/fixtures/wasi-probe.wasm');
const fibonacci = resolve('examples/wasm/fibonacci.wasm');
const bun = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const deno = resolve('node_modules/@deno/linux-x64-glibc/deno');
const gnuTime = '/usr/bin/time';

/** How each runtime starts the launcher (the prefix the runtime registry builds). */
const runtimes: { name: string; prefix: string[]; present: boolean }[] = [
  { name: 'node', prefix: [process.execPath, '--no-warnings', wasiLauncherPath], present: true },
  { name: 'bun', prefix: [bun, wasiLauncherPath], present: existsSync(bun) },
  // read: the module and preopens; write: preopens (deno checks both) and the --timings file. No --allow-env needed.
  {
    name: 'deno',
    prefix: [deno, 'run', '--allow-read', '--allow-write', '--no-prompt', wasiLauncherPath],
    present: existsSync(deno),
  },
];

/** The parent's environment carries a secret the guest must never see. */
const hostEnv = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? tmpdir(), LEAKED_SECRET: 'host-only' };

interface Timings {
  compileMs: number;
  instantiateMs: number;
  executeMs: number;
  peakRssBytes: number;
  userMs: number;
  sysMs: number;
}

let work: string;
before(() => {
  work = mkdtempSync(join(tmpdir(), 'wpg-launcher-'));
});
after(() => rmSync(work, { recursive: true, force: true }));

for (const rt of runtimes) {
  describe(`wasi-launcher on ${rt.name}`, { skip: !rt.present && `${rt.name} is not installed` }, () => {
    const launch = (args: string[], input?: string) => {
      const r = spawnSync(rt.prefix[0]!, [...rt.prefix.slice(1), ...args], {
        env: hostEnv,
        input,
        encoding: 'utf8',
        cwd: work,
      });
      return { code: r.status, stdout: r.stdout, stderr: r.stderr };
    };
    const timingsOf = (args: string[]) => {
      const file = join(work, `${rt.name}-${Math.random().toString(36).slice(2)}.json`);
      const r = launch(['--timings', file, '--', ...args]);
      return { ...r, timings: JSON.parse(readFileSync(file, 'utf8')) as Timings };
    };

    test('guest argv[0] is the module basename and the rest arrives verbatim, option-like words included', () => {
      const guestArgs = ['args', 'two words', '--dir', '/etc', '--', '-x'];
      // No launcher options: bun drops a `--` right after the script path, the launcher must still find the module.
      const r = launch(['--', probe, ...guestArgs]);
      assert.equal(r.stderr, '');
      assert.deepEqual(r.stdout.split('\n').slice(0, -1), ['wasi-probe.wasm', ...guestArgs]);
      assert.equal(r.code, 0);
    });

    test('guest env is exactly the --env pairs (last one wins, "=" in values kept)', () => {
      const r = launch(['--env', 'A=1', '--env', 'B=x=y', '--env', 'A=2', '--', probe, 'env']);
      assert.deepEqual(r.stdout.split('\n').slice(0, -1).sort(), ['A=2', 'B=x=y']);
      assert.doesNotMatch(r.stdout, /LEAKED_SECRET|PATH=/);
      assert.equal(r.code, 0);
    });

    test('--dir HOST is preopened at the same path: the guest reads and writes host files', () => {
      const dir = mkdtempSync(join(work, 'dir-'));
      const content = `content for ${rt.name} ${Date.now()}`;
      writeFileSync(join(dir, 'in.txt'), content);
      const read = launch(['--dir', dir, '--', probe, 'cat', join(dir, 'in.txt')]);
      assert.equal(read.stdout, content);
      assert.equal(read.code, 0);
      const write = launch(['--dir', dir, '--', probe, 'write', join(dir, 'out.txt'), content.toUpperCase()]);
      assert.equal(write.code, 0, write.stderr);
      assert.equal(readFileSync(join(dir, 'out.txt'), 'utf8'), content.toUpperCase());
    });

    test('without --dir the guest cannot open host files', () => {
      const r = launch(['--', probe, 'cat', probe]);
      assert.equal(r.code, 4, 'fopen must fail with no preopen');
      assert.equal(r.stdout, '');
    });

    test('stdin and stdout are the process’s own', () => {
      const input = 'line one\nline two\n'.repeat(500);
      const r = launch(['--', probe, 'stdin'], input);
      assert.equal(r.stdout, input);
      assert.equal(r.code, 0);
    });

    test('proc_exit(n) becomes the exit code', () => {
      for (const n of [3, 42]) assert.equal(launch(['--', probe, 'exit', String(n)]).code, n);
    });

    test('a wasm trap prints "wasm trap: …" and exits 134', () => {
      const r = launch(['--', probe, 'trap']);
      assert.equal(r.code, 134);
      assert.match(r.stderr, /^wasm trap: \S/);
    });

    test('exhausting the engine stack is a trap too', () => {
      const r = launch(['--', probe, 'overflow']);
      assert.equal(r.code, 134);
      assert.match(r.stderr, /^wasm trap: /);
    });

    test('a file that is not wasm, or is missing, exits 1 naming the path', () => {
      const bogus = join(work, 'not-a-module.wasm');
      writeFileSync(bogus, 'definitely not wasm');
      for (const path of [bogus, join(work, 'missing.wasm')]) {
        const r = launch(['--', path]);
        assert.equal(r.code, 1);
        assert.ok(r.stderr.includes(path), r.stderr);
        assert.doesNotMatch(r.stderr, /wasm trap/);
      }
    });

    test('bad launcher options exit 2 with a usage line, without running anything', () => {
      for (const args of [['--env', 'NOEQUALS', '--', probe], ['--frobnicate', 'x', '--', probe], ['--timings']]) {
        const r = launch(args);
        assert.equal(r.code, 2, args.join(' '));
        assert.match(r.stderr, /usage:/);
        assert.equal(r.stdout, '');
      }
    });

    test('--timings writes every field, also when the guest leaves through proc_exit or a trap', () => {
      for (const [args, code] of [
        [[probe, 'args'], 0],
        [[probe, 'exit', '5'], 5],
        [[probe, 'trap'], 134],
      ] as const) {
        const r = timingsOf([...args]);
        assert.equal(r.code, code);
        for (const key of ['compileMs', 'instantiateMs', 'executeMs', 'peakRssBytes', 'userMs', 'sysMs'] as const) {
          assert.ok(Number.isFinite(r.timings[key]) && r.timings[key] >= 0, `${key} = ${r.timings[key]}`);
        }
        assert.ok(r.timings.peakRssBytes > 1024 * 1024, 'a JS runtime needs more than 1 MiB: maxRSS is KiB, not bytes');
      }
    });

    test('executeMs follows the guest’s work (fib(34) does ~120× the calls of fib(24))', () => {
      // The quickest of three runs each: a busy machine can stall any single run by tens of ms.
      const quickest = (arg: string) =>
        [0, 1, 2].map(() => timingsOf([fibonacci, arg])).sort((a, b) => a.timings.executeMs - b.timings.executeMs)[0]!;
      const small = quickest('24');
      const large = quickest('34');
      assert.equal(large.stdout, 'fib(34) = 5702887\n');
      assert.ok(
        large.timings.executeMs > small.timings.executeMs,
        JSON.stringify({ small: small.timings, large: large.timings }),
      );
    });

    test(
      'peakRssBytes is the process’s maxRSS in bytes (agrees with GNU time)',
      requireTool('gnu-time', () => existsSync(gnuTime)),
      () => {
        const file = join(work, `${rt.name}-rss.json`);
        const r = spawnSync(gnuTime, ['-f', '%M', ...rt.prefix, '--timings', file, '--', fibonacci, '27'], {
          env: hostEnv,
          encoding: 'utf8',
        });
        assert.equal(r.status, 0, r.stderr);
        const kib = Number(r.stderr.trim().split('\n').at(-1));
        const { peakRssBytes } = JSON.parse(readFileSync(file, 'utf8')) as Timings;
        // Read just before exit, so at most the final figure and close to it.
        assert.ok(
          peakRssBytes <= kib * 1024 * 1.02 && peakRssBytes >= kib * 1024 * 0.8,
          `${peakRssBytes} B vs ${kib} KiB`,
        );
      },
    );
  });
}
