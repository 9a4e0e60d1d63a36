// A sharded refresh stores the `under-test` builds with the baseline, as an unsharded one does: each refresh
// shard's partial report carries the builds it measured (and survives parsing), the merge keeps a build only when
// its bytes hash to its sha256 and size, names shards that measured different builds, and ignores builds in a
// compare run's reports. Pure: no processes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import type { StoredRuntime } from '../src/baseline/types.js';
import type { MeasuredRun } from '../src/pipeline/run-gate.js';
import { buildPartial, parsePartial } from '../src/shard/partial-report.js';
import { mergePartials } from '../src/shard/merge.js';
import type { PartialReport } from '../src/shard/partial-schema.js';
import { mergeStoredRuntimes } from '../src/shard/stored-runtimes.js';
import { emptyPartial, MACHINE } from './helpers/report-fixtures.js';

const stored = (text: string, extra: Partial<StoredRuntime> = {}): StoredRuntime => {
  const bytes = Buffer.from(text);
  return {
    name: 'wazero',
    version: '1.12.0',
    sha256: createHash('sha256').update(bytes).digest('hex'),
    size: bytes.length,
    base64: bytes.toString('base64'),
    ...extra,
  };
};

const partial = (index: number, extra: Partial<PartialReport> = {}): PartialReport =>
  emptyPartial(index, 2, 'wazero', { mode: 'baseline', ...extra });
const { partition } = partial(1);

const run = (storedRuntimes?: Record<string, StoredRuntime>): MeasuredRun => ({
  startedAt: 1,
  warnings: [],
  runtimes: [],
  artifacts: new Map(),
  loaded: { source: { kind: 'file', location: 'none' } },
  base: { sha256: {}, from: 'none' },
  measurements: [],
  ...(storedRuntimes ? { storedRuntimes } : {}),
  machine: MACHINE,
});

describe('a sharded refresh carries its under-test builds', () => {
  test("a refresh shard's partial report has them and they survive parsing; a compare shard's has none", () => {
    const build = stored('#!/bin/sh\necho main build\n');
    const input = {
      shard: { index: 1, count: 2 },
      partition,
      benchmarks: [],
      claims: {},
      tool: '0.1.0',
      run: run({ wazero: build }),
    };
    const refresh = buildPartial({ ...input, mode: 'baseline' });
    const parsed = parsePartial(Buffer.from(JSON.stringify(refresh)), 'artifact p.json');
    assert.equal(parsed.problem, undefined);
    assert.deepEqual(parsed.report!.storedRuntimes, { wazero: build });
    assert.equal(buildPartial({ ...input, mode: 'compare' }).storedRuntimes, undefined);
  });

  test("the report job's merged run stores them with the baseline, as an unsharded refresh does", () => {
    const build = stored('#!/bin/sh\necho main build\n');
    const merged = mergePartials([partial(1, { storedRuntimes: { wazero: build } }), partial(2)]);
    assert.deepEqual(merged.run.storedRuntimes, { wazero: build });
    assert.equal(mergePartials([partial(1), partial(2)]).run.storedRuntimes, undefined);
  });

  test('bytes that do not hash to the sha256 (or size) they claim are left out, with a warning naming the shard', () => {
    const good = stored('main build');
    const forged = { ...stored('evil build'), sha256: good.sha256, size: good.size };
    const m = mergeStoredRuntimes([partial(1, { storedRuntimes: { wazero: forged } })]);
    assert.equal(m.runtimes, undefined);
    assert.match(m.warnings[0]!, /^shard 1\/2: the build of wazero .* was left out: its bytes hash to [0-9a-f]{64}/);
    const shortened = { ...good, size: good.size + 1 };
    assert.equal(mergeStoredRuntimes([partial(1, { storedRuntimes: { wazero: shortened } })]).runtimes, undefined);
    // the next shard's good build is stored instead
    const next = mergeStoredRuntimes([
      partial(2, { storedRuntimes: { wazero: good } }),
      partial(1, { storedRuntimes: { wazero: forged } }),
    ]);
    assert.deepEqual(next.runtimes, { wazero: good });
  });

  test("shards that measured different builds: the lowest shard's is stored, and a warning says so", () => {
    const one = stored('build one');
    const two = stored('build two');
    const m = mergeStoredRuntimes([
      partial(2, { storedRuntimes: { wazero: two } }),
      partial(1, { storedRuntimes: { wazero: one } }),
    ]);
    assert.deepEqual(m.runtimes, { wazero: one });
    assert.match(m.warnings[0]!, /shard 2\/2 measured another build of wazero .* shard 1's is stored/);
    assert.deepEqual(
      mergeStoredRuntimes([
        partial(1, { storedRuntimes: { wazero: one } }),
        partial(2, { storedRuntimes: { wazero: one } }),
      ]).warnings,
      [],
    );
  });

  test("a compare run's report never supplies a build to store", () => {
    const m = mergeStoredRuntimes([partial(1, { mode: 'compare', storedRuntimes: { wazero: stored('x') } })]);
    assert.equal(m.runtimes, undefined);
  });
});
