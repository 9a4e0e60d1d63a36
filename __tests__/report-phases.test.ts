// Where the time goes: per runtime, the launcher's compile / instantiate / execute medians, their per-run
// total, the whole wall time and peak RSS — only where phase samples exist.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CellMeasurement } from '../src/model/measurement.js';
import { renderJson } from '../src/report/json-report.js';
import { phaseRows, renderPhaseTables } from '../src/report/phase-table.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { describe as runtimeDescriptor, runtimeNames } from '../src/runtimes/registry.js';
import type { RunReport } from '../src/report/types.js';
import { MALICIOUS, makeReport } from './helpers/report-fixtures.js';
import { foreignTags, tablesOf } from './helpers/markdown-check.js';

type Values = Record<string, number>;

function cell(benchmark: string, runtime: string, runs: Values[]): CellMeasurement {
  return {
    benchmark,
    runtime,
    runtimeVersion: '',
    candidate: { arm: 'candidate', samples: runs.map((values, round) => ({ values, exitCode: 0, round })), warmups: 0 },
    schedule: 'single',
    elapsedMs: 1,
  };
}

function reportOf(measurements: CellMeasurement[]): RunReport {
  return { ...makeReport({ benchmarks: [], runtimes: [] }), measurements };
}

const MIB = 1024 * 1024;
// Medians: compile 2, instantiate 1, execute 10 (they add up to 13), but the per-run sums are 12, 12, 34
// (median 12): the phases total must be the latter.
const NODE_FIB: Values[] = [
  { wall: 50, compile: 10, instantiate: 1, execute: 1, 'peak-rss': 40 * MIB },
  { wall: 40, compile: 1, instantiate: 1, execute: 10, 'peak-rss': 42 * MIB },
  { wall: 45, compile: 2, instantiate: 2, execute: 30, 'peak-rss': 41 * MIB },
];

test('one table per runtime with phase medians, the median of per-run phase totals, wall and peak RSS', () => {
  const report = reportOf([
    cell('fib', 'node@20', NODE_FIB),
    cell('fib', 'bun@1.4.5', [{ wall: 30, compile: 3, instantiate: 1, execute: 20 }]),
  ]);
  const text = renderPhaseTables(report);
  assert.ok(text.startsWith('### Phases and memory\n'));
  const tables = tablesOf(text);
  assert.equal(tables.length, 2);
  assert.deepEqual(
    tables[0]!.header.map((h) => h.trim()),
    ['Benchmark', 'Compile', 'Instantiate', 'Execute', 'Phases total', 'Wall', 'Peak RSS'],
  );
  // per-run totals 12, 12, 34 → 12; the medians 2 + 1 + 10 would say 13
  assert.deepEqual(
    tables[0]!.rows[0]!.map((c) => c.trim()),
    ['<code>fib</code>', '2.00 ms', '1.00 ms', '10.0 ms', '12.0 ms', '45.0 ms', '41.0 MiB'],
  );
  assert.deepEqual(
    tables[1]!.rows[0]!.map((c) => c.trim()),
    ['<code>fib</code>', '3.00 ms', '1.00 ms', '20.0 ms', '24.0 ms', '30.0 ms', '–'],
  );
  assert.ok(text.indexOf('#### <code>node@20</code>') < text.indexOf('#### <code>bun@1.4.5</code>'));
});

test('a run without a phase (load failure) leaves that phase to the other runs and out of the totals', () => {
  const rows = phaseRows([
    cell('fib', 'deno@2.9.6', [
      { wall: 5, compile: 1, instantiate: 1 },
      { wall: 9, compile: 3, instantiate: 1, execute: 4 },
    ]),
  ]).get('deno@2.9.6')!;
  assert.deepEqual(rows[0]!.phases, { compile: 2, instantiate: 1, execute: 4 });
  assert.equal(rows[0]!.total, 8, 'only the complete run counts');
  const text = renderPhaseTables(reportOf([cell('fib', 'deno@2.9.6', [{ wall: 5, compile: 1, instantiate: 1 }])]));
  assert.deepEqual(
    tablesOf(text)[0]!
      .rows[0]!.map((c) => c.trim())
      .slice(1, 5),
    ['1.00 ms', '1.00 ms', '–', '–'],
  );
});

