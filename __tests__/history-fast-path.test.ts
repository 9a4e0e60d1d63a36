// The fast path for a clear step (history/fast-path.ts through detectNewChangePoints), the memory of what was
// reported, and what the warning, the tracking issue, the trend and bisect's default range say of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellHistorySchema } from '../src/baseline/schema.js';
import { newestChangePointRange } from '../src/bisect/default-range.js';
import { detectNewChangePoints, type ChangePoint, type DetectOptions } from '../src/history/change-points.js';
import { DISTURBED_WIDTH, fastStep } from '../src/history/fast-path.js';
import { mergeHistories } from '../src/history/merge.js';
import { cellTrends } from '../src/history/trend.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import type { Verdict } from '../src/model/verdict.js';
import { changePointIssueBody, changePointLine, changePointsSection } from '../src/report/change-points-markdown.js';
import { trendChart, trendLine } from '../src/report/trend-markdown.js';
import { createNormalPrng } from '../src/stats/prng.js';

/** A refresh of 10 runs: `median` with a 95% interval of ±`halfWidth` (relative), as history/append.ts writes it. */
function point(i: number, median: number, halfWidth = 0.005): HistoryPoint {
  return {
    commit: String(i + 1)
      .padStart(2, '0')
      .padEnd(40, 'f'),
    date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    runtimeVersion: '22',
    machine: 'm1',
    median,
    interval: [median * (1 - halfWidth), median * (1 + halfWidth)],
    n: 10,
  };
}

/** Refresh medians: 100 · e^(sd·z), times 1 + step from refresh `stepAt` (1-based) on. */
function refreshes(n: number, seed: number, sd: number, step = 0, stepAt = Infinity): number[] {
  const z = createNormalPrng(seed);
  return Array.from({ length: n }, (_, i) => 100 * Math.exp(sd * z()) * (i + 1 >= stepAt ? 1 + step : 1));
}

function cell(values: readonly number[], halfWidth?: number, metric = 'cpu'): CellHistory {
  return { benchmark: 'nbody', runtime: 'node', metric, points: values.map((v, i) => point(i, v, halfWidth)) };
}

/** Refresh by refresh, as main sees it: every report with the refresh (1-based) that made it. */
function replay(full: CellHistory, options: DetectOptions = {}) {
  let history: CellHistory[] = [{ ...full, points: [] }];
  const reports: { at: number; cp: ChangePoint }[] = [];
  for (let n = 1; n <= full.points.length; n++) {
    history = [{ ...history[0]!, points: full.points.slice(0, n) }];
    const result = detectNewChangePoints(history, options);
    for (const cp of result.changePoints) reports.push({ at: n, cp });
    history = result.history;
  }
  return { reports, history: history[0]! };
}

test('a clear +8% step from refresh 7 of 12 is reported at refresh 7’s commit by refresh 9, by the fast path (20 seeds)', () => {
  for (let seed = 1; seed <= 20; seed++) {
    const h = cell(refreshes(12, seed, 0.005, 0.08, 7));
    const { reports, history } = replay(h);
    const why = `seed ${seed}: ${JSON.stringify(reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path]))}`;
    assert.equal(reports.length, 1, why);
    const { at, cp } = reports[0]!;
    assert.ok(at <= 9, why);
    assert.equal(cp.commit, h.points[6]!.commit, why);
    assert.equal(cp.fromCommit, h.points[5]!.commit, why);
    const c = cp.cells[0]!;
    assert.equal(c.path, 'fast', why);
    assert.equal(c.threshold, 0.05);
    assert.ok(c.ratio > 1.06 && c.ratio < 1.1 && c.interval[0] > 1.05, JSON.stringify(c));
    assert.ok(c.pValue < 0.05, JSON.stringify(c));
    assert.deepEqual(history.changePoints, [h.points[6]!.date]);
    assert.deepEqual(history.reported, [
      {
        date: h.points[6]!.date,
        path: 'fast',
        pValue: c.pValue,
        ratio: c.ratio,
        commit: cp.commit,
        fromCommit: cp.fromCommit,
      },
    ]);
    assert.ok(cellHistorySchema.safeParse(history).success, 'the memory passes the history schema');
  }
});

