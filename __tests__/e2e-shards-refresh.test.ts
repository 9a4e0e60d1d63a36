// Baseline refresh with shards, end to end through dist/index.js: 3 shard processes on a push measure their
// cells and upload partial baselines (with the .wasm files); the report job merges them into ONE baseline and
// saves it to the local Actions cache under a fresh key. Then compare-mode shards restore that one baseline
// and take their own cells. A report job whose save fails leaves the previous baseline in place.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { scratchDir } from './helpers/run-action.js';
import { startShardWorld, type ShardWorld } from './helpers/shard-world.js';

const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo', 'foxtrot'];
const SHARDS = 3;

interface Partial {
  shard: { index: number };
  partition: { benchmark: string; runtime: string }[][];
  artifacts: { base64?: string }[];
  baseline?: { source: { location: string }; entries: { benchmark: string }[] };
  base: { from: string };
  measurements: { benchmark: string }[];
}

describe('sharded baseline refresh into one Actions cache entry', () => {
  let world: ShardWorld;
  before(async () => (world = await startShardWorld(NAMES, 'refresh-ws-')));
  after(() => world.close());
  // The report job of a refresh runs in a workspace of its own (it checks nothing out).
  const job: ShardWorld['job'] = (runId, jobId, event, inputs, env) =>
    world.job(
      runId,
      jobId,
      event,
      inputs,
      env,
      event === 'push' && inputs['mode'] === 'report' ? scratchDir('report-ws-') : undefined,
    );
  const shards = async (runId: string, event: 'push' | 'pull_request'): Promise<Partial[]> => {
    for (let k = 1; k <= SHARDS; k++) {
      const r = await job(runId, `job-${k}`, event, { artifacts: 'build/*.wasm', shard: `${k}/${SHARDS}` });
      assert.equal(r.code, 0, `shard ${k}: ${r.stdout}${r.stderr}`);
    }
    return world.store.artifacts
      .filter((a) => a.runId === runId)
      .map((a) => JSON.parse(a.bytes!.toString('utf8')) as Partial)
      .sort((a, b) => a.shard.index - b.shard.index);
  };

  test('3 refresh shards + the report job save one merged baseline; compare shards restore it', async () => {
    const partials = await shards('301', 'push');
    assert.equal(partials.length, SHARDS);
    assert.equal(world.cache.entries().length, 0, 'a shard saves no baseline of its own');
    for (const p of partials)
      assert.ok(
        p.artifacts.every((a) => a.base64),
        'a refresh shard ships its .wasm bytes',
      );

    const r = await job('301', 'job-report', 'push', { mode: 'report' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved', r.stdout);
    assert.deepEqual(
      world.cache.entries().map((e) => [e.key, e.committed]),
      [['wasm-perf-gate-baseline-linux-x64-301-1', true]],
    );

    const compare = await shards('302', 'pull_request');
    const cells = compare[0]!.partition;
    for (const p of compare) {
      const mine = cells[p.shard.index - 1]!.map((c) => c.benchmark).sort();
      assert.deepEqual(
        p.measurements.map((m) => m.benchmark).sort(),
        mine,
        `shard ${p.shard.index} measures its own cells`,
      );
      assert.equal(p.baseline?.source.location, 'wasm-perf-gate-baseline-linux-x64-301-1');
      for (const b of mine)
        assert.ok(
          p.baseline!.entries.some((e) => e.benchmark === b),
          `${b} has a stored entry`,
        );
      assert.equal(p.base.from, 'stored baseline', 'side by side with the merged baseline’s own .wasm files');
    }
    assert.deepEqual(
      cells
        .flat()
        .map((c) => c.benchmark)
        .sort(),
      NAMES.map((n) => `build/${n}`),
    );

    const judged = await job('302', 'job-report', 'pull_request', { mode: 'report' });
    const json = JSON.parse(readFileSync(judged.outputs['report-json']!, 'utf8')) as { verdicts: { kind: string }[] };
    assert.equal(json.verdicts.length, NAMES.length, judged.stdout);
    assert.ok(
      json.verdicts.every((v) => v.kind !== 'no-baseline' && v.kind !== 'failed'),
      `every cell compared: ${json.verdicts.map((v) => v.kind).join(', ')}`,
    );
  });

  test('a report job whose save fails: one warning, the previous baseline stays and is restored', async () => {
    world.cache.failNext('reserve', 500, 3);
    try {
      const r = await job('301', 'job-report', 'push', { mode: 'report' }, { GITHUB_RUN_ATTEMPT: '2' });
      assert.match(r.stdout, /::warning::the baseline was not saved to the Actions cache under .*301-2.*previous/);
      assert.notEqual(r.outputs['verdict'], 'baseline-saved');
    } finally {
      world.cache.failNext('reserve', 500, 0);
    }
    assert.deepEqual(
      world.cache
        .entries()
        .filter((e) => e.committed)
        .map((e) => e.key),
      ['wasm-perf-gate-baseline-linux-x64-301-1'],
    );
    const r = await job('303', 'job-1', 'pull_request', { artifacts: 'build/*.wasm', shard: `1/${SHARDS}` });
    assert.equal(r.code, 0, r.stdout);
    const p = JSON.parse(world.store.artifacts.find((a) => a.runId === '303')!.bytes!.toString('utf8')) as Partial;
    assert.equal(p.baseline?.source.location, 'wasm-perf-gate-baseline-linux-x64-301-1');
  });
});
