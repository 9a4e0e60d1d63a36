// How long a size-only gate takes through dist/cli.js: N modules (the clang-built size fixture, half of them
// with one function grown), `metrics: size, size-gzip` by default, a baseline run then a compare run. The
// runtime asked for is `wasmtime@path` with no wasmtime on PATH: resolving it would fail the run, so a pass
// shows nothing was installed or run. Prints the wall time of each run and the machine's load.
//   npx tsx bench/size-only.ts [--modules 100] [--metrics 'size, size-gzip']
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { buildSizeFixture } from '../__tests__/helpers/build-size-fixture.js';

const arg = (name: string, fallback: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1]! : fallback;
};
const N = Number(arg('modules', '100'));
const METRICS = arg('metrics', 'size, size-gzip');
const CLI = resolve('dist/cli.js');

const dir = mkdtempSync(join(tmpdir(), 'size-bench-'));
try {
  buildSizeFixture(join(dir, 'main.wasm'), [], dir);
  buildSizeFixture(join(dir, 'grown.wasm'), ['GROW'], dir);
  const ws = join(dir, 'ws');
  mkdirSync(join(ws, 'build'), { recursive: true });
  // Each module is made distinct by a custom section of its own, so no two share figures (the run measures
  // identical bytes once).
  const place = (grown: boolean) => {
    for (let i = 0; i < N; i++) {
      const bytes = readFileSync(join(dir, grown && i % 2 === 0 ? 'grown.wasm' : 'main.wasm'));
      const payload = Buffer.concat([Buffer.from([5]), Buffer.from('bench'), Buffer.from(`module ${i}`)]);
      writeFileSync(join(ws, 'build', `m${i}.wasm`), Buffer.concat([bytes, Buffer.from([0, payload.length]), payload]));
    }
  };
  const run = (command: string) => {
    const started = process.hrtime.bigint();
    const r = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'cpu %U s user + %S s sys',
        process.execPath,
        CLI,
        command,
        '--artifacts',
        'build/*.wasm',
        '--metrics',
        METRICS,
        '--runtimes',
        'wasmtime@path',
        '--baseline-path',
        'b.json',
        '--threshold',
        '256B',
      ],
      { cwd: ws, encoding: 'utf8', env: { PATH: '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/', NO_COLOR: '1' } },
    );
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    const last = r.stdout.trim().split('\n').pop();
    const cpu = r.stderr.trim().split('\n').pop();
    console.log(`${command.padEnd(8)} ${N} modules: ${ms.toFixed(0)} ms wall, ${cpu}, exit ${r.status} — ${last}`);
    if (r.status !== 0 && r.status !== 1) console.log(r.stderr.slice(-2000));
  };
  const nodeStart = process.hrtime.bigint();
  execFileSync(process.execPath, ['-e', '0']);
  console.log(`node start-up alone: ${(Number(process.hrtime.bigint() - nodeStart) / 1e6).toFixed(0)} ms`);
  place(false);
  run('baseline');
  run('compare');
  place(true);
  run('compare');
  console.log(
    `load average: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')} on this ${N}-module run`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
