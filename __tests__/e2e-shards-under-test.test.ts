// A sharded refresh stores the `under-test` build with the baseline, as an unsharded refresh does (issue 26),
// end to end through dist/index.js with a real wazero: 2 shard processes on a push each carry the build they
// measured in their partial report; the report job merges them and saves ONE baseline to the local Actions cache
// with main's build in it; a later PR restores that build, runs it only once its sha256 matches, and measures
// its own build (another real wazero version) against it.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunReport } from '../src/report/types.js';
import { requireExe, skipUnlessReal } from './helpers/real-runtimes.js';
import { scratchDir } from './helpers/run-action.js';
import { startShardWorld, type ShardWorld } from './helpers/shard-world.js';

const NAMES = ['alpha', 'bravo'];
const FIB = '__tests__/fixtures/measure/fibonacci-x1.wasm';
const sha256 = (file: string) => createHash('sha256').update(readFileSync(file)).digest('hex');

interface Partial {
  shard: { index: number };
  storedRuntimes?: Record<string, { sha256: string; size: number; version: string }>;
}

describe('a sharded refresh stores the under-test build with the baseline', skipUnlessReal('wazero_old'), () => {
  let world: ShardWorld;
  before(async () => {
    world = await startShardWorld(NAMES, 'shard-under-test-ws-');
    for (const n of NAMES) copyFileSync(FIB, join(world.ws, `build/${n}.wasm`));
    writeFileSync(
      join(world.ws, 'perf.yml'),
      'runtimes:\n  - { name: wazero, path: rt/wazero, under-test: true }\nbenchmarks:\n' +
        NAMES.map((n) => `  - { name: ${n}, artifact: build/${n}.wasm, args: [25] }\n`).join(''),
    );
  });
  after(() => world?.close());
  const put = (exe: string) => {
    mkdirSync(join(world.ws, 'rt'), { recursive: true });
    copyFileSync(exe, join(world.ws, 'rt/wazero'));
    chmodSync(join(world.ws, 'rt/wazero'), 0o755);
  };

  test("2 refresh shards + the report job store main's build; a PR's build is measured against it", async (t) => {
    const main = requireExe('wazero');
    put(main);
    for (const k of [1, 2]) {
      const r = await world.job('401', `job-${k}`, 'push', { config: 'perf.yml', shard: `${k}/2` });
      assert.equal(r.code, 0, `shard ${k}: ${r.stdout}${r.stderr}`);
    }
    const partials = world.store.artifacts
      .filter((a) => a.runId === '401')
      .map((a) => JSON.parse(a.bytes!.toString('utf8')) as Partial);
    assert.equal(partials.length, 2);
    for (const p of partials)
      assert.equal(p.storedRuntimes?.['wazero']?.sha256, sha256(main), `shard ${p.shard.index} carries main's build`);

    const report = await world.job('401', 'job-report', 'push', { mode: 'report' }, {}, scratchDir('report-ws-'));
    assert.equal(report.code, 0, report.stdout + report.stderr);
    assert.equal(report.outputs['verdict'], 'baseline-saved', report.stdout);
    assert.equal(world.cache.entries().filter((e) => e.committed).length, 1);

    // the PR builds another runtime (a real older wazero): measured against main's build from the cache
    put(requireExe('wazero_old'));
    const pr = await world.job('402', 'job-1', 'pull_request', { config: 'perf.yml', comment: 'false' });
    assert.ok(pr.outputs['report-json'], pr.stdout + pr.stderr);
    const json = JSON.parse(readFileSync(pr.outputs['report-json'], 'utf8')) as RunReport;
    t.diagnostic(json.verdicts.map((v) => `${v.benchmark} ${v.runtime} ${v.kind} ${v.ratio?.toFixed(3)}`).join('\n'));
    const change = json.runtimeChanges?.[0];
    assert.ok(change, pr.stdout.slice(-3000));
    assert.equal(change.baseline.label, "main's stored build");
    assert.equal(change.baseline.sha256, sha256(main));
    assert.equal(change.candidate.sha256, sha256(requireExe('wazero_old')));
    assert.match(pr.stdout, new RegExp(`main's build restored \\(sha256 ${sha256(main)} checked\\)`));
    assert.ok(
      json.verdicts.every((v) => v.kind !== 'new' && v.kind !== 'failed' && v.method === 'paired'),
      JSON.stringify(json.verdicts.map((v) => [v.benchmark, v.kind, v.method])),
    );
  });
});