test('the fast path reports at the third refresh past the band: refresh 9 for a step at 7', () => {
  const { reports } = replay(cell(refreshes(12, 3, 0.005, 0.08, 7)));
  assert.equal(reports[0]?.at, 9);
});

test('refreshes without intervals (one counted run) use the i.i.d. band and still take the fast path', () => {
  const values = refreshes(12, 4, 0.004, 0.08, 7);
  const h: CellHistory = {
    ...cell(values),
    points: values.map((v, i) => ({ ...point(i, v), interval: [v, v], n: 1 })),
  };
  const { reports } = replay(h);
  assert.deepEqual(
    reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path]),
    [[9, h.points[6]!.commit, 'fast']],
  );
});

test('identical refreshes report no change point; identical refreshes with a +8% step report it at once', () => {
  assert.deepEqual(replay(cell(Array(12).fill(100))).reports, []);
  const h = cell([...Array(6).fill(100), ...Array(6).fill(108)], 0);
  const { reports } = replay(h);
  assert.deepEqual(
    reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path]),
    [[9, h.points[6]!.commit, 'fast']],
  );
});

test('one disturbed refresh is never a change point, however slow, nor two slow ones apart, nor two in a row', () => {
  for (const slow of [1.08, 1.3, 2]) {
    const values = refreshes(12, 11, 0.005);
    values[8] = values[8]! * slow;
    assert.deepEqual(replay(cell(values)).reports, [], `one refresh ×${slow}`);
    values[10] = values[10]! * slow;
    assert.deepEqual(replay(cell(values)).reports, [], `refreshes 9 and 11 ×${slow}`);
    values[9] = values[9]! * slow;
    values[10] = values[10]! / slow;
    assert.deepEqual(replay(cell(values)).reports, [], `refreshes 9 and 10 ×${slow}`);
  }
});

test('two slow refreshes with scattered runs (a disturbed runner) do not take the fast path; ordinary ones do', () => {
  const regime = refreshes(8, 12, 0.005).map((v, i) => point(i, v, 0.01));
  const slow = (i: number, halfWidth: number) => point(i, 140, halfWidth);
  assert.equal(
    fastStep([...regime, slow(8, 0.01 * (DISTURBED_WIDTH + 1)), slow(9, 0.01), slow(10, 0.01)], 0, 0.05),
    undefined,
  );
  assert.equal(fastStep([...regime, slow(8, 0.01), slow(9, 0.01), slow(10, 0.01)], 0, 0.05)?.index, 8);
  assert.equal(fastStep([...regime, slow(8, 0.01), slow(9, 0.01)], 0, 0.05), undefined, 'two are not enough');
});

test('a disturbed first refresh of a step is the step’s start: reported at its commit, kept out of the band', () => {
  const values = refreshes(12, 13, 0.005, 0.5, 7);
  const h = cell(values);
  // refresh 7 at the new level but with scattered runs: the fast path waits one refresh, then starts the step there
  h.points[6] = point(6, values[6]!, 0.005 * (DISTURBED_WIDTH + 2));
  const { reports } = replay(h);
  assert.deepEqual(
    reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path]),
    [[10, h.points[6]!.commit, 'fast']],
  );
});

test('a step the band cannot clear by the threshold waits for the permutation path; a smaller threshold lets it through', () => {
  const h = cell(refreshes(16, 21, 0.005, 0.04, 7));
  const slow = replay(h);
  assert.ok(
    slow.reports.every((r) => r.cp.cells[0]?.path === 'permutation' && r.at > 9),
    JSON.stringify(slow.reports.map((r) => [r.at, r.cp.cells[0]?.path])),
  );
  const fast = replay(h, {
    thresholdOf: (benchmark, metric) => (benchmark === 'nbody' && metric === 'cpu' ? 0.02 : 0.05),
  });
  assert.deepEqual(
    fast.reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path]),
    [[9, h.points[6]!.commit, 'fast']],
  );
  assert.deepEqual(
    replay(h, { fastPath: false, thresholdOf: () => 0.02 }).reports.map((r) => r.cp.cells[0]?.path),
    [...slow.reports.map(() => 'permutation')],
  );
});

