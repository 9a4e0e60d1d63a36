// Partition, partial-report parsing (untrusted bytes) and merging: pure, no processes.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { parseShard } from '../src/config/shard.js';
import { partitionCells, type PlannedCell } from '../src/pipeline/partition.js';
import { parsePartial } from '../src/shard/partial-report.js';
import { mergePartials } from '../src/shard/merge.js';
import type { PartialReport } from '../src/shard/partial-schema.js';
import { BASELINE_VERSION, type BaselineDoc } from '../src/baseline/types.js';
import { emptyPartial, MACHINE } from './helpers/report-fixtures.js';

const cells = (n: number): PlannedCell[] =>
  Array.from({ length: n }, (_, i) => ({ benchmark: `b${i % 10}`, runtime: `rt${Math.floor(i / 10)}` }));

function docWith(medians: Record<string, number>): BaselineDoc {
  return {
    schema: 'wasm-perf-gate/baseline',
    version: BASELINE_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    machine: MACHINE,
    artifacts: {},
    entries: Object.entries(medians).map(([k, median]) => {
      const [benchmark, runtime] = k.split(' ');
      return {
        benchmark: benchmark!,
        runtime: runtime!,
        runtimeVersion: '1',
        artifactRel: 'x',
        artifactSha256: '0'.repeat(64),
        args: [],
        metrics: {
          wall: {
            unit: 'ms',
            direction: 'lower',
            n: 1,
            median,
            mean: median,
            stddev: 0,
            min: median,
            max: median,
            samples: [median],
          },
        },
      };
    }),
  } as BaselineDoc;
}

describe('shard input', () => {
  test('k/n within 1..n', () => {
    assert.deepEqual(parseShard('2/4'), { index: 2, count: 4 });
    assert.equal(parseShard(''), undefined);
    for (const bad of ['0/4', '5/4', '1/0', 'two', '1/300']) assert.throws(() => parseShard(bad), /shard: .*k\/n/);
  });
});

describe('partitionCells', () => {
  test('every cell exactly once, whatever the order of the input', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.integer({ min: 1, max: 8 }), (n, k) => {
        const all = cells(n);
        const a = partitionCells(all, k);
        const b = partitionCells([...all].reverse(), k);
        assert.deepEqual(a, b, 'same partition on every shard');
        assert.equal(a.flat().length, n);
        assert.equal(new Set(a.flat().map((c) => `${c.benchmark} ${c.runtime}`)).size, n);
      }),
    );
  });

  test('balanced by count without a baseline', () => {
    const sizes = partitionCells(cells(40), 4).map((s) => s.length);
    assert.deepEqual(sizes, [10, 10, 10, 10]);
  });

  test('balanced by stored medians: one slow cell gets a shard to itself', () => {
    const all = cells(9);
    const medians = Object.fromEntries(all.map((c, i) => [`${c.benchmark} ${c.runtime}`, i === 0 ? 800 : 100]));
    const shards = partitionCells(all, 2, docWith(medians));
    const slow = shards.find((s) => s.some((c) => c.benchmark === 'b0'))!;
    assert.equal(slow.length, 1, JSON.stringify(shards));
  });
});

const partial = (index: number, count: number, extra: Partial<PartialReport> = {}): PartialReport =>
  emptyPartial(index, count, 'node', extra);

describe('parsePartial: untrusted bytes', () => {
  const bytes = (o: unknown) => Buffer.from(JSON.stringify(o));
  test('a valid report passes', () => {
    assert.equal(parsePartial(bytes(partial(1, 2)), 'x').problem, undefined);
  });
  test('each kind of tampering is one clear line', () => {
    const cases: [Uint8Array, RegExp][] = [
      [Buffer.from('{not json'), /is not JSON/],
      [bytes({ schema: 'evil' }), /not a wasm-perf-gate partial report/],
      [bytes({ ...partial(1, 2), version: 9 }), /version 9, this action reads 1/],
      [
        bytes({ ...partial(1, 2), measurements: [{ benchmark: 'a' }] }),
        /does not match the partial-report schema at measurements\.0/,
      ],
      [bytes({ ...partial(1, 2), shard: { index: 1, count: 9999 } }), /schema at shard\.count/],
      [Buffer.alloc(2000, 32), /over the 0\.0 MiB limit/],
    ];
    for (const [b, re] of cases) {
      const r = parsePartial(b, 'artifact p.json', 1000);
      assert.match(r.problem ?? '', re);
      assert.doesNotMatch(r.problem!, /\n/);
    }
  });
});

describe('mergePartials', () => {
  test('a missing shard turns its cells into named failures', () => {
    const m = mergePartials([partial(1, 2)]);
    assert.deepEqual(m.missingShards, [2]);
    const failed = m.run.measurements.find((x) => x.benchmark === 'b')!;
    assert.match(failed.candidate.failure!.message, /shard 2\/2 sent no partial report/);
    assert.ok(
      m.benchmarks.some((b) => b.id === 'b'),
      'a spec so the cell gets a verdict',
    );
  });
  test("the merged baseline carries every shard's history forward, so a sharded refresh keeps main's history", () => {
    const point = (median: number) => ({
      date: '2026-01-01T00:00:00.000Z',
      runtimeVersion: '1',
      machine: 'm',
      median,
      interval: [median, median] as [number, number],
      n: 5,
    });
    const base = (benchmark: string, median: number) => ({
      source: { kind: 'actions-cache' as const, location: 'k' },
      createdAt: '2026-01-01T00:00:00.000Z',
      machine: MACHINE,
      entries: [],
      history: [{ benchmark, runtime: 'node', metric: 'wall', points: [point(median)] }],
    });
    const shipped = parsePartial(Buffer.from(JSON.stringify(partial(2, 2, { baseline: base('b', 20) }))), 'x');
    assert.equal(shipped.problem, undefined, 'history passes the partial-report schema');
    const m = mergePartials([partial(1, 2, { baseline: base('a', 10) }), shipped.report!]);
    const history = m.run.loaded.doc?.history ?? [];
    assert.deepEqual(
      history.map((h) => [h.benchmark, h.points[0]!.median]),
      [
        ['a', 10],
        ['b', 20],
      ],
    );
  });
  test('shards that disagree are refused', () => {
    assert.throws(() => mergePartials([partial(1, 2), partial(1, 2)]), /two partial reports claim to be shard 1/);
    assert.throws(() => mergePartials([partial(1, 2), partial(2, 3)]), /same n/);
    assert.throws(() => mergePartials([partial(1, 2), partial(2, 2, { mode: 'baseline' })]), /same/);
  });
});
