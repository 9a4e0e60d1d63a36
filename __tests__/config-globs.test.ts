// The list inputs are globbed as one pattern set through the real @actions/glob: `!pattern` removes files.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readInputs, type RawInputs } from '../src/config/inputs.js';
import { loadPlan } from '../src/config/load-plan.js';

const WASM = 'examples/wasm/add-one.wasm';

describe('artifacts and baseline-artifacts globs', () => {
  let ws: string;
  before(() => {
    ws = mkdtempSync(join(tmpdir(), 'wpg-globs-'));
    for (const f of ['build/a.wasm', 'build/skip.wasm', 'build/deep/b.wasm', 'base/a.wasm', 'base/skip.wasm']) {
      mkdirSync(join(ws, f, '..'), { recursive: true });
      copyFileSync(WASM, join(ws, f));
    }
  });
  after(() => rmSync(ws, { recursive: true, force: true }));

  const plan = (given: Partial<RawInputs>) =>
    loadPlan(
      readInputs((name) => given[name]),
      { workspace: ws, mode: 'compare', defaultJsonPath: join(ws, 'r.json') },
    );
  const ids = async (given: Partial<RawInputs>) => (await plan(given)).benchmarks.map((b) => b.id).sort();

  test('a negation on its own line removes the file the other pattern matched', async () => {
    assert.deepEqual(await ids({ artifacts: 'build/**/*.wasm\n!build/skip.wasm' }), ['build/a', 'build/deep/b']);
  });

  test('comma-separated negations work the same, and a negated folder removes its files', async () => {
    assert.deepEqual(await ids({ artifacts: 'build/**/*.wasm, !build/skip.wasm, !build/deep/**' }), ['build/a']);
  });

  test('without the negation every file is measured (the negation is what removes it)', async () => {
    assert.deepEqual(await ids({ artifacts: 'build/**/*.wasm' }), ['build/a', 'build/deep/b', 'build/skip']);
  });

  test('baseline-artifacts honours negations too', async () => {
    const p = await plan({ artifacts: 'build/*.wasm', 'baseline-artifacts': 'base/*.wasm\n!base/skip.wasm' });
    assert.deepEqual(p.baseline.artifacts, [join(ws, 'base/a.wasm')]);
  });

  test('only negations match nothing: the usual input error', async () => {
    await assert.rejects(plan({ artifacts: '!build/skip.wasm' }), /artifacts: no \.wasm files matched/);
  });
});