test('a clear improvement takes the fast path too; after a reported change the band restarts from it', () => {
  const down = cell(refreshes(12, 31, 0.005, -0.1, 7));
  assert.deepEqual(
    replay(down).reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path, r.cp.cells[0]!.ratio < 0.92]),
    [[9, down.points[6]!.commit, 'fast', true]],
  );
  // a second step 7 refreshes after the first: the regime between them (5 refreshes) is the band
  const values = refreshes(20, 32, 0.005).map((v, i) => v * (i >= 6 ? 1.1 : 1) * (i >= 13 ? 1.1 : 1));
  const h = cell(values);
  assert.deepEqual(
    replay(h).reports.map((r) => [r.at, r.cp.commit]),
    [
      [9, h.points[6]!.commit],
      [16, h.points[13]!.commit],
    ],
  );
});

test('what was reported is kept through a merge, and the warning, the issue, the trend and bisect say which path and how sure', () => {
  const h = cell(refreshes(12, 41, 0.005, 0.08, 7));
  const { reports, history } = replay(h);
  const cp = reports[0]!.cp;

  const merged = mergeHistories([{ ...history, reported: undefined }], [history])[0]!;
  assert.deepEqual(merged.reported, history.reported);

  const line = changePointLine(cp);
  assert.match(line, /^change point in nbody at 06fffff\.\.07fffff: cpu on node \+\d\.\d% \[/);
  assert.match(
    line,
    /fast path: 3 refreshes in a row past the prediction band by more than the 5% threshold, p (<|≤) 0\.\d{3} each/,
  );
  const body = changePointIssueBody(cp, '<!-- m -->');
  assert.match(body, /\| Found by, how sure \|/);
  assert.match(body, /fast path: 3 refreshes in a row past the prediction band/);
  assert.match(body, /Method — Fast path:/);
  assert.doesNotMatch(body, /Permutation path/);
  assert.match(changePointsSection([cp]), /fast path/);

  const verdict = {
    benchmark: 'nbody',
    runtime: 'node 22.1.0',
    metric: 'cpu',
    unit: 'ms',
    kind: 'regressed',
    candidateMedian: 109,
  };
  const [trend] = cellTrends([history], [verdict as Verdict], 'changed', () => 'node');
  assert.deepEqual(trend?.changePoints, [
    { index: 6, commit: cp.commit, path: 'fast', pValue: cp.cells[0]!.pValue, ratio: cp.cells[0]!.ratio },
  ]);
  assert.match(trendLine(trend!), /change point at refresh 7 \(07fffff\) \+\d\.\d%: fast path: 3 refreshes in a row/);
  const chart = trendChart(trend!);
  assert.match(chart, /"7\*"/);
  assert.match(chart, /change point \* 7 \(fast path, p (under |)0\.\d+\)/);

  const range = newestChangePointRange([history]);
  assert.deepEqual([range?.good, range?.bad], [cp.fromCommit, cp.commit]);
  assert.match(range!.from, /found by the fast path/);
});

test('bisect’s default range is the reported range, also when a sibling metric’s change point was reported one refresh earlier', () => {
  // cpu's step at refresh 7, wall's a refresh later: one change point at cpu's commit, and both cells' memory names it
  const cpu = cell(refreshes(12, 51, 0.005, 0.08, 7));
  const wall = cell(refreshes(12, 52, 0.005, 0.08, 8), undefined, 'wall');
  let history: CellHistory[] = [cpu, wall].map((h) => ({ ...h, points: [] }));
  const reports: ChangePoint[] = [];
  for (let n = 1; n <= 12; n++) {
    history = history.map((h, i) => ({ ...h, points: [cpu, wall][i]!.points.slice(0, n) }));
    const result = detectNewChangePoints(history);
    reports.push(...result.changePoints);
    history = result.history;
  }
  assert.equal(reports.length, 1, JSON.stringify(reports.map((r) => [r.commit, r.cells.map((c) => c.metric)])));
  const range = newestChangePointRange(history);
  assert.deepEqual([range?.good, range?.bad], [reports[0]!.fromCommit, reports[0]!.commit]);
});

test('three refreshes past the Gaussian band but not beyond every refresh of the regime do not take the fast path', () => {
  // 19 tight refreshes and one 15% slow with an ordinary interval: the band (its spread) is cleared by three at
  // +12%, but the regime has held a session as slow before (a slow mode, as the loaded wall time has)
  const regime = refreshes(20, 41, 0.005).map((v, i) => point(i, v));
  const fresh = [20, 21, 22].map((i) => point(i, 112));
  const withSlow = [...regime];
  withSlow[10] = point(10, 115);
  assert.equal(fastStep([...withSlow, ...fresh], 0, 0.05), undefined);
  // the same regime with its slow refresh at +10%: the three are beyond it, and clear the band by the threshold
  const lower = [...regime];
  lower[10] = point(10, 110);
  const step = fastStep([...lower, ...fresh], 0, 0.05);
  assert.equal(step?.index, 20);
  assert.ok(step.interval[0] > 1.05, JSON.stringify(step));
  // improvements likewise: beyond the regime's fastest refresh
  const fast = [20, 21, 22].map((i) => point(i, 88));
  const withFast = [...regime];
  withFast[10] = point(10, 86);
  assert.equal(fastStep([...withFast, ...fast], 0, 0.05), undefined);
  withFast[10] = point(10, 90);
  assert.equal(fastStep([...withFast, ...fast], 0, 0.05)?.index, 20);
});

test('a spell of slow disturbed refreshes is load, not a change point, on either path; the same spell with ordinary intervals is one', () => {
  // 20 ordinary refreshes (±1% interval), 7 at +45% whose runs scattered (±20%: the recorded loaded sessions
  // 34–56% slow had intervals 17–66% wide), then 8 ordinary ones again
  const values = refreshes(35, 51, 0.02).map((v, i) => (i >= 20 && i < 27 ? v * 1.45 : v));
  const spell = cell(values, 0.01, 'wall');
  for (let i = 20; i < 27; i++) spell.points[i] = point(i, values[i]!, 0.2);
  const loaded = replay(spell);
  assert.deepEqual(
    loaded.reports.map((r) => [r.at, r.cp.cells[0]?.path]),
    [],
    'a spell of load reports nothing',
  );
  // with ordinary intervals the spell is a level shift of the code: reported (and so is its end)
  const ordinary = replay(cell(values, 0.01, 'wall'));
  assert.ok(
    ordinary.reports.some((r) => r.cp.commit === spell.points[20]!.commit && r.cp.cells[0]!.ratio > 1.3),
    JSON.stringify(ordinary.reports.map((r) => [r.at, r.cp.commit, r.cp.cells[0]?.path])),
  );
});

test('a step whose slower side has some disturbed refreshes is still a change point when its tight ones sit at the new level', () => {
  // +50% from refresh 21, two of every three refreshes after it with scattered runs: the tight third are at +50%
  const values = refreshes(32, 61, 0.02, 0.5, 21);
  const h = cell(values, 0.01, 'wall');
  for (let i = 20; i < 32; i++) if (i % 3 !== 2) h.points[i] = point(i, values[i]!, 0.2);
  const { reports } = replay(h);
  assert.ok(
    reports.some((r) => Math.abs(Number(r.cp.commit!.slice(0, 2)) - 21) <= 1 && r.cp.cells[0]!.ratio > 1.3),
    JSON.stringify(reports.map((r) => [r.at, r.cp.commit?.slice(0, 2), r.cp.cells[0]?.path])),
  );
});
