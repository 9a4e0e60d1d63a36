import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { buildBaseline, runtimeKey, type ArtifactBytes, type BuildBaselineInput } from '../src/baseline/build.js';
import { writeBaselineArtifacts } from '../src/baseline/write-artifacts.js';
import { parseBaseline } from '../src/baseline/schema.js';
import type { BenchmarkSpec, RuntimeRef } from '../src/model/plan.js';
import type { BaselineDoc, BaselineEntry } from '../src/baseline/types.js';
import type { CellMeasurement, Sample } from '../src/model/measurement.js';
import { sha256, wasmBytes } from './helpers/baseline-fixture.js';

// As the config stage makes them: the id is name[:variant]; the version is not part of it.
const runtime = (spec: string): RuntimeRef => ({ name: spec.split(/[:@]/)[0]!, flags: [], id: spec.split('@')[0]! });

function spec(id: string, artifact: string, runtimes: string[], args: string[] = []): BenchmarkSpec {
  return {
    id,
    artifact,
    artifactRel: `wasm/${basename(artifact)}`,
    args,
    env: {},
    runtimes: runtimes.map(runtime),
    threshold: 0.05,
    metrics: ['wall'],
    programMetrics:
      id === 'nbody' ? [{ name: 'score', unit: 'pts', direction: 'higher', pattern: 'score=(?<value>\\d+)' }] : [],
    thresholds: {},
  };
}

const samples = (rows: Record<string, number>[]): Sample[] =>
  rows.map((values, round) => ({ values, exitCode: 0, round }));

function cell(benchmark: string, runtimeId: string, rows: Record<string, number>[], failed = false): CellMeasurement {
  return {
    benchmark,
    runtime: runtimeId,
    runtimeVersion: runtimeId.split('@')[1] ?? '22.0.0',
    candidate: {
      arm: 'candidate',
      samples: samples(rows),
      warmups: 1,
      ...(failed ? { failure: { kind: 'trap', message: 'unreachable', stdoutHead: '', stderrTail: 'wasm trap' } } : {}),
    },
    schedule: 'single',
    elapsedMs: 100,
  };
}

/** The bytes the document stores for the artifact `entry` was measured on. */
function storedBytes(doc: BaselineDoc, entry: BaselineEntry): Uint8Array {
  const stored = doc.artifacts[entry.artifactSha256];
  assert.ok(stored, `no artifact ${entry.artifactSha256} for ${entry.benchmark} on ${entry.runtime}`);
  return new Uint8Array(Buffer.from(stored.base64, 'base64'));
}

const fibBytes = wasmBytes('fib');
const nbodyBytes = wasmBytes('nbody', 300);
const artifactMap = (fib = fibBytes): Map<string, ArtifactBytes> =>
  new Map([
    ['/ws/wasm/fib.wasm', { sha256: sha256(fib), bytes: fib, rel: 'wasm/fib.wasm' }],
    ['/ws/wasm/nbody.wasm', { sha256: sha256(nbodyBytes), bytes: nbodyBytes, rel: 'wasm/nbody.wasm' }],
  ]);

const benchmarks = [
  spec('fib', '/ws/wasm/fib.wasm', ['wasmtime@30.0.0', 'node'], ['30']),
  spec('fib-big', '/ws/wasm/fib.wasm', ['wasmtime@30.0.0'], ['35']),
  spec('nbody', '/ws/wasm/nbody.wasm', ['wasmtime@30.0.0']),
];

const metricInfo: BuildBaselineInput['metricInfo'] = (id, b) => {
  const program = b.programMetrics.find((p) => p.name === id);
  if (program) return { unit: program.unit, direction: program.direction };
  return id === 'peak-rss' ? { unit: 'bytes', direction: 'lower' } : { unit: 'ms', direction: 'lower' };
};

const machine = { cpuModel: 'Test CPU', cores: 2, os: 'linux', arch: 'x64', memory: 8 * 2 ** 30 };

function input(measurements: CellMeasurement[], extra: Partial<BuildBaselineInput> = {}): BuildBaselineInput {
  return {
    measurements,
    benchmarks,
    artifacts: artifactMap(),
    machine,
    now: new Date('2025-03-04T05:06:07Z'),
    metricInfo,
    ...extra,
  };
}

const fullRun = () => [
  cell('fib', 'wasmtime@30.0.0', [
    { wall: 12, 'peak-rss': 1000 },
    { wall: 10, 'peak-rss': 1100 },
    { wall: 14, 'peak-rss': 900 },
    { wall: 11, 'peak-rss': 1000 },
  ]),
  cell('fib', 'node', [{ wall: 30 }, { wall: 31 }, { wall: 29 }]),
  cell('fib-big', 'wasmtime@30.0.0', [{ wall: 100 }]),
  cell('nbody', 'wasmtime@30.0.0', [
    { wall: 50, score: 7 },
    { wall: 52, score: 9 },
    { wall: Number.NaN, score: 8 },
  ]),
];

