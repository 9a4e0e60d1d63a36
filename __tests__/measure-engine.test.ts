// The built-in engine with real processes: ABBA interleaving, warm-ups, run limits, adaptive stopping,
// failures, duet pinning, and a clearly slower artifact measuring clearly slower.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { median } from 'simple-statistics';
import { measureCell, type ArmInput, type ProgressEvent } from '../src/measure/engine.js';
import { detectDuet } from '../src/measure/duet.js';
import { launcherTimingsReader } from '../src/measure/launcher-timings.js';
import { command, measureFixture, measureOptions, nodeRuntime } from './helpers/measure-env.js';

const duet = await detectDuet();
let dir: string;
let n = 0;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'measure-engine-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** A fresh log file and the two arms that append `C`/`B` (+ their CPU affinity) to it. */
function markArms(env: { candidate?: Record<string, string>; baseline?: Record<string, string> } = {}) {
  const log = join(dir, `log-${n++}.txt`);
  const arm = (name: 'candidate' | 'baseline', label: string): ArmInput => {
    const cmd = command([process.execPath, measureFixture('mark.mjs'), log, label]);
    return { arm: name, command: { ...cmd, env: { ...cmd.env, ...env[name] } } };
  };
  const lines = () =>
    readFileSync(log, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(' ') as [string, string]);
  return { log, candidate: arm('candidate', 'C'), baseline: arm('baseline', 'B'), lines };
}

