// The suite time budget: even shares of what is left in the first pass (unspent time flows to later
// cells), then the rest to the cells that ran out of time undecided, each within max-time.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { firstPassAllowance, notMeasuredWarning, secondPassTotals, shortfallWarning } from '../src/measure/budget.js';
import { measureJobs } from '../src/measure/measuring-loop.js';
import { terminalProgress } from '../src/cli/progress.js';
import { bench, jobsOf, plan, runtime } from './fixtures/metrics/setup.js';
import { exampleWasm } from './helpers/measure-env.js';

describe('budget arithmetic', () => {
  test('first pass: an even share of what is left, capped by max-time, never negative', () => {
    assert.equal(firstPassAllowance(60_000, 4, 60_000), 15_000);
    assert.equal(firstPassAllowance(60_000, 1, 20_000), 20_000, 'max-time stays the cap');
    assert.equal(firstPassAllowance(-5, 3, 20_000), 0);
    assert.equal(firstPassAllowance(10_000, 0, 20_000), 0);
  });

  test('second pass: leftover split evenly; a capped cell hands its surplus to the others', () => {
    assert.deepEqual(secondPassTotals(20_000, [{ spentMs: 10_000 }, { spentMs: 10_000 }], 60_000), [20_000, 20_000]);
    // the first may only reach 15 s, so the second gets 5 + 20 − 5 = 20 s more
    assert.deepEqual(secondPassTotals(30_000, [{ spentMs: 10_000 }, { spentMs: 10_000 }], 15_000), [15_000, 15_000]);
    assert.deepEqual(secondPassTotals(30_000, [{ spentMs: 14_000 }, { spentMs: 5_000 }], 30_000), [29_000, 20_000]);
    const totals = secondPassTotals(9_000, [{ spentMs: 1_000 }, { spentMs: 1_000 }, { spentMs: 1_000 }], 60_000);
    assert.ok(Math.abs(totals.reduce((a, b) => a + b, 0) - 12_000) < 1e-6, 'nothing is lost or invented');
  });

  test('shortfall: said only when the cells cannot fit, with how many do', () => {
    const s = { cells: 10_000, budgetMs: 20_000, minRuns: 2 };
    assert.equal(shortfallWarning({ ...s, cells: 100, cellMs: 10, floor: true }, 'floor'), undefined);
    assert.match(
      shortfallWarning({ ...s, cellMs: 10, floor: true }, '5 ms a run')!,
      /^time-budget: 10000 cells at min-runs 2 need at least 100 s \(5 ms a run\), over the 20 s budget: at most 2000 fit/,
    );
    assert.match(shortfallWarning({ ...s, cellMs: 400, floor: false }, 'first')!, /need about 4000 s .* about 50 fit/);
  });

  test('not measured: every cell counted, the first 20 named', () => {
    const names = Array.from({ length: 25 }, (_, i) => `m${i} on node`);
    const w = notMeasuredWarning(names, 30, 10_000);
    assert.match(w, /^time-budget: the 10 s budget ran out: 25 of 30 cells were not measured: m0 on node, /);
    assert.match(w, /m19 on node, … and 5 more\. Raise `time-budget`/);
    assert.doesNotMatch(w, /m20 on node/);
  });
});

describe('measureJobs under a time-budget (real node runs)', () => {
  test('an undecided cell is resumed with the time a cell that decided early left, its samples kept', async () => {
    const node = await runtime('node');
    const wasm = exampleWasm('add-one');
    const p = plan([bench('undecided', wasm, node), bench('decides', wasm, node)], {
      minRuns: 2,
      maxRuns: 100_000, // time, not a run count, must end the undecided cell even on a quiet machine
      warmup: 0,
      maxTimeMs: 60_000,
      timeBudgetMs: 14_000,
    });
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    const started: string[] = [];
    // The terminal's live line, as the CLI draws it: it must count the resumed cell's earlier rounds too.
    let drawn = '';
    const progress = terminalProgress(p, { write: (t) => (drawn += t), isTTY: true, color: false });
    try {
      const cells = await measureJobs(p, jobsOf(p, [node]), dir, {
        ...progress.hooks,
        stopRule: (job) => () => job.bench.id === 'decides',
        onCellStart: (job, i, total) => {
          started.push(job.bench.id);
          progress.hooks.onCellStart!(job, i, total);
        },
      });
      const [undecided, decides] = cells;
      assert.equal(decides!.stopReason, 'converged');
      assert.equal(undecided!.stopReason, 'max-time', JSON.stringify(undecided!.budget));
      assert.deepEqual(started, ['undecided', 'decides', 'undecided'], 'the undecided cell got a second pass');
      assert.equal(undecided!.budget?.resumed, true);
      assert.ok(undecided!.elapsedMs > undecided!.budget!.firstPassMs, 'it measured on in the second pass');
      const rounds = undecided!.candidate.samples.map((s) => s.round);
      assert.deepEqual(
        rounds,
        [...rounds].sort((a, b) => a - b),
        'rounds continue after the first pass',
      );
      assert.equal(new Set(rounds).size, rounds.length);
      // First an even share (7 s of 14 s), then what the early cell left: more than an even split gives.
      assert.ok(undecided!.elapsedMs > 7_500, `${undecided!.elapsedMs} ms`);
      const shown = [...drawn.matchAll(/undecided on node\S*\s+round (\d+)\//g)].map((m) => Number(m[1]));
      const secondPass = drawn.slice(drawn.search(/decides on node\S* {2}\d+ rounds/));
      const lastShown = Number([...secondPass.matchAll(/round (\d+)\//g)].at(-1)?.[1]);
      assert.equal(
        lastShown,
        undecided!.candidate.samples.length,
        `live line vs final rounds; shown ${shown.slice(-5)}`,
      );
      assert.match(secondPass, new RegExp(`undecided on node\\S*  ${undecided!.candidate.samples.length} rounds`));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
