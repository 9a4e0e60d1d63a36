import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectNewChangePoints, type ChangePoint } from '../src/history/change-points.js';
import { bestSplit, eDivisive, quantileSplit, winsorize } from '../src/history/e-divisive.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import { cellHistorySchema } from '../src/baseline/schema.js';
import { createNormalPrng } from '../src/stats/prng.js';

function noisy(n: number, seed: number, sd = 0.01): number[] {
  const z = createNormalPrng(seed);
  return Array.from({ length: n }, () => 100 * Math.exp(sd * z()));
}

function point(i: number, median: number, extra: Partial<HistoryPoint> = {}): HistoryPoint {
  const date = new Date(Date.UTC(2026, 0, 1 + i)).toISOString();
  return {
    commit: `${i}`.padStart(40, '0'),
    date,
    runtimeVersion: '22',
    machine: 'm1',
    median,
    interval: [median, median],
    n: 10,
    ...extra,
  };
}

function cell(values: number[], metric = 'wall', runtime = 'node'): CellHistory {
  return { benchmark: 'nbody', runtime, metric, points: values.map((v, i) => point(i, v)) };
}

/** Feeds `full`'s points one refresh at a time from `from` points on; every report with the look (point count) it came at. */
function replay(full: CellHistory[], from: number, options = {}) {
  let history = full.map((h) => ({ ...h, points: h.points.slice(0, from) }));
  const reports: { at: number; cp: ChangePoint }[] = [];
  for (let n = from; n <= full[0]!.points.length; n++) {
    history = history.map((h, i) => ({ ...h, points: full[i]!.points.slice(0, n) }));
    const result = detectNewChangePoints(history, options);
    for (const cp of result.changePoints) reports.push({ at: n, cp });
    history = result.history;
  }
  return { reports, history };
}

test('bestSplit finds the step of a clean series, and the energy statistic grows with the step', () => {
  const series = [1, 1.1, 0.9, 1, 1.05, 5, 5.1, 4.9, 5, 5.05];
  assert.equal(bestSplit(series, 3)?.index, 5);
  const small = bestSplit([1, 1.1, 0.9, 1, 1.05, 2, 2.1, 1.9, 2, 2.05], 3)!;
  assert.ok(bestSplit(series, 3)!.q > small.q, `q ${bestSplit(series, 3)!.q} vs ${small.q}`);
});

test('quantileSplit keeps a step where it is when a slow session sits just before it; the energy statistic moves it', () => {
  // log medians: a 7.5%-slow session 2 refreshes before a +5% step, a normal one between (the recorded noise's shape)
  const before = [0, 0.004, -0.003, 0.002, -0.001, 0.003, -0.004, 0.001, 0.075, 0.008];
  const after = [0.05, 0.054, 0.047, 0.052, 0.049, 0.056, 0.048, 0.051, 0.053, 0.046];
  const series = [...before, ...after];
  assert.equal(quantileSplit(series, 3, 0.2)?.index, 10);
  assert.equal(bestSplit(winsorize(series), 3)?.index, 8, 'the energy statistic counts the slow session as after');
  assert.equal(eDivisive(series)[0]?.index, 10, 'the default statistic is the quantile loss');
  assert.equal(eDivisive(series, { statistic: 'energy' })[0]?.index, 8);
  const flat = quantileSplit([1, 1, 1, 1, 1, 1, 1], 3, 0.2)!;
  assert.equal(flat.q, 0, 'no loss to remove from a constant series');
});

test('E-divisive finds a +8% step at its position in 1% noise, and is reproducible', () => {
  const values = noisy(30, 11).map((v, i) => (i >= 18 ? v * 1.08 : v));
  const splits = eDivisive(values.map(Math.log));
  assert.deepEqual(
    splits.map((s) => s.index),
    [18],
    `splits ${JSON.stringify(splits)}`,
  );
  assert.ok(splits[0]!.pValue <= 0.005, `p ${splits[0]!.pValue}`);
  assert.deepEqual(eDivisive(values.map(Math.log)), splits, 'same history, same answer (seeded permutations)');
});

test('flat histories of 100 refreshes give no change point in 20 of 20 seeds', () => {
  const found = Array.from({ length: 20 }, (_, seed) => eDivisive(noisy(100, 100 + seed).map(Math.log)).length);
  assert.deepEqual(found, Array(20).fill(0), `change points per seed: ${found.join(',')}`);
});

test('a change point is reported once it is confirmed by two later refreshes, with its commit range, size interval and cells', () => {
  const wall = cell(noisy(16, 5).map((v, i) => (i >= 10 ? v * 1.1 : v)));
  const cpu = cell(
    noisy(16, 6).map((v, i) => (i >= 10 ? v * 1.1 : v)),
    'cpu',
  );
  // the permutation path (a +10% step on 1% noise seen with 4 points after would be a fast step)
  const permutation = { fastPath: false };
  const first = detectNewChangePoints(
    [wall, cpu].map((h) => ({ ...h, points: h.points.slice(0, 14) })),
    permutation,
  );
  assert.deepEqual(first.changePoints, [], 'seen with 4 points after: pending, not reported');
  assert.deepEqual(first.history[0]!.pending, [{ date: wall.points[10]!.date, since: wall.points[13]!.date }]);
  assert.deepEqual(
    detectNewChangePoints(first.history, permutation).changePoints,
    [],
    'the same points again are not another look',
  );

  const { reports, history } = replay([wall, cpu], 14, permutation);
  assert.equal(reports.length, 1, JSON.stringify(reports));
  const { at, cp } = reports[0]!;
  assert.equal(at, 16, 'reported at the second refresh after it was first seen');
  assert.equal(cp.benchmark, 'nbody');
  assert.equal(cp.commit, wall.points[10]!.commit);
  assert.equal(cp.fromCommit, wall.points[9]!.commit);
  assert.deepEqual(
    cp.cells.map((c) => c.metric),
    ['cpu', 'wall'],
  );
  for (const c of cp.cells) {
    assert.ok(c.interval[0] > 1.05 && c.interval[1] < 1.15 && c.ratio > 1.07 && c.ratio < 1.13, JSON.stringify(c));
    assert.deepEqual([c.before.points, c.after.points], [10, 6]);
  }
  assert.deepEqual(history[0]!.changePoints, [wall.points[10]!.date]);
  assert.equal(history[0]!.pending, undefined, 'nothing left pending');

  // next refresh: one more point after the step — nothing new to report
  const next = history.map((h) => ({ ...h, points: [...h.points, point(16, 110)] }));
  assert.deepEqual(detectNewChangePoints(next).changePoints, [], 'nor on the fast path');
});

