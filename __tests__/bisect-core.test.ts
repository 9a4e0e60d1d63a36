// The pure bisection: next probe, skips, ambiguous ranges, budget, cells that part ways, and the
// ⌈log2(commits)⌉ + 2 build bound, against an oracle that knows each commit's side.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  answers,
  cellSearch,
  measurementBudget,
  nextProbe,
  searches,
  wantsMoreRounds,
  type ProbeResult,
} from '../src/bisect/core.js';
import { changedCells, probeSides, probeThreshold } from '../src/bisect/decide.js';
import { newestChangePointRange } from '../src/bisect/default-range.js';
import type { Verdict } from '../src/model/verdict.js';

/** Runs the search like run-bisect.ts does; `sideOf(cell, i)` answers probes, `skips` never build. */
function bisect(
  count: number,
  cells: string[],
  sideOf: (cell: string, i: number) => 'good' | 'bad' | 'unclear',
  skips: ReadonlySet<number> = new Set(),
) {
  const probes = new Map<number, ProbeResult>();
  let measured = 1;
  let builds = 2;
  for (;;) {
    const i = nextProbe(count, cells, probes, measured);
    if (i === undefined) break;
    assert.ok(!probes.has(i), `commit ${i} probed twice`);
    builds++;
    if (skips.has(i)) probes.set(i, { kind: 'skipped', reason: 'build failed' });
    else {
      measured++;
      probes.set(i, { kind: 'measured', sides: Object.fromEntries(cells.map((c) => [c, sideOf(c, i)])) });
    }
  }
  return { found: answers(searches(count, cells, probes)), builds, measured };
}

test('one culprit anywhere in 1..256 commits is found within ⌈log2(commits)⌉ + 2 builds', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 256 }).chain((k) => fc.tuple(fc.constant(k), fc.integer({ min: 1, max: k }))),
      ([k, culprit]) => {
        const r = bisect(k + 1, ['c'], (_, i) => (i >= culprit ? 'bad' : 'good'));
        assert.deepEqual(
          r.found,
          [{ cells: ['c'], kind: 'culprit', from: culprit, to: culprit }],
          `k=${k} culprit=${culprit}`,
        );
        assert.ok(r.builds <= Math.ceil(Math.log2(k)) + 2, `k=${k}: ${r.builds} builds`);
        assert.ok(r.measured <= measurementBudget(k));
      },
    ),
  );
});

test('skipped commits: the culprit becomes the range of adjacent commits around them, never a guess', () => {
  fc.assert(
    fc.property(
      fc
        .integer({ min: 2, max: 64 })
        .chain((k) =>
          fc.tuple(
            fc.constant(k),
            fc.integer({ min: 1, max: k }),
            fc.uniqueArray(fc.integer({ min: 1, max: k - 1 }), { maxLength: 3 }),
          ),
        ),
      ([k, culprit, skipped]) => {
        const r = bisect(k + 1, ['c'], (_, i) => (i >= culprit ? 'bad' : 'good'), new Set(skipped));
        assert.equal(r.found.length, 1);
        const a = r.found[0]!;
        assert.ok(a.from <= culprit && culprit <= a.to, `culprit ${culprit} outside ${a.from}..${a.to}`);
        // only skipped commits may stand before the last one of the range
        for (let i = a.from; i < a.to; i++) assert.ok(skipped.includes(i), `${i} in the range but not skipped`);
        assert.equal(a.kind === 'culprit', a.from === a.to);
        if (a.kind !== 'culprit') assert.equal(a.kind, 'culprit-range');
      },
    ),
  );
});

test('an inconclusive probe ends that cell as an ambiguous range that holds the culprit', () => {
  // 16 commits, culprit 9: the first probe (8) is unclear
  const r = bisect(17, ['c'], (_, i) => (i === 8 ? 'unclear' : i >= 9 ? 'bad' : 'good'));
  assert.deepEqual(r.found, [
    { cells: ['c'], kind: 'ambiguous', from: 1, to: 16, why: 'a probe in the range was inconclusive' },
  ]);
  assert.equal(r.builds, 3, 'nothing more is built once the range is ambiguous');
});

test('cells with different culprits part ways: each is followed, and the answers say so', () => {
  const culprits: Record<string, number> = { a: 3, b: 12 };
  const r = bisect(17, ['a', 'b'], (c, i) => (i >= culprits[c]! ? 'bad' : 'good'));
  assert.deepEqual(
    r.found.map((a) => [a.cells, a.kind, a.from]),
    [
      [['a'], 'culprit', 3],
      [['b'], 'culprit', 12],
    ],
  );
  assert.ok(r.measured <= measurementBudget(16), `${r.measured} measurements`);
});

