// The pure half of `history: branch:NAME`: the union of two histories, and the branch file's name, text and checks.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historyFileName, historyFileText, parseHistoryFile } from '../src/history/branch-file.js';
import { mergeHistories } from '../src/history/merge.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';

const day = (i: number) => new Date(Date.UTC(2026, 0, 1 + i)).toISOString();

function point(i: number, median = 100 + i): HistoryPoint {
  return {
    commit: `c${i}`,
    date: day(i),
    runtimeVersion: '1.0.0',
    machine: 'm1',
    median,
    interval: [median - 1, median + 1],
    n: 10,
  };
}

function cell(days: number[], extra: Partial<CellHistory> = {}): CellHistory {
  return { benchmark: 'fib', runtime: 'node', metric: 'wall', points: days.map((i) => point(i)), ...extra };
}

const commits = (h: CellHistory) => h.points.map((p) => p.commit);

test('merge: the union of both sides per cell, each refresh once, oldest first', () => {
  const [merged, ...rest] = mergeHistories([cell([1, 2, 4])], [cell([0, 2, 3, 5])]);
  assert.equal(rest.length, 0, 'one cell: the same benchmark × runtime × metric on both sides');
  assert.deepEqual(commits(merged!), ['c0', 'c1', 'c2', 'c3', 'c4', 'c5']);
});

test('merge: the same refresh on both sides is kept once, the first side’s copy', () => {
  const a = cell([1]);
  const b = { ...cell([1]), points: [point(1, 999)] };
  const [merged] = mergeHistories([a], [b]);
  assert.equal(merged!.points.length, 1);
  assert.equal(merged!.points[0]!.median, 101);
  const other = { ...cell([]), points: [{ ...point(1), commit: 'other' }] };
  assert.equal(mergeHistories([a], [other])[0]!.points.length, 2, 'same date, another commit: two refreshes');
});

test('merge: cells of either side survive, the first side’s order first', () => {
  const a = [cell([1]), cell([1], { metric: 'cpu' })];
  const b = [cell([2], { benchmark: 'nbody' }), cell([2])];
  const merged = mergeHistories(a, b);
  assert.deepEqual(
    merged.map((h) => `${h.benchmark}/${h.metric}:${commits(h).join(',')}`),
    ['fib/wall:c1,c2', 'fib/cpu:c1', 'nbody/wall:c2'],
  );
});

test('merge: bounded to the newest maxPoints, change-point memory joined and dropped with its point', () => {
  const a = cell([0, 1, 2, 3], { changePoints: [day(1)] });
  const b = cell([3, 4, 5, 6], { changePoints: [day(5), day(1)] });
  const [merged] = mergeHistories([a], [b], 5);
  assert.deepEqual(commits(merged!), ['c2', 'c3', 'c4', 'c5', 'c6']);
  assert.deepEqual(merged!.changePoints, [day(5)], 'day 1 fell out of the window, day 5 is remembered once');
  const [kept] = mergeHistories([a], [b], 10);
  assert.deepEqual(kept!.changePoints, [day(1), day(5)], 'both sides’ memory, deduplicated, in date order');
});

test('merge: pending (unconfirmed) splits joined once per split date, dropped with their point', () => {
  const a = cell([0, 1, 2, 3], { pending: [{ date: day(1), since: day(3) }] });
  const b = cell([3, 4, 5], {
    pending: [
      { date: day(1), since: day(2) },
      { date: day(4), since: day(5) },
    ],
  });
  const [kept] = mergeHistories([a], [b], 10);
  assert.deepEqual(kept!.pending, [
    { date: day(1), since: day(3) },
    { date: day(4), since: day(5) },
  ]);
  const [bounded] = mergeHistories([a], [b], 3);
  assert.deepEqual(bounded!.pending, [{ date: day(4), since: day(5) }], 'day 1 left the window');
});

test('merge: dates sort by time, not as strings (with and without milliseconds)', () => {
  const p = (date: string, commit: string): HistoryPoint => ({ ...point(0), date, commit });
  const a = { ...cell([]), points: [p('2026-01-01T00:00:00.500Z', 'later')] };
  const b = { ...cell([]), points: [p('2026-01-01T00:00:00Z', 'earlier')] };
  assert.deepEqual(commits(mergeHistories([a], [b])[0]!), ['earlier', 'later']);
});

test('branch file: one file per baseline-key and platform, a safe flat name', () => {
  assert.equal(
    historyFileName('wasm-perf-gate-baseline', { os: 'linux', arch: 'x64' }),
    'wasm-perf-gate-baseline-linux-x64.json',
  );
  assert.equal(historyFileName('team/perf key', { os: 'darwin', arch: 'arm64' }), 'team_perf_key-darwin-arm64.json');
  assert.equal(historyFileName('..x', { os: 'linux', arch: 'x64' }), '_.x-linux-x64.json');
});

test('branch file: its text parses back; anything else is a one-line problem, never a throw', () => {
  const history = [cell([1, 2], { changePoints: [day(2)] }), cell([2], { metric: 'cpu' })];
  const text = historyFileText({ key: 'k', platform: 'linux-x64', updatedAt: day(3), history });
  assert.deepEqual(parseHistoryFile(text, 'f').history, history);
  assert.equal(text.split('\n').length, 5, 'header line, one line per cell (2), closing line, final newline');
  const bad: [string, RegExp][] = [
    ['{', /f is not valid JSON/],
    ['{"schema":"other"}', /not a wasm-perf-gate history file \(schema/],
    [text.replace('"median":101', '"median":"fast"'), /history\.0\.points\.0\.median/],
    [' '.repeat(16 * 2 ** 20 + 1), /larger than 16777216 bytes/],
  ];
  for (const [t, problem] of bad) {
    const r = parseHistoryFile(t, 'f');
    assert.equal(r.history, undefined);
    assert.match(r.problem ?? '', problem);
  }
});