describe('measureCell (builtin engine)', () => {
  test('interleaves two arms ABBA after the warm-ups, pairing runs by round index', async () => {
    const m = markArms();
    const events: ProgressEvent[] = [];
    const r = await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ warmup: 1, minRuns: 4, maxRuns: 4 }),
      trapExitCodes: [134],
      onProgress: (e) => events.push(e),
    });
    assert.equal(r.schedule, 'interleaved');
    assert.equal(r.stopReason, 'max-runs');
    assert.equal(
      m
        .lines()
        .map(([l]) => l)
        .join(''),
      'CB' + 'CBBCCBBC',
    );
    assert.deepEqual(
      r.candidate.samples.map((s) => s.round),
      [0, 1, 2, 3],
    );
    assert.deepEqual(
      r.baseline?.samples.map((s) => s.round),
      [0, 1, 2, 3],
    );
    assert.equal(r.candidate.warmups, 1);
    assert.equal(r.baseline?.warmups, 1);
    assert.deepEqual(
      events.map((e) => `${e.phase[0]}${e.arm[0]}${e.index}`),
      ['wc0', 'wb0', 'rc0', 'rb0', 'rb1', 'rc1', 'rc2', 'rb2', 'rb3', 'rc3'],
    );
    for (const s of [...r.candidate.samples, ...r.baseline!.samples]) {
      assert.ok(s.values['wall']! > 0);
      assert.equal(s.exitCode, 0);
    }
    assert.equal(r.candidate.failure, undefined);
  });

  test('without an adaptive rule it stops at minRuns; the rule keeps it going to maxRuns or stops it early', async () => {
    const single = (shouldStop?: () => boolean) => {
      const m = markArms();
      return measureCell({
        arms: [m.candidate],
        options: measureOptions({ minRuns: 2, maxRuns: 6 }),
        trapExitCodes: [],
        ...(shouldStop ? { shouldStop } : {}),
      });
    };
    const atMin = await single();
    assert.equal(atMin.schedule, 'single');
    assert.equal(atMin.candidate.samples.length, 2);
    assert.equal(atMin.stopReason, 'minimum');

    let asked = 0;
    const never = await single(() => (asked++, false));
    assert.equal(never.candidate.samples.length, 6);
    assert.equal(never.stopReason, 'max-runs');
    assert.equal(asked, 4, 'asked after rounds 2..5 only (round 6 hits maxRuns first)');

    const seen: number[] = [];
    const early = await single(() => (seen.push(0), seen.length === 2));
    assert.equal(early.candidate.samples.length, 3);
    assert.equal(early.stopReason, 'converged');
  });

  test("shouldStop sees both arms' samples", async () => {
    const m = markArms();
    const sizes: string[] = [];
    await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ minRuns: 1, maxRuns: 3 }),
      trapExitCodes: [],
      shouldStop: (s) => (sizes.push(`${s.candidate.length}/${s.baseline?.length}`), false),
    });
    assert.deepEqual(sizes, ['1/1', '2/2']);
  });

  test('maxTimeMs stops once minRuns is met; minTimeMs keeps it going past minRuns', async () => {
    const m = markArms();
    const capped = await measureCell({
      arms: [m.candidate],
      options: measureOptions({ minRuns: 2, maxRuns: 50, maxTimeMs: 1 }),
      trapExitCodes: [],
      shouldStop: () => false,
    });
    assert.equal(capped.candidate.samples.length, 2);
    assert.equal(capped.stopReason, 'max-time');

    const m2 = markArms();
    const timed = await measureCell({
      arms: [m2.candidate],
      // 2.5 s: several runs even on a loaded 2-core runner, where one node start alone can take 0.8 s.
      options: measureOptions({ minRuns: 1, maxRuns: 500, minTimeMs: 2500 }),
      trapExitCodes: [],
    });
    assert.equal(timed.stopReason, 'minimum');
    assert.ok(timed.elapsedMs >= 2500, `${timed.elapsedMs} ms`);
    // Past minRuns (1) unless that one run alone took the whole minimum time (a stalled run on a busy machine).
    const firstRunMs = timed.candidate.samples[0]?.values['wall'] ?? 0;
    assert.ok(timed.candidate.samples.length > 1 || firstRunMs >= 2500, `${timed.candidate.samples.length} runs`);
  });

  test('a non-zero exit stops the arm, is recorded as a failure and never timed', async () => {
    const m = markArms({ candidate: { FAIL_AT: '3', FAIL_CODE: '5' } });
    const r = await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ minRuns: 5, maxRuns: 5 }),
      trapExitCodes: [134],
    });
    assert.equal(r.candidate.samples.length, 2);
    assert.equal(r.candidate.failure?.kind, 'exit');
    assert.equal(r.candidate.failure?.exitCode, 5);
    assert.match(r.candidate.failure?.stderrTail ?? '', /failing on purpose at run 3/);
    assert.equal(r.stopReason, 'failure');
    // rounds C,B | B,C | C✗ — the cell stops at the candidate's failure, so the baseline ran twice
    assert.equal(
      m
        .lines()
        .map(([l]) => l)
        .join(''),
      'CBBCC',
    );
    assert.equal(r.baseline?.samples.length, 2);
  });

  test('a trap exit code is a trap; a failing baseline leaves the candidate measuring alone', async () => {
    const m = markArms({ baseline: { FAIL_AT: '2', FAIL_CODE: '134' } });
    const r = await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ minRuns: 4, maxRuns: 4 }),
      trapExitCodes: [134],
    });
    assert.equal(r.baseline?.failure?.kind, 'trap');
    assert.equal(r.baseline?.samples.length, 1);
    assert.equal(r.candidate.samples.length, 4);
    assert.equal(r.candidate.failure, undefined);
    assert.equal(r.stopReason, 'max-runs');
  });

  test('a failure during warm-up is recorded before any timed run', async () => {
    const m = markArms({ candidate: { FAIL_AT: '1', FAIL_CODE: '2' } });
    const r = await measureCell({ arms: [m.candidate], options: measureOptions({ warmup: 2 }), trapExitCodes: [] });
    assert.equal(r.candidate.failure?.kind, 'exit');
    assert.equal(r.candidate.warmups, 0);
    assert.equal(r.candidate.samples.length, 0);
  });

  test('a run over the timeout is a timeout failure', async () => {
    const r = await measureCell({
      arms: [{ arm: 'candidate', command: command([process.execPath, '-e', 'setTimeout(() => {}, 30000)']) }],
      options: measureOptions({ timeoutMs: 300 }),
      trapExitCodes: [],
    });
    assert.equal(r.candidate.failure?.kind, 'timeout');
    assert.equal(r.candidate.samples.length, 0);
  });

  test('readExtra adds per-run values (launcher --timings); a throwing reader is an output failure', async () => {
    const timings = join(dir, 'timings.json');
    const r = await measureCell({
      arms: [
        {
          arm: 'candidate',
          command: command(nodeRuntime.argv(['--timings', timings, '--', measureFixture('fibonacci-x1.wasm'), '20'])),
          readExtra: launcherTimingsReader(timings),
        },
      ],
      options: measureOptions({ minRuns: 2, maxRuns: 2 }),
      trapExitCodes: [134],
    });
    assert.equal(r.candidate.failure, undefined);
    for (const s of r.candidate.samples) {
      for (const id of ['wall', 'compile', 'instantiate', 'execute', 'user', 'sys', 'cpu', 'peak-rss'])
        assert.equal(typeof s.values[id], 'number', id);
      assert.ok(s.values['execute']! < s.values['wall']!);
    }
    const bad = await measureCell({
      arms: [
        {
          arm: 'candidate',
          command: command([process.execPath, '-e', '0']),
          readExtra: () => {
            throw new Error('no numbers');
          },
        },
      ],
      options: measureOptions(),
      trapExitCodes: [],
    });
    assert.equal(bad.candidate.failure?.kind, 'output');
    assert.match(bad.candidate.failure?.message ?? '', /no numbers/);
  });

  test(
    'duet runs both arms at once, each pinned to its own core, swapping cores every round',
    { skip: duet.available ? false : `duet unavailable: ${duet.available ? '' : duet.reason}` },
    async () => {
      const m = markArms();
      const r = await measureCell({
        arms: [m.candidate, m.baseline],
        options: measureOptions({ schedule: 'duet', warmup: 1, minRuns: 4, maxRuns: 4 }),
        trapExitCodes: [],
      });
      assert.equal(r.schedule, 'duet');
      assert.deepEqual(
        r.candidate.samples.map((s) => s.round),
        [0, 1, 2, 3],
      );
      assert.deepEqual(
        r.baseline?.samples.map((s) => s.round),
        [0, 1, 2, 3],
      );
      const lines = m.lines().slice(2); // after the warm-up pair
      const cpusOf = (label: string) => lines.filter(([l]) => l === label).map(([, c]) => c);
      const cand = cpusOf('C');
      const base = cpusOf('B');
      assert.equal(cand.length, 4);
      for (const [i, c] of cand.entries()) {
        assert.match(c, /^\d+$/, 'pinned to a single CPU');
        assert.notEqual(c, base[i], `round ${i}: arms share a core`);
        if (i > 0) assert.notEqual(c, cand[i - 1], 'cores swap between rounds');
      }
    },
  );

  test(
    'pinned runs both arms interleaved, every run on the same single core',
    { skip: duet.available ? false : `taskset unavailable: ${duet.available ? '' : duet.reason}` },
    async () => {
      const m = markArms();
      const r = await measureCell({
        arms: [m.candidate, m.baseline],
        options: measureOptions({ schedule: 'pinned', warmup: 1, minRuns: 3, maxRuns: 3 }),
        trapExitCodes: [],
      });
      assert.equal(r.schedule, 'pinned');
      const lines = m.lines();
      assert.deepEqual(lines.map(([l]) => l).join(''), 'CBCBBCCB', 'ABBA order, warm-up round included');
      assert.equal(new Set(lines.map(([, c]) => c)).size, 1, `one core for all: ${JSON.stringify(lines)}`);
      assert.match(lines[0]![1], /^\d+$/, 'a single CPU');
    },
  );

  test('auto pins both arms (and a lone arm) to one core where it can, else interleaves without a note', async () => {
    const m = markArms();
    const pinned = await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ schedule: 'auto', minRuns: 2, maxRuns: 2 }),
      trapExitCodes: [],
      ...(duet.available ? {} : { duet: { available: false, reason: 'no taskset here' } }),
    });
    assert.equal(pinned.schedule, duet.available ? 'pinned' : 'interleaved');
    if (duet.available) {
      const lone = await measureCell({
        arms: [markArms().candidate],
        options: measureOptions({ schedule: 'auto', minRuns: 2, maxRuns: 2 }),
        trapExitCodes: [],
        duet,
      });
      assert.equal(lone.schedule, 'pinned', 'a refresh is pinned like the PR run it will be compared with');
    }
    const fallback = await measureCell({
      arms: [markArms().candidate, markArms().baseline],
      options: measureOptions({ schedule: 'auto', minRuns: 2, maxRuns: 2 }),
      trapExitCodes: [],
      duet: { available: false, reason: 'taskset (util-linux) is not on PATH' },
    });
    assert.equal(fallback.schedule, 'interleaved');
    assert.equal(fallback.notes?.length ?? 0, 0, 'the default falling back is not news');
  });

  test('duet falls back to interleaved, and says so, when it is unavailable', async () => {
    const m = markArms();
    const r = await measureCell({
      arms: [m.candidate, m.baseline],
      options: measureOptions({ schedule: 'duet', minRuns: 2, maxRuns: 2 }),
      trapExitCodes: [],
      duet: { available: false, reason: 'taskset (util-linux) is not on PATH' },
    });
    assert.equal(r.schedule, 'interleaved');
    assert.match(r.notes?.join('\n') ?? '', /duet schedule unavailable \(taskset/);
    assert.equal(
      m
        .lines()
        .map(([l]) => l)
        .join(''),
      'CBBC',
    );
  });

  test('a 4×-work fibonacci build measures clearly slower than the 1× build', async () => {
    // Judged on CPU time (the launcher's getrusage): on a busy machine waiting inflates both arms' wall
    // time alike and squeezes the wall ratio towards 1, while the work ratio stays.
    const dir = mkdtempSync(join(tmpdir(), 'engine-x4-'));
    const arm = (name: 'candidate' | 'baseline', wasm: string): ArmInput => {
      const timings = join(dir, `${name}.json`);
      return {
        arm: name,
        command: command(nodeRuntime.argv(['--timings', timings, '--', measureFixture(wasm), '38'])),
        readExtra: launcherTimingsReader(timings),
      };
    };
    const r = await measureCell({
      arms: [arm('candidate', 'fibonacci-x4.wasm'), arm('baseline', 'fibonacci-x1.wasm')],
      options: measureOptions({ minRuns: 3, maxRuns: 3 }),
      trapExitCodes: [134],
    });
    rmSync(dir, { recursive: true, force: true });
    const ratioOf = (metric: string) => {
      const med = (s: { values: Record<string, number> }[]) => median(s.map((x) => x.values[metric]!));
      return med(r.candidate.samples) / med(r.baseline!.samples);
    };
    const [cpu, wall] = [ratioOf('cpu'), ratioOf('wall')];
    console.log(`# fibonacci x4 / x1 median ratio (node, N=38): cpu ${cpu.toFixed(2)}, wall ${wall.toFixed(2)}`);
    assert.ok(cpu > 2, `cpu ratio ${cpu} (wall ${wall})`);
    assert.ok(wall > 1, `wall ratio ${wall}`);
  });
});
