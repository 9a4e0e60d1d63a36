import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectNewChangePoints } from '../src/history/change-points.js';
import { bestSplit, eDivisive } from '../src/history/e-divisive.js';
import type { CellHistory, HistoryPoint } from '../src/history/types.js';
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

test('bestSplit finds the step of a clean series, and the energy statistic grows with the step', () => {
  const series = [1, 1.1, 0.9, 1, 1.05, 5, 5.1, 4.9, 5, 5.05];
  assert.equal(bestSplit(series, 3)?.index, 5);
  const small = bestSplit([1, 1.1, 0.9, 1, 1.05, 2, 2.1, 1.9, 2, 2.05], 3)!;
  assert.ok(bestSplit(series, 3)!.q > small.q, `q ${bestSplit(series, 3)!.q} vs ${small.q}`);
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

test('a change point is reported once, with its commit range, size interval and cells, then remembered', () => {
  const base = noisy(16, 5);
  const wall = cell(base.map((v, i) => (i >= 10 ? v * 1.1 : v)));
  const cpu = cell(
    noisy(16, 6).map((v, i) => (i >= 10 ? v * 1.1 : v)),
    'cpu',
  );
  const first = detectNewChangePoints([wall, cpu]);
  assert.equal(first.changePoints.length, 1, JSON.stringify(first.changePoints));
  const cp = first.changePoints[0]!;
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
  assert.deepEqual(first.history[0]!.changePoints, [wall.points[10]!.date]);

  // next refresh: one more point after the step — nothing new to report
  const next = first.history.map((h) => ({ ...h, points: [...h.points, point(16, 110)] }));
  assert.deepEqual(detectNewChangePoints(next).changePoints, []);
});

test('points from another machine are left out, and a runtime upgrade at the change is named', () => {
  const values = noisy(16, 9).map((v, i) => (i >= 10 ? v * 1.1 : v));
  const h = cell(values);
  h.points = h.points.map((p, i) => ({ ...p, runtimeVersion: i >= 10 ? '24' : '22' }));
  const moved: CellHistory = { ...h, points: [...h.points.map((p) => ({ ...p, machine: 'old' })), point(16, 100)] };
  assert.deepEqual(detectNewChangePoints([moved]).changePoints, [], 'only one point on the current machine');
  const [cp] = detectNewChangePoints([h]).changePoints;
  assert.deepEqual(cp?.cells[0]?.runtimeVersions, { before: '22', after: '24' });
});