test('summaries match direct computations; samples kept in order', () => {
  const doc = buildBaseline(input(fullRun(), { commit: 'abc', ref: 'refs/heads/main', runId: '77' }));
  const fib = doc.entries.find((e) => e.benchmark === 'fib' && e.runtime === 'wasmtime')!;
  const wall = fib.metrics['wall']!;
  const xs = [12, 10, 14, 11];
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  const sd = Math.sqrt(xs.reduce((a, x) => a + (x - mean) ** 2, 0) / (xs.length - 1));
  assert.deepEqual(wall.samples, xs);
  assert.equal(wall.n, 4);
  assert.equal(wall.median, 11.5); // even n: mean of the middle two
  assert.equal(wall.mean, mean);
  assert.ok(Math.abs(wall.stddev - sd) < 1e-12);
  assert.equal(wall.min, 10);
  assert.equal(wall.max, 14);
  assert.deepEqual([wall.unit, wall.direction], ['ms', 'lower']);
  assert.equal(fib.metrics['peak-rss']!.median, 1000);
  assert.equal(fib.metrics['peak-rss']!.unit, 'bytes');
  assert.equal(fib.runtimeVersion, '30.0.0');
  assert.deepEqual(fib.args, ['30']);
  assert.deepEqual(
    [doc.commit, doc.ref, doc.runId, doc.createdAt],
    ['abc', 'refs/heads/main', '77', '2025-03-04T05:06:07.000Z'],
  );

  const single = doc.entries.find((e) => e.benchmark === 'fib-big')!.metrics['wall']!;
  assert.deepEqual([single.n, single.median, single.stddev], [1, 100, 0]);

  const nbody = doc.entries.find((e) => e.benchmark === 'nbody')!;
  assert.deepEqual(nbody.metrics['wall']!.samples, [50, 52], 'a non-finite value is not a sample');
  assert.deepEqual(nbody.metrics['score'], {
    unit: 'pts',
    direction: 'higher',
    n: 3,
    median: 8,
    mean: 8,
    stddev: 1,
    min: 7,
    max: 9,
    samples: [7, 9, 8],
  });
});

test('one entry per benchmark × runtime, runtime without its version, sorted', () => {
  const doc = buildBaseline(input(fullRun()));
  assert.deepEqual(
    doc.entries.map((e) => `${e.benchmark}/${e.runtime}`),
    ['fib/node', 'fib/wasmtime', 'fib-big/wasmtime', 'nbody/wasmtime'],
  );
  assert.equal(runtimeKey('wasmtime:winch@48.0.0'), 'wasmtime:winch');
  assert.equal(runtimeKey('node'), 'node');
});

test('entries are keyed by the runtime id in the config: two versions of one runtime stay two entries', () => {
  // Listed at two versions, the config stage gives them the ids node@20.0.0 and node@22.0.0 (runtimes/spec.ts).
  const ids = ['node@20.0.0', 'node@22.0.0'];
  const two = [
    { ...spec('fib', '/ws/wasm/fib.wasm', [], ['30']), runtimes: ids.map((id) => ({ name: 'node', flags: [], id })) },
  ];
  const measured = (key: string) => ({ ...cell('fib', key, [{ wall: 10 }, { wall: 11 }]), runtimeKey: key });
  const doc = buildBaseline({ ...input([measured('node@20.0.0'), measured('node@22.0.0')]), benchmarks: two });
  assert.deepEqual(
    doc.entries.map((e) => `${e.runtime} ${e.runtimeVersion}`),
    ['node@20.0.0 20.0.0', 'node@22.0.0 22.0.0'],
  );
});

