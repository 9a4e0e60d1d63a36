// The WASI launcher under node, bun and deno: args, env, preopened dir, stdin, exit codes, traps, --timings.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runProcess } from '../src/measure/process.js';
import { parseLauncherTimings } from '../src/measure/launcher-timings.js';
import { command, exampleWasm, jsRuntimes, measureFixture } from './helpers/measure-env.js';

const run = (argv: string[], stdin?: string) => {
  const stdinFile = stdin === undefined ? undefined : join(dir, 'stdin.txt');
  if (stdinFile) writeFileSync(stdinFile, stdin!);
  return runProcess(command(argv, stdinFile ? { stdinFile } : {}), { timeoutMs: 30_000 });
};

let dir: string;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'measure-launcher-'));
  writeFileSync(join(dir, 'input.txt'), 'line from the preopened dir\nsecond line\n');
});
after(() => rmSync(dir, { recursive: true, force: true }));

for (const rt of jsRuntimes) {
  describe(`wasi-launcher under ${rt.name}`, { skip: rt.available ? false : `${rt.exe} not installed` }, () => {
    test('passes guest args and returns 0 when _start returns', async () => {
      const r = await run(rt.argv(['--', exampleWasm('add-one'), '99']));
      assert.equal(r.exitCode, 0, r.stderrTail);
      assert.equal(r.stdoutHead, '100\n');
    });

    test('gives the guest argv[0], only the --env pairs, the preopened dir and stdin; proc_exit(3) → 3', async () => {
      const file = join(dir, 'input.txt');
      const r = await run(
        rt.argv(['--dir', dir, '--env', 'PROBE_VAR=a=b c', '--', measureFixture('probe.wasm'), file, 'stdin']),
        'piped input\n',
      );
      assert.equal(r.exitCode, 3, r.stderrTail);
      const lines = r.stdoutHead.split('\n');
      assert.deepEqual(lines.slice(0, 5), [
        'argv0=probe.wasm',
        'env=a=b c',
        'home=unset', // the host's HOME is in the process env but must not reach the guest
        'file=line from the preopened dir',
        'stdin=piped input',
      ]);
      assert.equal(r.stderrTail, '', 'no warnings on stderr');
    });

    test('a file outside the preopened dir is not reachable', async () => {
      const r = await run(rt.argv(['--', measureFixture('probe.wasm'), join(dir, 'input.txt')]));
      assert.equal(r.exitCode, 3);
      assert.match(r.stdoutHead, /^file=\(cannot open\)$/m);
    });

    test('a trap prints "wasm trap:" and exits 134', async () => {
      const r = await run(rt.argv(['--', measureFixture('trap.wasm')]));
      assert.equal(r.exitCode, 134);
      assert.equal(r.stdoutHead, 'before trap\n');
      assert.match(r.stderrTail, /^wasm trap: /m);
    });

    test('a module that does not compile exits 1 with a message naming it', async () => {
      const bad = join(dir, 'not-wasm.wasm');
      writeFileSync(bad, 'this is not wasm');
      const r = await run(rt.argv(['--', bad]));
      assert.equal(r.exitCode, 1);
      assert.match(r.stderrTail, /not-wasm\.wasm/);
    });

    test('--timings writes the phases, CPU and peak RSS, also on proc_exit; phases fit in the wall time', async () => {
      for (const [wasm, code] of [
        [exampleWasm('nbody'), 0],
        [measureFixture('probe.wasm'), 3],
      ] as const) {
        const file = join(dir, `timings-${rt.name}-${code}.json`);
        const r = await run(rt.argv(['--timings', file, '--', wasm]));
        assert.equal(r.exitCode, code, r.stderrTail);
        assert.ok(existsSync(file), 'timings file written');
        const raw = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
        for (const key of ['compileMs', 'instantiateMs', 'executeMs', 'peakRssBytes']) {
          assert.equal(typeof raw[key], 'number', `${key} in ${JSON.stringify(raw)}`);
          assert.ok(raw[key]! >= 0);
        }
        const v = parseLauncherTimings(readFileSync(file, 'utf8'));
        assert.ok(
          v['compile']! + v['instantiate']! + v['execute']! <= r.wallMs,
          `${JSON.stringify(v)} vs wall ${r.wallMs}`,
        );
        assert.ok(v['peak-rss']! > 1024 * 1024, 'peak RSS is in bytes');
      }
    });
  });
}
