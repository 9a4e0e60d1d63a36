// dist/ is what GitHub runs: it must be exactly what `npm run bundle` makes from src/ today.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { parse } from 'yaml';
import { actionYml } from '../scripts/action-yml.js';
import { OUTPUTS } from '../src/report/outputs.js';
import { configJsonSchema } from '../scripts/config-schema.js';
import { regeneratePage, SECTION_PAGES } from '../scripts/readme-tables.js';

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath ?? e.path, e.name)))
    .sort();
}

/**
 * dist/ as git would commit it (the index: HEAD plus what is staged), file → content. scripts/test.mjs
 * rebuilds the working dist/ before the tests, so the working copy alone would always look current.
 * Outside a git checkout (an unpacked tarball) the working dist/ is all there is.
 */
function committedDist(): Map<string, Buffer> {
  const git = (...args: string[]) =>
    execFileSync('git', args, { maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'ignore'] });
  let listed: string[];
  try {
    listed = git('ls-files', '-z', '--', 'dist').toString('utf8').split('\0').filter(Boolean);
  } catch {
    return new Map(files('dist').map((f) => [f, readFileSync(join('dist', f))]));
  }
  return new Map(listed.map((p) => [relative('dist', p), git('show', `:${p}`)]));
}

test('the committed dist/ is current with src/ (run `npm run bundle` and commit dist/)', () => {
  const fresh = mkdtempSync(join(tmpdir(), 'wpg-dist-'));
  execFileSync(process.execPath, ['scripts/bundle.mjs', fresh]);
  const committed = committedDist();
  assert.deepEqual(
    [...committed.keys()].sort(),
    files(fresh),
    'the committed dist/ has other files than a fresh bundle',
  );
  for (const f of files(fresh)) {
    assert.ok(
      committed.get(f)!.equals(readFileSync(join(fresh, f))),
      `dist/${f} as committed is stale: run \`npm run bundle\` and commit dist/`,
    );
  }
});

test('action.yml is generated from the input table (npx tsx scripts/action-yml.ts > action.yml)', () => {
  assert.equal(readFileSync('action.yml', 'utf8'), actionYml);
  const doc = parse(actionYml);
  assert.equal(doc.runs.using, 'node24');
  assert.equal(doc.runs.main, 'dist/index.js');
  for (const [name, input] of Object.entries<{ description: string }>(doc.inputs))
    assert.ok(input.description.length > 10, `input ${name} has a description`);
  assert.deepEqual(
    Object.keys(doc.outputs),
    OUTPUTS.map((o) => o.name),
    'action.yml declares every output of the table',
  );
  for (const [name, output] of Object.entries<{ description: string }>(doc.outputs))
    assert.ok(output.description.length > 10, `output ${name} has a description`);
});

test('the docs tables are what the code says (npx tsx scripts/readme-tables.ts --write)', () => {
  for (const path of Object.keys(SECTION_PAGES)) {
    const page = readFileSync(path, 'utf8');
    assert.equal(page, regeneratePage(path, page), `${path} is stale`);
  }
  const inputs = readFileSync('docs/configuration.md', 'utf8');
  for (const name of Object.keys(parse(actionYml).inputs))
    assert.ok(inputs.includes(`| \`${name}\` |`), `docs/configuration.md inputs table lacks ${name}`);
  for (const name of Object.keys(parse(actionYml).outputs))
    assert.ok(inputs.includes(`| \`${name}\` |`), `docs/configuration.md outputs table lacks ${name}`);
});

test('schema/config.schema.json is generated from the zod config schema (npm run generate)', () => {
  assert.equal(readFileSync('schema/config.schema.json', 'utf8'), configJsonSchema);
});
