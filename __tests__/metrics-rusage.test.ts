// Peak RSS and CPU time: from the launcher's getrusage on node, from GNU time's wait4 around any other
// runtime (here a custom command), and the two agree on the same run.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launcherTimingsReader } from '../src/measure/launcher-timings.js';
import { runProcess, type ProcessOutcome } from '../src/measure/process.js';
import { detectGnuTime, gnuTimeOutcome, gnuTimeReader, parseGnuTime, wrapWithGnuTime } from '../src/measure/rusage.js';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { command, exampleWasm } from './helpers/measure-env.js';
import { bench, measure, median, MiB, plan, runtime, values } from './fixtures/metrics/setup.js';
import { requireTool } from './helpers/tools.js';

const gnuTime = detectGnuTime();
const noGnuTime = requireTool('gnu-time', () => gnuTime.available).skip;

describe('GNU time output', () => {
  test('parses peak RSS (KiB → bytes), user and sys (s → ms) after the "Command exited" line', () => {
    const r = parseGnuTime('Command exited with non-zero status 3\nwasm-perf-gate-rusage 51200 0.25 0.05\n');
    assert.deepEqual(r.values, { 'peak-rss': 51200 * 1024, user: 250, sys: 50, cpu: 300 });
    assert.equal(r.signal, undefined);
    assert.equal(
      parseGnuTime('Command terminated by signal 9\nwasm-perf-gate-rusage 10 0.00 0.00\n').signal,
      'SIGKILL',
    );
    assert.throws(() => parseGnuTime('garbage'), /GNU time wrote no figures/);
  });
});

describe('peak RSS: 64 MiB of touched linear memory vs 1 MiB', () => {
  let node: ResolvedRuntime;
  let viaGnuTime: ResolvedRuntime;
  before(async () => {
    node = await runtime('node');
    // Not node/bun/deno to the pipeline: a custom command, so its figures must come from GNU time.
    viaGnuTime = await runtime({
      name: 'custom',
      id: 'launched',
      command: [process.execPath, '--no-warnings', wasiLauncherPath, '--', '{wasm}', '{args}'],
    });
  });

  const rss = async (rt: ResolvedRuntime, mib: number) => {
    const [cell] = await measure(
      plan(
        [
          bench(`alloc-${mib}`, exampleWasm('alloc'), rt, {
            args: [String(mib)],
            metrics: ['wall', 'peak-rss', 'cpu'],
          }),
        ],
        { minRuns: 2, maxRuns: 2 },
      ),
      [rt],
    );
    assert.equal(cell!.candidate.failure, undefined, JSON.stringify(cell!.candidate.failure));
    return { cell: cell!, peak: median(values(cell!, 'peak-rss')) };
  };

  test('node (the launcher reports it)', async () => {
    const big = await rss(node, 64);
    const small = await rss(node, 1);
    assert.equal(big.cell.usage, 'launcher');
    assert.ok(big.peak > 64 * MiB, `64 MiB run peaked at ${(big.peak / MiB).toFixed(1)} MiB`);
    assert.ok(
      big.peak - small.peak > 56 * MiB,
      `64 MiB: ${(big.peak / MiB).toFixed(1)} MiB, 1 MiB: ${(small.peak / MiB).toFixed(1)} MiB`,
    );
    assert.ok(values(big.cell, 'cpu').every((v) => v > 0));
  });

  test('any other runtime, wrapped in GNU time', { skip: noGnuTime }, async () => {
    const big = await rss(viaGnuTime, 64);
    const small = await rss(viaGnuTime, 1);
    assert.equal(big.cell.usage, 'gnu-time');
    assert.ok(big.cell.notes?.some((n) => n.includes('GNU time')));
    assert.ok(big.peak > 64 * MiB, `64 MiB run peaked at ${(big.peak / MiB).toFixed(1)} MiB`);
    assert.ok(
      big.peak - small.peak > 56 * MiB,
      `64 MiB: ${(big.peak / MiB).toFixed(1)} MiB, 1 MiB: ${(small.peak / MiB).toFixed(1)} MiB`,
    );
  });
});

describe('the launcher and GNU time on the same run', { skip: noGnuTime }, () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'metrics-rusage-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('agree on peak RSS within 5%', async () => {
    if (!gnuTime.available) return;
    const timings = join(dir, 'timings.json');
    const usage = join(dir, 'usage.txt');
    const cmd = command([
      process.execPath,
      '--no-warnings',
      wasiLauncherPath,
      '--timings',
      timings,
      '--',
      exampleWasm('alloc'),
      '64',
    ]);
    const outcome = await runProcess(wrapWithGnuTime(cmd, gnuTime.exe, usage), { timeoutMs: 30_000 });
    assert.equal(outcome.exitCode, 0, outcome.stderrTail);
    const fromLauncher = (await launcherTimingsReader(timings)(outcome))['peak-rss']!;
    const fromGnuTime = (await gnuTimeReader(usage)(outcome))['peak-rss']!;
    assert.ok(fromGnuTime > 64 * MiB);
    assert.ok(Math.abs(fromLauncher / fromGnuTime - 1) < 0.05, `launcher ${fromLauncher} vs GNU time ${fromGnuTime}`);
  });

  test('a runtime killed by a signal reads as that signal, not as exit 128 + N', async () => {
    if (!gnuTime.available) return;
    const usage = join(dir, 'killed.txt');
    const raw = await runProcess(wrapWithGnuTime(command(['sh', '-c', 'kill -SEGV $$']), gnuTime.exe, usage), {
      timeoutMs: 10_000,
    });
    assert.equal(raw.exitCode, 139, 'GNU time exits 128 + 11');
    const revised: ProcessOutcome = gnuTimeOutcome(usage)(raw);
    assert.equal(revised.exitCode, null);
    assert.equal(revised.signal, 'SIGSEGV');
  });
});
