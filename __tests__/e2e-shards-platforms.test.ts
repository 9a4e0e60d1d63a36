// A platform matrix through dist/index.js: shard processes claiming two runners (RUNNER_OS / RUNNER_ARCH)
// refresh the baseline, and the report job saves one baseline per platform under that platform's cache key
// (not its own). Then each platform's shard restores its own baseline, and the merged report groups by platform.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { startShardWorld, type ShardWorld } from './helpers/shard-world.js';

const NAMES = ['alpha', 'bravo'];
const RUNNERS = [
  { RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64', label: 'linux-x64' },
  { RUNNER_OS: 'macOS', RUNNER_ARCH: 'ARM64', label: 'darwin-arm64' },
];

interface Verdict {
  benchmark: string;
  runtime: string;
  platform?: string;
  kind: string;
}

describe('shards on two platforms', () => {
  let world: ShardWorld;
  before(async () => (world = await startShardWorld(NAMES, 'platforms-ws-')));
  after(() => world.close());
  const job: ShardWorld['job'] = (...a) => world.job(...a);
  const platformShards = async (runId: string, event: 'push' | 'pull_request') => {
    for (const { label, ...runner } of RUNNERS) {
      const r = await job(runId, `job-${label}`, event, { artifacts: 'build/*.wasm', shard: '1/1' }, runner);
      assert.equal(r.code, 0, `${label}: ${r.stdout}${r.stderr}`);
    }
  };

  test('a refresh saves one baseline per platform under that platform’s key', async () => {
    await platformShards('401', 'push');
    assert.deepEqual(
      world.store.artifacts.filter((a) => a.runId === '401').map((a) => a.name),
      RUNNERS.map((p) => `wasm-perf-gate-partial-wasm-perf-gate-baseline-${p.label}-1-of-1.json`),
      'the platform keeps the shards of a platform matrix apart',
    );
    // The report job runs on a Linux x64 runner; the arm64 Mac's baseline must still go under darwin-arm64.
    const r = await job('401', 'job-report', 'push', { mode: 'report' }, { RUNNER_OS: 'Linux', RUNNER_ARCH: 'X64' });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved', r.stdout);
    assert.deepEqual(
      world.cache
        .entries()
        .map((e) => e.key)
        .sort(),
      ['wasm-perf-gate-baseline-darwin-arm64-401-1', 'wasm-perf-gate-baseline-linux-x64-401-1'],
    );
    assert.match(r.summary, /darwin-arm64/);
  });

  test('each platform compares with its own baseline; the report groups the cells by platform', async () => {
    await platformShards('402', 'pull_request');
    for (const { label } of RUNNERS) {
      const a = world.store.artifacts.find((x) => x.runId === '402' && x.name.includes(label))!;
      const p = JSON.parse(a.bytes!.toString('utf8')) as { baseline?: { source: { location: string } } };
      assert.equal(p.baseline?.source.location, `wasm-perf-gate-baseline-${label}-401-1`);
    }
    const r = await job('402', 'job-report', 'pull_request', { mode: 'report' });
    const json = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as { verdicts: Verdict[] };
    const cells = json.verdicts.map((v) => `${v.platform} ${v.benchmark} on ${v.runtime}: ${v.kind}`).sort();
    assert.deepEqual(
      cells.map((c) => c.replace(/@[^:]*: .*/, '')),
      RUNNERS.flatMap(({ label }) => NAMES.map((n) => `${label} build/${n} on node (${label})`)).sort(),
      r.stdout,
    );
    assert.ok(
      json.verdicts.every((v) => v.kind !== 'no-baseline' && v.kind !== 'failed'),
      `every cell has its platform's baseline:\n${cells.join('\n')}`,
    );
    const body = world.gh.comments.at(-1)!.body;
    for (const { label } of RUNNERS) {
      assert.match(body, new RegExp(`\\| <code>${label}</code> \\| 2 \\|`), `a row for ${label} in:\n${body}`);
      assert.match(r.summary, new RegExp(`\\| <code>${label}</code> \\| 2 \\|`));
    }
  });
});
