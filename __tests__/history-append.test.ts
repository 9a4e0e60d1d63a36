import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cellKey } from '../src/baseline/build.js';
import { parseBaseline } from '../src/baseline/schema.js';
import type { BaselineDoc } from '../src/baseline/types.js';
import { appendHistory } from '../src/baseline/append-history.js';
import { machineId } from '../src/baseline/fingerprint.js';
import { sampleDoc } from './helpers/baseline-fixture.js';

const FRESH = new Set([cellKey('fib', 'wasmtime')]);

function refresh(previous: BaselineDoc | undefined, i: number, samples: number[], fresh = FRESH): BaselineDoc {
  const doc = {
    ...sampleDoc({ samples }),
    createdAt: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
    commit: `c${i}`,
  };
  return { ...doc, history: appendHistory({ doc, previous, fresh, maxPoints: 5 }) };
}

test('each refresh appends one compact point per cell and metric, carried forward and bounded', () => {
  let doc: BaselineDoc | undefined;
  for (let i = 0; i < 8; i++) doc = refresh(doc, i, [10 + i, 11 + i, 12 + i, 13 + i, 14 + i, 15 + i, 16 + i]);
  const [cell, ...others] = doc!.history!;
  assert.equal(others.length, 0);
  assert.deepEqual([cell!.benchmark, cell!.runtime, cell!.metric], ['fib', 'wasmtime', 'wall']);
  assert.deepEqual(
    cell!.points.map((p) => p.commit),
    ['c3', 'c4', 'c5', 'c6', 'c7'],
    'the oldest points fall out once the bound is reached',
  );
  const last = cell!.points.at(-1)!;
  assert.equal(last.median, 20, 'median from the stored summary (fixture: the middle sample)');
  assert.equal(last.n, 7);
  assert.deepEqual(last.interval, [17, 23], 'n = 7 at 95%: the sign-test interval is [min, max]');
  assert.equal(last.machine, machineId(doc!.machine));
  assert.equal(last.runtimeVersion, '30.0.0');
  assert.ok(!('samples' in last), 'no raw samples in history');
  assert.equal(parseBaseline(JSON.stringify(doc)).problem, undefined, 'the document with history validates');
});

test('pending splits are carried forward while their point is in the window, and dropped with it', () => {
  let doc: BaselineDoc | undefined;
  for (let i = 0; i < 4; i++) doc = refresh(doc, i, [10, 11, 12]);
  const [first] = doc!.history!;
  const pending = [
    { date: first!.points[1]!.date, since: first!.points[3]!.date },
    { date: first!.points[3]!.date, since: first!.points[3]!.date },
  ];
  doc = { ...doc!, history: [{ ...first!, pending }] };
  const next = refresh(doc, 4, [10, 11, 12]);
  assert.deepEqual(next.history![0]!.pending, pending, 'both kept when a point is appended');
  const unmeasured = refresh(next, 5, [10, 11, 12], new Set());
  assert.deepEqual(unmeasured.history![0]!.pending, pending, 'and when the cell was not measured');
  // maxPoints 5: two more points push day 1 out of the window, and its pending split with it
  const bounded = refresh(refresh(unmeasured, 6, [10, 11, 12]), 7, [10, 11, 12]);
  assert.deepEqual(
    bounded.history![0]!.points.map((p) => p.commit),
    ['c2', 'c3', 'c4', 'c6', 'c7'],
  );
  assert.deepEqual(bounded.history![0]!.pending, [pending[1]]);
  assert.equal(parseBaseline(JSON.stringify(bounded)).problem, undefined, 'the carried pending splits validate');
});

test('a cell not measured in this refresh keeps its history without a new point', () => {
  const first = refresh(undefined, 0, [10, 11, 12]);
  const second = refresh(first, 1, [10, 11, 12], new Set());
  assert.equal(second.history![0]!.points.length, 1);
  assert.equal(second.history![0]!.points[0]!.commit, 'c0');
});

test('a version-1 baseline still loads: migration turns it into the first point of every cell', () => {
  const v1 = JSON.parse(readFileSync('__tests__/fixtures/baseline-v1.json', 'utf8')) as Record<string, unknown>;
  assert.equal(
    v1['version'],
    1,
    'the fixture is a version-1 document (examples/baseline.json as it was before history)',
  );
  const parsed = parseBaseline(JSON.stringify(v1));
  assert.equal(parsed.problem, undefined, parsed.problem);
  const doc = parsed.doc!;
  assert.equal(doc.version, 2);
  const cells = doc.entries.flatMap((e) => Object.keys(e.metrics).map((m) => `${e.benchmark}/${e.runtime}/${m}`));
  assert.deepEqual(doc.history!.map((h) => `${h.benchmark}/${h.runtime}/${h.metric}`).sort(), cells.sort());
  for (const h of doc.history!) {
    const entry = doc.entries.find((e) => e.benchmark === h.benchmark && e.runtime === h.runtime)!;
    assert.equal(h.points.length, 1);
    assert.equal(h.points[0]!.median, entry.metrics[h.metric]!.median);
    assert.equal(h.points[0]!.date, doc.createdAt);
  }
});

test('a history longer than the bound, or with a malformed point, is reported, not trusted', () => {
  const doc = refresh(undefined, 0, [10, 11, 12]) as any;
  doc.history[0].points = Array.from({ length: 201 }, () => doc.history[0].points[0]);
  assert.match(parseBaseline(JSON.stringify(doc), 'B').problem ?? '', /^B is malformed — history\[0\]\.points/);
  const bad = refresh(undefined, 0, [10, 11, 12]) as any;
  bad.history[0].points[0].median = 'fast';
  assert.match(parseBaseline(JSON.stringify(bad), 'B').problem ?? '', /history\[0\]\.points\[0\]\.median/);
});

test('a refresh point repeated in the carried history counts once: deduped on carry-forward and on append', () => {
  const first = refresh(undefined, 0, [10, 11, 12]);
  const point = first.history![0]!.points[0]!;
  const tripled: BaselineDoc = { ...first, history: [{ ...first.history![0]!, points: [point, point, { ...point }] }] };
  const carried = refresh(tripled, 1, [10, 11, 12], new Set());
  assert.deepEqual(
    carried.history![0]!.points.map((p) => p.commit),
    ['c0'],
    'not measured: carried forward once',
  );
  const appended = refresh(tripled, 2, [10, 11, 12]);
  assert.deepEqual(
    appended.history![0]!.points.map((p) => p.commit),
    ['c0', 'c2'],
    'measured: the old point once, the new one after it',
  );
});
