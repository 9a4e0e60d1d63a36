// The summary's AOT and compiled-code cache sections, from measurements as measuring-loop.ts records them.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import type { CellMeasurement } from '../src/model/measurement.js';
import { aotTable } from '../src/report/aot-table.js';
import { cacheTable } from '../src/report/cache-table.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { makeReport, makeSamples } from './helpers/report-fixtures.js';

const cell = (runtime: string, wall: number, extra: Partial<CellMeasurement> = {}): CellMeasurement => ({
  benchmark: 'score',
  runtime,
  runtimeVersion: runtime.split('@')[1] ?? 'unversioned',
  candidate: { arm: 'candidate', samples: makeSamples(wall, 5, wall), warmups: 1 },
  schedule: 'single',
  elapsedMs: 10,
  ...extra,
});

describe('AOT section', () => {
  test('compile median and output size per arm; absent without AOT cells', () => {
    const report = makeReport();
    assert.equal(aotTable(report), '');
    report.measurements.push(
      cell('wasmtime@48.0.0', 20, {
        aot: {
          compileMs: [150, 170, 160],
          sizeBytes: 2 * 1024 * 1024,
          baseline: { compileMs: [140, 150, 145], sizeBytes: 1024 * 1024 },
        },
      }),
    );
    const md = aotTable(report);
    assert.match(md, /^### Ahead-of-time compilation/);
    assert.match(
      md,
      /\| <code>score<\/code> \| <code>wasmtime@48\.0\.0<\/code> \| 160 ms \(3×\) \| 2(\.0+)? MiB \| 145 ms \(3×\) \| 1(\.0+)? MiB \|/,
    );
    assert.ok(renderSummary(report).includes('### Ahead-of-time compilation'));
  });
});

describe('compiled-code cache section', () => {
  test('pairs [cold]/[warm] cells into one row with the speed-up; says plainly when there is no cache', () => {
    const report = makeReport();
    report.measurements.push(
      cell('wazero [cold]@1.9.0', 400, { cache: { requested: 'both', mode: 'cold', how: 'fresh-dir' } }),
      cell('wazero [warm]@1.9.0', 100, { cache: { requested: 'both', mode: 'warm', how: 'primed-dir' } }),
      cell('node@20.20.2', 50, { cache: { requested: 'both', mode: 'none', how: 'none' } }),
    );
    const md = cacheTable(report);
    const rows = md.split('\n').filter((l) => l.startsWith('| <code>'));
    assert.equal(rows.length, 2);
    assert.match(
      rows[0]!,
      /<code>wazero@1\.9\.0<\/code> \| \d+(\.\d+)? ms \| \d+(\.\d+)? ms \| [3-5]\.\d\d× \| cold: a fresh empty cache directory before every run; warm: one cache directory, primed by a warm-up run \|/,
    );
    assert.match(
      rows[1]!,
      /<code>node@20\.20\.2<\/code> \| – \| – \| – \| no compiled-code cache: node compiles the module from its bytes in every process/,
    );
  });

  test('not shown for the default warm runs', () => {
    const report = makeReport();
    report.measurements.push(cell('node@20.20.2', 50, { cache: { requested: 'warm', mode: 'none', how: 'none' } }));
    assert.equal(cacheTable(report), '');
  });
});
