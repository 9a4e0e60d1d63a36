import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { parseBaseline, baselineDocProblem } from '../src/baseline/schema.js';
import { migrate } from '../src/baseline/migrate.js';
import { sampleDoc } from './helpers/baseline-fixture.js';

const text = (x: unknown) => JSON.stringify(x);

test('a valid document round-trips', () => {
  const doc = sampleDoc({ runId: '7' });
  const r = parseBaseline(text(doc), 'baseline at b.json');
  assert.equal(r.problem, undefined);
  assert.deepEqual(r.doc, doc);
});

test('corrupt JSON is a problem naming the baseline and what to do', () => {
  const r = parseBaseline('{"schema": "wasm-perf-gate/baseline", ', 'baseline at /tmp/b.json');
  assert.equal(r.doc, undefined);
  assert.match(r.problem ?? '', /^baseline at \/tmp\/b\.json is not valid JSON \(.+\): refresh the baseline/);
});

test('something that is not our baseline is named as such', () => {
  for (const other of [[], 3, null, 'str', { schema: 'other/thing', version: 1 }, { version: 1 }]) {
    const r = parseBaseline(text(other), 'B');
    assert.match(r.problem ?? '', /^B is not a wasm-perf-gate baseline/, `for ${text(other)}`);
  }
});

test('a newer schema version says which, which one we read, and what to do', () => {
  const r = parseBaseline(text({ ...sampleDoc(), version: 7 }), 'baseline at X');
  assert.equal(r.doc, undefined);
  assert.equal(
    r.problem,
    'baseline at X has schema version 7, this action reads 2: refresh the baseline (run the workflow on the default branch) or upgrade wasm-perf-gate',
  );
});

test('a version with no migration, or not an integer, is a problem', () => {
  assert.match(
    parseBaseline(text({ ...sampleDoc(), version: 0 })).problem ?? '',
    /schema version 0, which this action cannot read \(no migration from baseline version 0 to 1\)/,
  );
  assert.match(parseBaseline(text({ ...sampleDoc(), version: '1' })).problem ?? '', /no integer schema version/);
  assert.match(parseBaseline(text({ ...sampleDoc(), version: 1.5 })).problem ?? '', /no integer schema version/);
});

test('shape errors name the field', () => {
  const doc = sampleDoc() as any;
  doc.entries[0].metrics.wall.median = 'fast';
  const r = parseBaseline(text(doc), 'B');
  assert.match(r.problem ?? '', /^B is malformed — entries\[0\]\.metrics\.wall\.median: .*number/);
  const noMachine = { ...sampleDoc() } as any;
  delete noMachine.machine;
  assert.match(parseBaseline(text(noMachine), 'B').problem ?? '', /machine:/);
});

test('inconsistent documents are caught: missing artifact, bad bytes, n ≠ samples, duplicate cell', () => {
  const missing = sampleDoc() as any;
  missing.artifacts = {};
  assert.match(
    parseBaseline(text(missing)).problem ?? '',
    /entries\[0\]\.artifactSha256: no artifact with this sha256/,
  );

  const tampered = sampleDoc() as any;
  const sha = Object.keys(tampered.artifacts)[0] as string;
  tampered.artifacts[sha].base64 = Buffer.from('not the same bytes').toString('base64');
  assert.match(parseBaseline(text(tampered)).problem ?? '', /artifact bytes hash to [0-9a-f]{64}, not to their key/);

  const notBase64 = sampleDoc() as any;
  notBase64.artifacts[sha].base64 = '!!!';
  assert.match(parseBaseline(text(notBase64)).problem ?? '', /not valid base64/);

  const wrongN = sampleDoc() as any;
  wrongN.entries[0].metrics.wall.n = 5;
  assert.match(parseBaseline(text(wrongN)).problem ?? '', /n is 5 but there are 3 samples/);

  const dup = sampleDoc() as any;
  dup.entries.push(dup.entries[0]);
  assert.match(parseBaseline(text(dup)).problem ?? '', /duplicate entry for fib on wasmtime/);
});

test('migrate lifts one version at a time through the table, and stops at a gap', () => {
  const steps = {
    1: (d: Record<string, unknown>) => ({ ...d, renamed: d['old'], old: undefined }),
    2: (d: Record<string, unknown>) => ({ ...d, trail: [...((d['trail'] as string[]) ?? []), 'v2→v3'] }),
  };
  const out = migrate({ version: 1, old: 'x' }, 1, 3, steps);
  assert.deepEqual(out, { version: 3, renamed: 'x', old: undefined, trail: ['v2→v3'] });
  assert.throws(() => migrate({ version: 1 }, 1, 4, steps), /no migration from baseline version 3 to 4/);
  // parseBaseline runs the same table: a v2 document read by a (hypothetical) v3 reader with no v2→v3 step
  assert.match(parseBaseline(text(sampleDoc()), 'B', {}, 3).problem ?? '', /no migration from baseline version 2 to 3/);
});

test('parseBaseline never throws, whatever the text', () => {
  fc.assert(
    fc.property(
      fc.oneof(
        fc.string(),
        fc.json(),
        fc.jsonValue().map((v) => JSON.stringify({ schema: 'wasm-perf-gate/baseline', version: 1, v })),
      ),
      (s) => {
        const r = parseBaseline(s);
        assert.ok((r.doc === undefined) !== (r.problem === undefined));
      },
    ),
    { numRuns: 300 },
  );
});

test('baselineDocProblem rejects what JSON could not carry back', () => {
  const doc = sampleDoc();
  assert.equal(baselineDocProblem(doc), undefined);
  const nan = sampleDoc();
  nan.entries[0]!.metrics['wall']!.mean = NaN;
  assert.match(baselineDocProblem(nan) ?? '', /entries\[0\]\.metrics\.wall\.mean/);
});
