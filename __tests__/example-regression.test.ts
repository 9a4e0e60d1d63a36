// `npm run example:regression` is the red path a new user runs: it must fail (exit 1) naming the regressed benchmark.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { test } from 'node:test';

const script: string = JSON.parse(readFileSync('package.json', 'utf8')).scripts['example:regression'];

test('npm run example:regression exits 1 and names fibonacci as regressed (through dist/cli.js)', () => {
  const [node, cli, ...args] = script.split(' ');
  assert.equal(node, 'node');
  assert.equal(cli, 'dist/cli.js');
  const json = join(mkdtempSync(join(tmpdir(), 'wpg-red-')), 'report.json');
  const r = spawnSync(process.execPath, [resolve(cli!), ...args, '--json', json], {
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' },
    encoding: 'utf8',
  });
  const out = `${r.stdout}\n${r.stderr}`;
  const verdictLine = out.split('\n').find((l) => l.startsWith('fibonacci')) ?? '(no fibonacci row)';
  const why = `exit ${r.status}; fibonacci: ${verdictLine}\n${out.slice(-1500)}`;
  assert.equal(r.status, 1, why);
  assert.match(verdictLine, /regressed/, why);
  // examples/baseline.json predates history (a version-1 document): the clear regression is `likely-regressed`.
  assert.match(out, /fibonacci on node\S* \(wall\) (likely-)?regressed \+\d/, why);
  // add-one and nbody are in the baseline but not in regression.yml: missing, under the same runtime label.
  const rows = out.split('\n').filter((l) => /^(fibonacci|add-one|nbody) {2}/.test(l));
  assert.equal(new Set(rows.map((l) => l.split(/\s+/)[1])).size, 1, why);
  assert.match(out, /× 1 runtime\b/, why);
  assert.match(readFileSync(json, 'utf8'), /"fibonacci"/, why);
});
