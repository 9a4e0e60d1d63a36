// scripts/layers.mjs (run by `npm run cycles` in CI): an import back up the layers fails it, naming the edge.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';

const check = (dir?: string) =>
  spawnSync(process.execPath, ['scripts/layers.mjs', ...(dir ? [dir] : [])], { encoding: 'utf8' });

test('an import from model/ up to config/ fails the check and names the file and the fix', () => {
  const r = check('__tests__/fixtures/layers');
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stderr, /1 import\(s\) run back up/);
  assert.match(r.stderr, /model\/sample\.ts imports .*config\/plan\.ts: model\/ may not import config\//);
  assert.match(r.stderr, /src\/model\//);
  // report/ -> model/ runs down: not reported.
  assert.doesNotMatch(r.stderr, /report\/line\.ts/);
});

test('src/ itself has no import back up the layers', () => {
  const r = check();
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /every import runs down the layers/);
});
