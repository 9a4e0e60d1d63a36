// The runtimes side by side: median wall ÷ the fastest runtime's median per benchmark, a geometric-mean row,
// peak memory where measured; in the summary after the notes, in the comment as one line.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { CellMeasurement } from '../src/model/measurement.js';
import { renderComment } from '../src/report/comment-markdown.js';
import { renderJson } from '../src/report/json-report.js';
import {
  compareRuntimes,
  formatRelative,
  renderRuntimeComparison,
  runtimeComparisonLine,
} from '../src/report/runtime-comparison.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import type { RunReport } from '../src/report/types.js';
import { MALICIOUS, makeReport, names } from './helpers/report-fixtures.js';
import { foreignTags, tablesOf } from './helpers/markdown-check.js';

/** A measured cell whose candidate ran with exactly these wall times (and optional extra values per run). */
function cell(
  benchmark: string,
  runtime: string,
  walls: number[],
  extra: (i: number) => Record<string, number> = () => ({}),
): CellMeasurement {
  return {
    benchmark,
    runtime,
    runtimeVersion: runtime.split('@')[1] ?? '',
    candidate: {
      arm: 'candidate',
      samples: walls.map((wall, round) => ({ values: { wall, ...extra(round) }, exitCode: 0, round })),
      warmups: 0,
    },
    schedule: 'single',
    elapsedMs: 1,
  };
}

function reportOf(measurements: CellMeasurement[]): RunReport {
  return { ...makeReport({ benchmarks: [], runtimes: [] }), measurements };
}

const section = (text: string): string => text.slice(text.indexOf('### Runtimes side by side'));

// fib: node 10, bun 20, deno 15 → 1, 2, 1.5; nbody: node 40, bun 20, deno 20 → 2, 1, 1.
const THREE = [
  cell('fib', 'node@20', [9, 10, 11]),
  cell('fib', 'bun@1.4.5', [20, 19, 21]),
  cell('fib', 'deno@2.9.6', [15, 15, 16]),
  cell('nbody', 'node@20', [40, 41, 39]),
  cell('nbody', 'bun@1.4.5', [20, 20, 20]),
  cell('nbody', 'deno@2.9.6', [20, 22, 18]),
];

test('each runtime is divided by the fastest runtime on the same benchmark; the geometric mean is over the benchmarks', () => {
  const c = compareRuntimes(THREE)!;
  assert.deepEqual(c.runtimes, ['node@20', 'bun@1.4.5', 'deno@2.9.6']);
  assert.deepEqual(
    c.rows.map((r) => r.cells.map((x) => x!.relative)),
    [
      [1, 2, 1.5],
      [2, 1, 1],
    ],
  );
  assert.deepEqual(
    c.rows[0]!.cells.map((x) => x!.wallMs),
    [10, 20, 15],
  );
  assert.equal(c.complete, 2);
  const [node, bun, deno] = c.geometricMean as number[];
  assert.ok(Math.abs(node! - Math.SQRT2) < 1e-12 && Math.abs(bun! - Math.SQRT2) < 1e-12);
  assert.ok(Math.abs(deno! - Math.sqrt(1.5)) < 1e-12);
});

test('the table: one row per benchmark, one column per runtime, fastest in bold, then the geometric mean', () => {
  const text = renderRuntimeComparison(reportOf(THREE));
  const [table] = tablesOf(text);
  assert.deepEqual(
    table!.header.map((h) => h.trim()),
    ['Benchmark', '<code>node@20</code>', '<code>bun@1.4.5</code>', '<code>deno@2.9.6</code>'],
  );
  assert.deepEqual(
    table!.rows.map((r) => r.map((x) => x.trim())),
    [
      ['<code>fib</code>', '**1.00×** (10.0 ms)', '2.00× (20.0 ms)', '1.50× (15.0 ms)'],
      ['<code>nbody</code>', '2.00× (40.0 ms)', '**1.00×** (20.0 ms)', '**1.00×** (20.0 ms)'],
      ['**Geometric mean** (2 benchmarks on every runtime)', '1.41×', '1.41×', '**1.22×**'],
    ],
  );
  assert.doesNotMatch(text, /peak RSS/, 'no memory wording without memory samples');
});

test('peak RSS medians ride along in each cell where they were measured', () => {
  const mib = 1024 * 1024;
  const rss = (base: number) => (i: number) => ({ 'peak-rss': (base + i) * mib });
  const text = renderRuntimeComparison(
    reportOf([cell('fib', 'node@20', [10, 10, 10], rss(40)), cell('fib', 'wasmtime@48.0.0', [5, 5, 5])]),
  );
  const [table] = tablesOf(text);
  assert.deepEqual(
    table!.rows[0]!.map((x) => x.trim()),
    ['<code>fib</code>', '2.00× (10.0 ms, 41.0 MiB)', '**1.00×** (5.00 ms)'],
  );
  assert.match(text, /the median peak RSS/);
});

