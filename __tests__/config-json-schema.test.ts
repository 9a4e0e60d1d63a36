// The committed JSON Schema (for editors) accepts every example config and rejects the mistakes the action rejects.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { parse } from 'yaml';
import { parseConfigFile } from '../src/config/config-file.js';

const schemaPath = resolve('schema/config.schema.json');
const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
const HEADER = /^# yaml-language-server: \$schema=(\S+)\n/;

/** A workflow, a job or a list of steps (docs show fragments such as `- uses: …`): not a config file. */
const isWorkflow = (doc: unknown): boolean =>
  Array.isArray(doc)
    ? doc.length > 0 && doc.every((s) => typeof s === 'object' && s !== null && ('uses' in s || 'run' in s))
    : typeof doc === 'object' && doc !== null && ('jobs' in doc || 'steps' in doc);
const errors = () => ajv.errorsText(validate.errors);

function exampleYamlFiles(): string[] {
  return readdirSync('examples', { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join('examples', f));
}

/** The README and the reference pages under docs/ (the config examples moved there). */
const DOCS = [
  'README.md',
  ...readdirSync('docs')
    .filter((f) => f.endsWith('.md'))
    .map((f) => join('docs', f)),
];

function readmeYamlBlocks(): string[] {
  const text = DOCS.map((f) => readFileSync(f, 'utf8')).join('\n');
  const blocks = [...text.matchAll(/^( *)```yaml\n([\s\S]*?)^\1```$/gm)];
  return blocks.map(([, indent, body]) => body!.replace(new RegExp(`^${indent}`, 'gm'), ''));
}

test('every example config names the committed schema on its first line and is valid against it', () => {
  const configs = exampleYamlFiles().filter((f) => !isWorkflow(parse(readFileSync(f, 'utf8'))));
  assert.ok(configs.length >= 1, 'examples/ holds at least one config file');
  for (const file of configs) {
    const text = readFileSync(file, 'utf8');
    const ref = HEADER.exec(text)?.[1];
    assert.ok(ref, `${file} starts with # yaml-language-server: $schema=…`);
    assert.equal(resolve(dirname(file), ref), schemaPath, `${file}: $schema points at schema/config.schema.json`);
    assert.ok(validate(parse(text)), `${file}: ${errors()}`);
    assert.doesNotThrow(() => parseConfigFile(text, file), `${file} is accepted by the action too`);
  }
});

test('every config block in the README and docs/*.md names the schema and is valid against it', () => {
  const configs = readmeYamlBlocks().filter((b) => !isWorkflow(parse(b)));
  assert.ok(configs.length >= 2, `the README and docs/ show config blocks (found ${configs.length})`);
  for (const block of configs) {
    assert.match(block, /^# yaml-language-server: \$schema=https:\/\/\S+\/schema\/config\.schema\.json\n/);
    assert.ok(validate(parse(block)), `README block starting ${JSON.stringify(block.slice(0, 120))}: ${errors()}`);
    assert.doesNotThrow(() => parseConfigFile(block, 'README'));
  }
});

const bad: [string, string, RegExp][] = [
  ['threshold: five', 'threshold: five\n', /threshold/],
  ['a misspelt top-level key', 'treshold: 5%\n', /additional/],
  ['a misspelt benchmark key', 'benchmarks: [{ artifact: a.wasm, arg: [1] }]\n', /additional/],
  ['runtimes as a string', 'runtimes: node\n', /runtimes/],
  ['an unknown engine', 'measure: { engine: fast }\n', /engine/],
  ['a benchmark without artifact', 'benchmarks: [{ name: x }]\n', /artifact/],
];
for (const [what, text, why] of bad) {
  test(`the schema rejects ${what}, as the action does`, () => {
    assert.equal(validate(parse(text)), false, `schema accepted: ${text}`);
    assert.match(errors(), why);
    assert.throws(() => parseConfigFile(text, 'bad.yml'), /config/);
  });
}