test('cells sharing one culprit share the probes', () => {
  const r = bisect(33, ['a', 'b', 'c'], (_, i) => (i >= 20 ? 'bad' : 'good'));
  assert.deepEqual(r.found, [{ cells: ['a', 'b', 'c'], kind: 'culprit', from: 20, to: 20 }]);
  assert.equal(r.builds, 2 + 5);
});

test('the budget ends an open search as ambiguous, holding what is known', () => {
  const probes = new Map<number, ProbeResult>([[8, { kind: 'measured', sides: { c: 'good' } }]]);
  assert.equal(nextProbe(17, ['c'], probes, measurementBudget(16)), undefined);
  assert.deepEqual(answers(searches(17, ['c'], probes)), [
    { cells: ['c'], kind: 'ambiguous', from: 9, to: 16, why: 'the measurement budget was spent' },
  ]);
});

test('a later commit measured like good contradicts the search: ambiguous, not a culprit', () => {
  const probes = new Map<number, ProbeResult>([
    [4, { kind: 'measured', sides: { c: 'bad' } }],
    [6, { kind: 'measured', sides: { c: 'good' } }],
  ]);
  assert.equal(cellSearch(9, 'c', probes).kind, 'ambiguous');
});

const verdict = (kind: Verdict['kind'], ratio: number, benchmark = 'w', metric = 'wall'): Verdict => ({
  benchmark,
  runtime: 'node@22.1.0',
  metric,
  unit: 'ms',
  direction: 'lower',
  kind,
  ratio,
  interval: [ratio - 0.01, ratio + 0.01],
  threshold: 0.05,
  method: 'paired',
  runs: { baseline: 10, candidate: 10 },
  notes: [],
});

test('the ends: changed cells are followed (or the named ones); a probe is judged at half the change', () => {
  const ends = [verdict('regressed', 1.4), verdict('unchanged', 1.0, 'v'), verdict('likely-improved', 0.8, 'u')];
  const followed = changedCells(ends, []);
  assert.deepEqual(
    followed.map((c) => c.key),
    ['w · node · wall', 'u · node · wall'],
  );
  assert.deepEqual(
    changedCells(ends, ['u/node']).map((c) => c.key),
    ['u · node · wall'],
  );
  assert.equal(changedCells([verdict('unchanged', 1.01)], []).length, 0, 'flat: nothing to follow');
  assert.ok(Math.abs(probeThreshold(followed, 'w', 'wall')! - 0.2) < 1e-9);
  assert.deepEqual(probeSides([verdict('unchanged', 1.0), verdict('improved', 0.8, 'u')], followed), {
    'w · node · wall': 'good',
    'u · node · wall': 'bad',
  });
  assert.deepEqual(probeSides([verdict('improved', 0.8)], followed.slice(0, 1)), { 'w · node · wall': 'unclear' });
});

test('the default range is the newest reported change point with commits on both sides', () => {
  const point = (i: number) => ({
    commit: String(i).repeat(40).slice(0, 40),
    date: `2026-01-0${i}T00:00:00Z`,
    runtimeVersion: '22',
    machine: 'm',
    median: 1,
    interval: [1, 1] as [number, number],
    n: 10,
  });
  const history = [
    {
      benchmark: 'a',
      runtime: 'node',
      metric: 'wall',
      points: [1, 2, 3, 4, 5].map(point),
      changePoints: [point(3).date],
    },
    {
      benchmark: 'b',
      runtime: 'node',
      metric: 'wall',
      points: [1, 2, 3, 4, 5].map(point),
      changePoints: [point(4).date],
    },
  ];
  const r = newestChangePointRange(history);
  assert.equal(r?.good, point(3).commit);
  assert.equal(r?.bad, point(4).commit);
  assert.equal(newestChangePointRange([{ ...history[0]!, changePoints: [] }]), undefined);
});

test('an undecided probe inside a cell’s open range asks for more rounds; one outside it does not', () => {
  const unclear = (sides: Record<string, 'good' | 'bad' | 'unclear'>): ProbeResult => ({ kind: 'measured', sides });
  const probes = new Map<number, ProbeResult>([[8, unclear({ a: 'unclear', b: 'good' })]]);
  assert.equal(wantsMoreRounds(17, ['a', 'b'], probes, 8), true);
  // b already knows 8..16 is where its change lies: 4 undecided for b does not matter
  probes.set(12, unclear({ a: 'bad', b: 'bad' }));
  probes.set(4, unclear({ a: 'good', b: 'unclear' }));
  assert.equal(wantsMoreRounds(17, ['a', 'b'], probes, 4), false);
  assert.equal(wantsMoreRounds(17, ['a', 'b'], probes, 12), false, 'decided for both');
  assert.equal(wantsMoreRounds(17, ['a'], new Map([[3, { kind: 'skipped', reason: 'x' }]]), 3), false);
});