test('artifacts are stored once per sha256 and round-trip through base64 and disk', () => {
  const doc = buildBaseline(input(fullRun()));
  assert.deepEqual(Object.keys(doc.artifacts).sort(), [sha256(fibBytes), sha256(nbodyBytes)].sort());
  for (const e of doc.entries) {
    const expected = e.benchmark === 'nbody' ? nbodyBytes : fibBytes;
    assert.deepEqual(storedBytes(doc, e), expected);
  }
  const dir = mkdtempSync(join(tmpdir(), 'wpg-artifacts-'));
  try {
    const written = writeBaselineArtifacts(doc, dir);
    assert.equal(written.size, 2);
    const fibPath = written.get(sha256(fibBytes))!;
    assert.equal(fibPath, join(dir, sha256(fibBytes), 'fib.wasm'));
    assert.deepEqual(new Uint8Array(readFileSync(fibPath)), fibBytes);
    assert.deepEqual(new Uint8Array(readFileSync(written.get(sha256(nbodyBytes))!)), nbodyBytes);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a stored path never makes an artifact escape its folder', () => {
  const doc = buildBaseline(input(fullRun()));
  const sha = sha256(fibBytes);
  doc.artifacts[sha]!.path = '..';
  const dir = mkdtempSync(join(tmpdir(), 'wpg-artifacts-'));
  try {
    assert.equal(writeBaselineArtifacts(doc, dir).get(sha), join(dir, sha, 'artifact.wasm'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the built document is a valid baseline', () => {
  const doc = buildBaseline(input(fullRun()));
  assert.deepEqual(parseBaseline(JSON.stringify(doc)).doc, doc);
});

test('a failed or unmeasured cell keeps the previous entry and its artifact; nothing is lost', () => {
  const previous = buildBaseline(input(fullRun(), { runId: 'old' }));
  const newFib = wasmBytes('fib v2');
  const run = [
    cell('fib', 'wasmtime@31.0.0', [{ wall: 99 }], true), // trapped this time
    cell('fib', 'node', [{ wall: 40 }]),
    // fib-big not measured at all; nbody measured fine
    cell('nbody', 'wasmtime@31.0.0', [{ wall: 60 }]),
  ];
  const doc = buildBaseline(input(run, { previous, artifacts: artifactMap(newFib) }));
  const prevFib = previous.entries.find((e) => e.benchmark === 'fib' && e.runtime === 'wasmtime')!;
  assert.deepEqual(
    doc.entries.find((e) => e.benchmark === 'fib' && e.runtime === 'wasmtime'),
    prevFib,
  );
  assert.deepEqual(
    doc.entries.find((e) => e.benchmark === 'fib-big'),
    previous.entries.find((e) => e.benchmark === 'fib-big'),
  );
  assert.equal(doc.entries.find((e) => e.benchmark === 'fib' && e.runtime === 'node')!.metrics['wall']!.median, 40);
  assert.equal(doc.entries.find((e) => e.benchmark === 'nbody')!.runtimeVersion, '31.0.0');
  // the kept entries' old bytes travel along with the new candidate's
  assert.deepEqual(storedBytes(doc, prevFib), fibBytes);
  assert.deepEqual(
    storedBytes(
      doc,
      doc.entries.find((e) => e.runtime === 'node')!,
    ),
    newFib,
  );
  assert.equal(parseBaseline(JSON.stringify(doc)).problem, undefined);
});

test('a failed cell with no previous entry is simply absent; cells no longer planned are dropped', () => {
  const previous = buildBaseline(input(fullRun()));
  const onlyFib = [spec('fib', '/ws/wasm/fib.wasm', ['node'], ['30'])];
  const doc = buildBaseline(input([cell('fib', 'node', [{ wall: 1 }], true)], { benchmarks: onlyFib }));
  assert.deepEqual(doc.entries, []);
  assert.deepEqual(doc.artifacts, {});
  const kept = buildBaseline(input([], { benchmarks: onlyFib, previous }));
  assert.deepEqual(
    kept.entries.map((e) => `${e.benchmark}/${e.runtime}`),
    ['fib/node'],
  );
  assert.deepEqual(Object.keys(kept.artifacts), [sha256(fibBytes)]);
});

test('a measurement the plan does not know is a wiring error, said plainly', () => {
  assert.throws(() => buildBaseline(input([cell('ghost', 'node', [{ wall: 1 }])])), /unknown benchmark "ghost"/);
  assert.throws(
    () => buildBaseline(input(fullRun(), { artifacts: new Map() })),
    /no bytes for artifact \/ws\/wasm\/fib\.wasm/,
  );
});

test('for any samples: median, mean within [min, max], n = samples, and the doc parses', () => {
  fc.assert(
    fc.property(fc.array(fc.double({ min: 0, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 50 }), (xs) => {
      const doc = buildBaseline(
        input([
          cell(
            'fib',
            'node',
            xs.map((wall) => ({ wall })),
          ),
        ]),
      );
      const m = doc.entries[0]!.metrics['wall']!;
      assert.equal(m.n, xs.length);
      assert.deepEqual(m.samples, xs);
      assert.equal(m.min, Math.min(...xs));
      assert.equal(m.max, Math.max(...xs));
      assert.ok(m.min <= m.median && m.median <= m.max);
      assert.ok(m.min - 1e-9 <= m.mean && m.mean <= m.max + 1e-9);
      assert.equal(parseBaseline(JSON.stringify(doc)).problem, undefined);
    }),
    { numRuns: 100 },
  );
});

test('with cache: both, a failed [cold] cell keeps its previous entry while [warm] is refreshed', () => {
  const split = [spec('fib', '/ws/wasm/fib.wasm', ['wasmtime@30.0.0'], ['30'])];
  const previous = buildBaseline(
    input(
      [cell('fib', 'wasmtime [cold]@30.0.0', [{ wall: 90 }]), cell('fib', 'wasmtime [warm]@30.0.0', [{ wall: 10 }])],
      { benchmarks: split },
    ),
  );
  const doc = buildBaseline(
    input(
      [
        cell('fib', 'wasmtime [cold]@30.0.0', [{ wall: 1 }], true),
        cell('fib', 'wasmtime [warm]@30.0.0', [{ wall: 12 }]),
      ],
      { benchmarks: split, previous },
    ),
  );
  assert.deepEqual(
    doc.entries.map((e) => `${e.runtime}=${e.metrics['wall']!.median}`),
    ['wasmtime [cold]=90', 'wasmtime [warm]=12'],
  );
});
