import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { loadBaselineFile, saveBaselineFile } from '../src/baseline/file-store.js';
import { sampleDoc } from './helpers/baseline-fixture.js';

function withDir(fn: (dir: string) => Promise<void>) {
  return async () => {
    const dir = mkdtempSync(join(tmpdir(), 'wpg-file-store-'));
    try {
      await fn(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
}

test(
  'a missing file is a note, not a warning',
  withDir(async (dir) => {
    const path = join(dir, 'baseline.json');
    const r = await loadBaselineFile(path);
    assert.equal(r.doc, undefined);
    assert.equal(r.warning, undefined);
    assert.equal(r.note, `no baseline at ${path} yet: a run in baseline mode creates it`);
    assert.deepEqual(r.source, { kind: 'file', location: path });
  }),
);

test(
  'save creates the directory, load returns the same document',
  withDir(async (dir) => {
    const path = join(dir, 'nested', 'deeper', 'baseline.json');
    const doc = sampleDoc({ runId: '1' });
    await saveBaselineFile(path, doc);
    const r = await loadBaselineFile(path);
    assert.equal(r.warning, undefined);
    assert.deepEqual(r.doc, doc);
  }),
);

test(
  'saving over a baseline replaces it and leaves no temp files',
  withDir(async (dir) => {
    const path = join(dir, 'baseline.json');
    await saveBaselineFile(path, sampleDoc({ runId: '1' }));
    await saveBaselineFile(path, sampleDoc({ runId: '2' }));
    assert.equal((await loadBaselineFile(path)).doc?.runId, '2');
    assert.deepEqual(readdirSync(dir), ['baseline.json']);
  }),
);

test(
  'corrupt or unreadable files are warnings naming the path, never throws',
  withDir(async (dir) => {
    const corrupt = join(dir, 'corrupt.json');
    writeFileSync(corrupt, '{"schema": "wasm-perf-gate/baseline", "version": 1, "entr');
    const r = await loadBaselineFile(corrupt);
    assert.equal(r.doc, undefined);
    assert.match(r.warning ?? '', new RegExp(`^baseline at ${corrupt} is not valid JSON`));

    const newer = join(dir, 'newer.json');
    writeFileSync(newer, JSON.stringify({ ...sampleDoc(), version: 7 }));
    assert.match((await loadBaselineFile(newer)).warning ?? '', /has schema version 7, this action reads 2/);

    const aDir = join(dir, 'a-directory.json');
    mkdirSync(aDir);
    const d = await loadBaselineFile(aDir);
    assert.equal(d.doc, undefined);
    assert.match(d.warning ?? '', /baseline-path: .*a-directory\.json is a directory, not a regular file/);
  }),
);

test(
  'a document that cannot be saved leaves the old baseline byte for byte',
  withDir(async (dir) => {
    const path = join(dir, 'baseline.json');
    await saveBaselineFile(path, sampleDoc({ runId: 'old' }));
    const before = readFileSync(path);

    const invalid = sampleDoc({ runId: 'new' });
    invalid.entries[0]!.metrics['wall']!.median = Number.NaN;
    await assert.rejects(
      saveBaselineFile(path, invalid),
      /refusing to save an invalid baseline to .*entries\[0\]\.metrics\.wall\.median/,
    );

    const circular = sampleDoc({ runId: 'new' }) as ReturnType<typeof sampleDoc> & { self?: unknown };
    circular.self = circular;
    await assert.rejects(
      saveBaselineFile(path, circular),
      /cannot serialize the baseline .*previous baseline is unchanged/,
    );

    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(readdirSync(dir), ['baseline.json']);
  }),
);

const hasPrlimit = spawnSync('prlimit', ['--version']).status === 0;

test(
  'a write that fails part-way (file size limit hit) leaves the old baseline intact',
  { skip: !hasPrlimit && 'needs prlimit' },
  withDir(async (dir) => {
    const path = join(dir, 'baseline.json');
    await saveBaselineFile(path, sampleDoc({ runId: 'old' }));
    const before = readFileSync(path);

    // A child process whose files may not grow past 256 KiB saves a ~2.7 MB document.
    const child = join(dir, 'save-big.mts');
    const url = (p: string) => pathToFileURL(resolve(p)).href;
    writeFileSync(
      child,
      [
        `import { saveBaselineFile } from ${JSON.stringify(url('src/baseline/file-store.ts'))};`,
        `import { sampleDoc } from ${JSON.stringify(url('__tests__/helpers/baseline-fixture.ts'))};`,
        `try { await saveBaselineFile(${JSON.stringify(path)}, sampleDoc({ runId: 'new', artifactSize: 2_000_000 })); console.log('saved'); }`,
        `catch (e) { console.log(e.message); process.exit(3); }`,
      ].join('\n'),
    );
    const r = spawnSync('prlimit', [`--fsize=${256 * 1024}`, process.execPath, '--import', 'tsx', child], {
      encoding: 'utf8',
    });

    assert.equal(r.status, 3, r.stderr);
    assert.match(
      r.stdout,
      /could not save the baseline to .*baseline\.json \(.*EFBIG.*\); the previous baseline is unchanged/,
    );
    assert.deepEqual(readFileSync(path), before);
    assert.deepEqual(readdirSync(dir).sort(), ['baseline.json', 'save-big.mts'], 'the partial temp file is removed');
    assert.equal((await loadBaselineFile(path)).doc?.runId, 'old');
  }),
);