test('no phase samples (wall only, or a runtime outside the launcher): no section, no empty table', () => {
  const wallOnly = makeReport({ runtimes: ['wasmtime@48.0.0', 'node@20.20.2'] });
  for (const m of wallOnly.measurements) for (const s of m.candidate.samples) delete s.values['peak-rss'];
  assert.equal(renderPhaseTables(wallOnly), '');
  assert.ok(!renderSummary(wallOnly).includes('### Phases'));

  const mixed = reportOf([cell('fib', 'wasmtime@48.0.0', [{ wall: 4 }]), cell('fib', 'node@20', NODE_FIB)]);
  const text = renderPhaseTables(mixed);
  assert.equal(tablesOf(text).length, 1);
  assert.ok(!text.includes('wasmtime'));
});

test('every runtime outside the launcher says why it has no phases; a region module shows the section', () => {
  const native = runtimeNames().filter((n) => !['node', 'bun', 'deno'].includes(n));
  assert.ok(native.includes('wasmtime') && native.includes('custom'));
  // A kernel measured only on runtimes outside the launcher: region and wall, no phases, still a section.
  const idOf = (n: string) => (n === 'custom' ? 'w2c2' : `${n}@1.0.0`);
  const text = renderPhaseTables(reportOf(native.map((n) => cell('add-one', idOf(n), [{ wall: 9, region: 0.3 }]))));
  for (const n of native) {
    const why = runtimeDescriptor(n)?.phasesUnavailable;
    assert.ok(why !== undefined && why.length > 20, `${n} says why it has no phases`);
    const line = `Compile, instantiate and execute are not available on <code>${idOf(n)}</code> because ${why}.`;
    assert.ok(text.includes(line), `${line}\n${text}`);
  }
  assert.match(
    text,
    /not available on <code>wasmtime@1\.0\.0<\/code> because `wasmtime run` compiles, instantiates and runs the module in one process/,
  );
  // Beside node, which times them: node's row has the phases and no such line; a [cold] cell finds its runtime.
  const mixed = renderPhaseTables(
    reportOf([
      cell('add-one', 'node@20', [{ wall: 40, compile: 1, instantiate: 0.5, execute: 0.6, region: 0.4 }]),
      cell('add-one', 'wasmtime:winch@1.0.0 [cold]', [{ wall: 9, region: 0.3, 'peak-rss': MIB }]),
    ]),
  );
  assert.doesNotMatch(mixed, /not available on <code>node/);
  assert.match(mixed, /not available on <code>wasmtime:winch@1\.0\.0 \\\[cold\\\]<\/code> because `wasmtime run`/);
  assert.deepEqual(
    tablesOf(mixed)[1]!.rows[0]!.map((c) => c.trim()),
    ['<code>add-one</code>', '–', '–', '–', '–', '300 µs', '9.00 ms', '1.00 MiB'],
  );
});

test('the memory column appears only when some cell measured peak RSS', () => {
  const text = renderPhaseTables(
    reportOf([cell('fib', 'node@20', [{ wall: 9, compile: 1, instantiate: 1, execute: 5 }])]),
  );
  assert.ok(!tablesOf(text)[0]!.header.some((h) => h.includes('Peak RSS')));
  assert.doesNotMatch(text, /peak resident memory/);
});

test('untrusted names are escaped and the tables keep their shape', () => {
  const text = renderPhaseTables(reportOf([cell(MALICIOUS, `custom-${MALICIOUS}`, NODE_FIB)]));
  assert.deepEqual(foreignTags(text), []);
  const [table] = tablesOf(text);
  assert.ok(table!.rows.every((r) => r.length === table!.header.length));
});

test('nothing in the tables is missing from the JSON report: rendering from the parsed JSON gives the same text', () => {
  const report = reportOf([
    cell('fib', 'node@20', NODE_FIB),
    cell(
      'nbody',
      'node@20',
      NODE_FIB.map((v) => ({ ...v, execute: v['execute']! * 7 })),
    ),
  ]);
  const text = renderPhaseTables(report);
  assert.ok(text.length > 0);
  assert.equal(renderPhaseTables(JSON.parse(renderJson(report)) as RunReport), text);
});

test('in the summary after the runtime comparison, before the machine section', () => {
  const report = reportOf([cell('fib', 'node@20', NODE_FIB), cell('fib', 'bun@1.4.5', NODE_FIB)]);
  const summary = renderSummary(report);
  const comparison = summary.indexOf('### Runtimes side by side');
  const phases = summary.indexOf('### Phases and memory');
  assert.ok(comparison > 0 && phases > comparison && phases < summary.indexOf('### Machine and runtimes'));
});