test('a cluster of slow refreshes at the end is pending at one look, then dropped when the next refreshes are back', () => {
  const values = noisy(23, 21).map((v, i) => (i >= 20 ? v * 1.06 : v));
  const blip = cell([...values, ...noisy(3, 22)]);
  // the permutation path's confirmation: three refreshes 6% slow on a 1%-noise runner would clear the fast path
  // (history-fast-path.test.ts), which reports such a cluster as a step by design
  const permutation = { fastPath: false };
  const atOnce = detectNewChangePoints([{ ...blip, points: blip.points.slice(0, 23) }], {
    ...permutation,
    confirmFresh: 0,
  });
  assert.equal(atOnce.changePoints.length, 1, 'without confirmation the blip is reported (the case is real)');
  const { reports, history } = replay([blip], 23, permutation);
  assert.deepEqual(reports, [], 'never reported');
  assert.equal(history[0]!.pending, undefined, 'and forgotten');
  assert.deepEqual(history[0]!.changePoints, undefined);
});

test('confirmation is seeded: the same history gives the same answer, pending state included', () => {
  const h = cell(noisy(30, 31).map((v, i) => (i >= 20 ? v * 1.05 : v)));
  const a = replay([h], 10);
  const b = replay([h], 10);
  assert.deepEqual(a, b);
  assert.equal(a.reports.length, 1, JSON.stringify(a.reports.map((r) => [r.at, r.cp.commit])));
  assert.equal(a.reports[0]!.cp.commit, h.points[20]!.commit);
});

test('pending change points pass the history schema; documents without them still load', () => {
  const h = cell(noisy(8, 41));
  assert.ok(cellHistorySchema.safeParse(h).success);
  const pending = [{ date: h.points[5]!.date, since: h.points[7]!.date }];
  assert.deepEqual(cellHistorySchema.parse({ ...h, pending }).pending, pending);
  assert.equal(
    cellHistorySchema.safeParse({ ...h, pending: [{ date: 'x', since: h.points[7]!.date }] }).success,
    false,
  );
});

test('points from another machine are left out, and a runtime upgrade at the change is named', () => {
  const values = noisy(16, 9).map((v, i) => (i >= 10 ? v * 1.1 : v));
  const h = cell(values);
  h.points = h.points.map((p, i) => ({ ...p, runtimeVersion: i >= 10 ? '24' : '22' }));
  const moved: CellHistory = { ...h, points: [...h.points.map((p) => ({ ...p, machine: 'old' })), point(16, 100)] };
  assert.deepEqual(
    detectNewChangePoints([moved], { confirmFresh: 0 }).changePoints,
    [],
    'only one point on the current machine',
  );
  const [cp] = detectNewChangePoints([h], { confirmFresh: 0 }).changePoints;
  assert.deepEqual(cp?.cells[0]?.runtimeVersions, { before: '22', after: '24' });
});

test('the same shift on two metrics of one benchmark × runtime is one change point, whichever refresh confirms each', () => {
  const cpu = cell(
    noisy(20, 41).map((v, i) => (i >= 10 ? v * 1.1 : v)),
    'cpu',
  );
  const wall = cell(noisy(20, 42).map((v, i) => (i >= 11 ? v * 1.1 : v)));
  const atOnce = { confirmFresh: 0 };
  const alone = detectNewChangePoints([wall], atOnce).changePoints;
  assert.deepEqual(
    alone.map((cp) => cp.commit),
    [wall.points[11]!.commit],
    'on its own, wall reports its split',
  );

  // same refresh, splits one point apart: one change point holding both cells, at the first cell's split
  const together = detectNewChangePoints([cpu, wall], atOnce).changePoints;
  assert.equal(together.length, 1, JSON.stringify(together.map((cp) => cp.commit)));
  assert.equal(together[0]!.commit, cpu.points[10]!.commit);
  assert.deepEqual(
    together[0]!.cells.map((c) => c.metric),
    ['cpu', 'wall'],
  );

  // cpu reported at an earlier refresh: wall's split is remembered (for its own regime), not reported again
  const reported = { ...cpu, changePoints: [cpu.points[10]!.date] };
  const later = detectNewChangePoints([reported, wall], atOnce);
  assert.deepEqual(later.changePoints, []);
  assert.deepEqual(later.history[1]!.changePoints, [wall.points[11]!.date]);

  // another runtime's change point is a different one
  const other = detectNewChangePoints([{ ...reported, runtime: 'deno' }, wall], atOnce).changePoints;
  assert.deepEqual(
    other.map((cp) => cp.commit),
    [wall.points[11]!.commit],
  );
});