test('a runtime that failed a benchmark shows – there, and the mean covers only the benchmarks every runtime completed', () => {
  const failed: CellMeasurement = {
    ...cell('nbody', 'bun@1.4.5', []),
    candidate: {
      arm: 'candidate',
      samples: [],
      warmups: 0,
      failure: { kind: 'trap', message: 'unreachable', stdoutHead: '', stderrTail: '' },
    },
  };
  const measurements = [...THREE.filter((m) => !(m.benchmark === 'nbody' && m.runtime === 'bun@1.4.5')), failed];
  const c = compareRuntimes(measurements)!;
  assert.equal(c.complete, 1);
  assert.deepEqual(c.geometricMean, [1, 2, 1.5], 'fib alone');
  const [table] = tablesOf(renderRuntimeComparison(reportOf(measurements)));
  assert.equal(table!.rows[1]![2]!.trim(), '–');
  assert.match(table!.rows[2]![0]!, /1 benchmark on every runtime/);
});

test('fewer than two runtimes with samples: no section, no comment line', () => {
  const one = reportOf([cell('fib', 'node@20', [10]), cell('nbody', 'node@20', [20])]);
  assert.equal(compareRuntimes(one.measurements), undefined);
  assert.equal(renderRuntimeComparison(one), '');
  assert.equal(runtimeComparisonLine(one), '');
  assert.ok(!renderSummary(one).includes('Runtimes side by side'));
});

test('ratios print with three significant figures and never as Infinity', () => {
  assert.deepEqual([1, 1.234, 12.34, 123.4, Number.POSITIVE_INFINITY].map(formatRelative), [
    '1.00×',
    '1.23×',
    '12.3×',
    '123×',
    'n/a',
  ]);
});

test('untrusted runtime ids and benchmark names are escaped; the table keeps its shape', () => {
  const text = renderRuntimeComparison(
    reportOf([cell(MALICIOUS, `custom-${MALICIOUS}`, [3]), cell(MALICIOUS, 'node@20', [4])]),
  );
  assert.deepEqual(foreignTags(text), []);
  const [table] = tablesOf(text);
  assert.equal(table!.header.length, 3);
  assert.ok(table!.rows.every((r) => r.length === 3));
});

test('nothing in the table is missing from the JSON report: rendering from the parsed JSON gives the same text', () => {
  const report = makeReport({
    benchmarks: ['fib', 'sha', MALICIOUS],
    runtimes: ['wasmtime@48.0.0', 'node@20.20.2', 'bun@1.4.5'],
    samples: 7,
  });
  const text = renderRuntimeComparison(report);
  assert.ok(text.length > 0);
  assert.equal(renderRuntimeComparison(JSON.parse(renderJson(report)) as RunReport), text);
  // and each figure is the median of the samples the JSON carries
  const parsed = JSON.parse(renderJson(report)) as RunReport;
  const walls = parsed.measurements
    .filter((m) => m.benchmark === 'fib')
    .map((m) => m.candidate.samples.map((s) => s.values['wall']!).sort((a, b) => a - b)[3]!);
  const fastest = Math.min(...walls);
  const [table] = tablesOf(text);
  assert.deepEqual(
    table!.rows[0]!.slice(1).map((x) => x.trim().replace(/\*\*/g, '').split(' ')[0]),
    walls.map((w) => formatRelative(w / fastest)),
  );
});

test('in the summary: after the notes, before the machine; dropped with a note when the summary is over budget', () => {
  const report = makeReport({
    benchmarks: names('bench', 400),
    runtimes: ['wasmtime@48.0.0', 'node@20.20.2'],
    kindOf: (_b, _r, i) => (i % 50 === 0 ? 'regressed' : 'unchanged'),
  });
  const roomy = renderSummary(report, { maxBytes: 10 * 1024 * 1024 });
  const at = roomy.indexOf('### Runtimes side by side');
  assert.ok(at > roomy.indexOf('### Results') && at < roomy.indexOf('### Machine and runtimes'));
  assert.equal(tablesOf(section(roomy))[0]!.rows.length, 401, '400 benchmarks and the geometric mean');

  const tight = renderSummary(report, { maxBytes: 12_000 });
  assert.ok(!tight.includes('### Runtimes side by side'));
  assert.match(tight, /runtime comparison and phase tables were left out .* JSON report/);
  assert.ok(tight.includes('### Reproduce locally'));
});

test('the PR comment carries one line of geometric means', () => {
  const report = reportOf(THREE);
  const comment = renderComment(report, { marker: '<!-- wasm-perf-gate:t -->' });
  assert.ok(
    comment.includes(
      'Runtimes side by side (geometric mean of median wall time ÷ fastest, 2 benchmarks): <code>node@20</code> 1.41× · <code>bun@1.4.5</code> 1.41× · <code>deno@2.9.6</code> 1.22×',
    ),
  );
});
