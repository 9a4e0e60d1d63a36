// `measure.cache`: cold (an empty compiled-code cache before every run), warm (one cache primed by an
// unmeasured run), both (two cells). A fake `wazero` (node script) compiles for 300 ms unless its
// -cachedir holds the module; node has no compiled-code cache at all.
import { test, describe, before, beforeEach, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { cellKey, runtimeKey } from '../src/baseline/build.js';
import { InputError } from '../src/model/input-error.js';
import { cacheRuntime, cacheSetting, temperatures } from '../src/measure/code-cache.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { exampleWasm } from './helpers/measure-env.js';
import { bench, jobsOf, measure, median, metricsFixture, plan, runtime, values } from './fixtures/metrics/setup.js';

describe('cache settings (pure)', () => {
  const wasmtimeLike = { onByDefault: true, canDisable: true, canRelocate: false };
  const wazeroLike = { onByDefault: false, canDisable: true, canRelocate: true };
  const noCache = { onByDefault: false, canDisable: true, canRelocate: false };

  test('cold: a fresh dir where the cache can move, else switched off; warm: a primed dir or the default cache', () => {
    assert.equal(cacheSetting('cold', 'cold', wazeroLike).how, 'fresh-dir');
    assert.equal(cacheSetting('cold', 'cold', wasmtimeLike).how, 'off');
    assert.equal(cacheSetting('warm', 'warm', wazeroLike).how, 'primed-dir');
    assert.equal(cacheSetting('warm', 'warm', wasmtimeLike).how, 'default');
    assert.deepEqual(temperatures('both', wazeroLike), ['cold', 'warm']);
    assert.deepEqual(temperatures('both', noCache), ['none']);
  });

  test('a `both` cell id carries [cold]/[warm] before @version, so baseline keys differ and stay stable', async () => {
    const node = await runtime('node');
    const cold = cacheRuntime(
      { ...node, id: 'wazero@1.9.0', version: '1.9.0', ref: { ...node.ref, id: 'wazero' } },
      'cold',
    );
    assert.equal(cold.id, 'wazero [cold]@1.9.0');
    assert.equal(cold.ref.id, 'wazero [cold]');
    const warm = cacheRuntime(
      { ...node, id: 'wazero@1.9.0', version: '1.9.0', ref: { ...node.ref, id: 'wazero' } },
      'warm',
    );
    assert.notEqual(cellKey('b', cold.ref.id), cellKey('b', warm.ref.id));
    // Cells are keyed by the config's id, never the resolved version: an upgrade keeps the key.
    assert.equal(runtimeKey(cold.id), cold.ref.id, 'a runtime upgrade keeps the key');
    assert.equal(runtimeKey('wazero [cold]@1.10.0'), cold.ref.id);
  });
});

describe('cold and warm runs of a fake caching runtime', () => {
  let wazero: ResolvedRuntime;
  let node: ResolvedRuntime;
  let dir: string;
  const previousTmp = process.env['TMPDIR'];
  const log = () => readFileSync(join(dir, 'fake-runtime.log'), 'utf8').trim().split('\n');
  const cacheBench = (rt: ResolvedRuntime | ResolvedRuntime[]) =>
    bench('score', exampleWasm('score'), rt, { args: ['7'] });

  before(async () => {
    wazero = await runtime(`wazero@${metricsFixture('fake-wazero.mjs')}`);
    node = await runtime('node');
    dir = mkdtempSync(join(tmpdir(), 'metrics-cache-'));
    process.env['TMPDIR'] = dir; // the fake logs to $TMPDIR/fake-runtime.log
  });
  beforeEach(() => writeFileSync(join(dir, 'fake-runtime.log'), ''));
  after(() => {
    if (previousTmp === undefined) delete process.env['TMPDIR'];
    else process.env['TMPDIR'] = previousTmp;
    rmSync(dir, { recursive: true, force: true });
  });

  test('both: two cells; cold compiles on every run, warm never after its priming run, and is faster', async () => {
    const cells = await measure(plan([cacheBench(wazero)], { cache: 'both', warmup: 0, minRuns: 3, maxRuns: 3 }), [
      wazero,
    ]);
    assert.deepEqual(
      cells.map((c) => c.runtime),
      ['wazero [cold]@1.9.0', 'wazero [warm]@1.9.0'],
    );
    const [cold, warm] = cells as [(typeof cells)[0], (typeof cells)[0]];
    assert.deepEqual([cold.cache?.mode, cold.cache?.how], ['cold', 'fresh-dir']);
    assert.deepEqual([warm.cache?.mode, warm.cache?.how], ['warm', 'primed-dir']);
    assert.equal(warm.candidate.warmups, 1, 'warm needs one unmeasured priming run even with warmup: 0');

    const lines = log();
    assert.deepEqual(
      lines.map((l) => l.split(' ').slice(0, 2).join(' ')),
      [
        'run compiled',
        'run compiled',
        'run compiled', // cold: a fresh empty cache each time
        'run compiled', // warm: the priming run fills the cache
        'run cached',
        'run cached',
        'run cached',
      ],
    );
    // Load only adds time: every cold run holds the fake's 300 ms compile; no ratio bound that a busy CI breaks.
    assert.ok(
      values(cold, 'wall').every((ms) => ms >= 300),
      `cold runs include the compile: ${values(cold, 'wall').join(', ')}`,
    );
    const speedUp = median(values(cold, 'wall')) / median(values(warm, 'wall'));
    assert.ok(speedUp > 1, `cold/warm = ${speedUp.toFixed(2)}`);
  });

  test('cold alone keeps the runtime id; node has no compiled-code cache and stays one cell', async () => {
    const p = plan([cacheBench([wazero, node])], { cache: 'cold', minRuns: 2, maxRuns: 2 });
    const jobs = jobsOf(p, [wazero, node]);
    assert.deepEqual(
      jobs.map((j) => `${j.runtime.id.split('@')[0]}:${j.cache?.mode}`),
      ['wazero:cold', 'node:none'],
    );
    const both = jobsOf(plan([cacheBench([wazero, node])], { cache: 'both' }), [wazero, node]);
    assert.deepEqual(
      both.map((j) => j.runtime.ref.id),
      ['wazero [cold]', 'wazero [warm]', 'node'],
    );
  });

  test('cold runs need the builtin engine (hyperfine cannot empty the cache between runs)', () => {
    const p = plan([cacheBench(wazero)], { cache: 'cold', engine: 'hyperfine' });
    assert.throws(
      () => jobsOf(p, [wazero]),
      (e: unknown) => e instanceof InputError && /empty cache directory before every run/.test(e.message),
    );
  });
});
