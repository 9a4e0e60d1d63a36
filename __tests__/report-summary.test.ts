import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderSummary, SUMMARY_MAX_BYTES } from '../src/report/summary-markdown.js';
import { escapeMarkdown } from '../src/report/escape.js';
import { formatChange, formatValue } from '../src/model/format.js';
import { makeReport, names } from './helpers/report-fixtures.js';
import { tablesOf } from './helpers/markdown-check.js';

const at = (text: string, needle: string): number => {
  const i = text.indexOf(needle);
  assert.notEqual(i, -1, `missing: ${needle}`);
  return i;
};

/** A report where the regression and the failure sit in the LAST benchmarks of the input. */
function mixedReport() {
  const report = makeReport({
    benchmarks: ['alpha', 'beta', 'gamma', 'delta'],
    kindOf: (b, r) =>
      b === 'delta' && r.startsWith('wasmtime')
        ? 'regressed'
        : b === 'gamma' && r.startsWith('node')
          ? 'failed'
          : b === 'beta'
            ? 'inconclusive'
            : 'unchanged',
  });
  // a second, worse regression in gamma: worst must come first
  const gammaWasmtime = report.verdicts.find((v) => v.benchmark === 'gamma' && v.runtime.startsWith('wasmtime'))!;
  Object.assign(gammaWasmtime, { kind: 'regressed', ratio: 1.5, interval: [1.4, 1.6], candidateMedian: 150 });
  report.headline = 'failed';
  return report;
}

test('regressions come first (worst first), then failures, then per-benchmark results', () => {
  const summary = renderSummary(mixedReport());
  const regressions = at(summary, '### 🔴 Regressions');
  const failures = at(summary, '### ❌ Failures');
  const results = at(summary, '### Results');
  assert.ok(regressions < failures && failures < results, 'section order');
  assert.ok(at(summary, '## ❌ wasm-perf-gate') < regressions, 'headline on top');

  const [regressionTable] = tablesOf(summary.slice(regressions));
  assert.deepEqual(
    regressionTable!.rows.map((r) => r[0]!.trim()),
    ['<code>gamma</code>', '<code>delta</code>'],
    'worst regression first',
  );
  // benchmarks with the most actionable verdict lead the results; all-unchanged alpha comes last
  const order = ['gamma', 'delta', 'beta', 'alpha'].map((b) => at(summary.slice(results), `#### <code>${b}</code>`));
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
  );
});

test('each benchmark table shows medians, the change with its interval, the verdict and the runs', () => {
  const report = mixedReport();
  const summary = renderSummary(report);
  const results = summary.slice(at(summary, '### Results'), at(summary, '### Notes'));
  const tables = tablesOf(results);
  assert.equal(tables.length, 4, 'one table per benchmark');
  assert.deepEqual(
    tables[0]!.header.map((h) => h.trim()),
    ['Runtime', 'Baseline', 'PR', 'Change [CI]', 'Verdict', 'Runs', 'Noise floor'],
  );
  const regression = report.verdicts.find((v) => v.benchmark === 'delta' && v.kind === 'regressed')!;
  const row = tables[1]!.rows.find((r) => r[0]!.includes(escapeMarkdown(regression.runtime)))!;
  assert.deepEqual(
    row.map((c) => c.trim()),
    [
      `<code>${escapeMarkdown(regression.runtime)}</code>`,
      formatValue(regression.baselineMedian, 'ms'),
      formatValue(regression.candidateMedian, 'ms'),
      escapeMarkdown(formatChange(regression.ratio, regression.interval)),
      '🔴 regressed',
      '30 / 30',
      '±2.1%',
    ],
  );
  assert.match(summary, /\+12\.4% \\\[\+8\.1%, \+16\.9%\\\]/);
});

test('the summary names the machine, runtime versions, baseline origin and the reproduce command', () => {
  const report = mixedReport();
  report.warnings.push('the Actions cache was unavailable: HTTP 503');
  const summary = renderSummary(report);
  assert.ok(summary.includes('AMD EPYC 7763 64-Core Processor'));
  assert.ok(
    summary.includes('| <code>node@20.20.2</code> | 20.20.2 | <code>/opt/hostedtoolcache/node/bin/node</code> |'),
  );
  assert.ok(summary.includes('- Commit: <code>0123456</code>'));
  assert.ok(summary.includes('- Created: 2026-01-02T03:04:05.000Z'));
  assert.ok(summary.includes('- Source: actions cache wasm-perf-gate-baseline-Linux-X64-9876'));
  assert.ok(summary.includes('measured side by side with the PR'));
  assert.ok(summary.includes('- ⚠️ the Actions cache was unavailable: HTTP 503'));
  assert.ok(summary.includes(`### Reproduce locally\n\n\`\`\`sh\n${report.reproduce}\n\`\`\``));
  // the failure's program output is there, collapsed
  assert.ok(summary.includes('<pre>Error: failed to run main module\n  0: wasm trap: integer divide by zero</pre>'));
});

test('notes: another CPU, runtime version caveats and an underpowered noise floor are spelled out', () => {
  const report = mixedReport();
  report.baseline!.machine = { ...report.baseline!.machine, cpuModel: 'AMD EPYC 9V74 80-Core Processor' };
  for (const v of report.verdicts.filter((x) => x.runtime.startsWith('wasmtime')))
    v.notes.push('baseline ran wasmtime 47.0.0');
  const summary = renderSummary(report);
  const notes = summary.slice(at(summary, '### Notes'), at(summary, '### Machine'));
  assert.match(notes, /another CPU \(<code>AMD EPYC 9V74 80-Core Processor<\/code>; this run: <code>AMD EPYC 7763/);
  assert.match(
    notes,
    /baseline ran wasmtime 47\.0\.0 — <code>alpha<\/code> on <code>wasmtime@48\.0\.0<\/code>, .*<code>delta<\/code>/,
  );
  // beta is inconclusive with minDetectable 8.3% > 5% threshold on both runtimes
  assert.match(
    notes,
    /Noise floor above the threshold.*<code>beta<\/code> on <code>wasmtime@48\.0\.0<\/code>, <code>beta<\/code> on <code>node@20\.20\.2<\/code>/,
  );
  assert.doesNotMatch(notes, /Session spread above the threshold/);
  // a history verdict whose interval is the runner's session spread is listed apart: more runs would not help
  for (const v of report.verdicts.filter((x) => x.benchmark === 'beta' && x.runtime.startsWith('node')))
    Object.assign(v, { method: 'history', spreadBound: true });
  const apart = renderSummary(report);
  const spreadNotes = apart.slice(at(apart, '### Notes'), at(apart, '### Machine'));
  assert.match(
    spreadNotes,
    /Noise floor above the threshold.*<code>beta<\/code> on <code>wasmtime@48\.0\.0<\/code>\. More runs/,
  );
  assert.match(
    spreadNotes,
    /Session spread above the threshold.*<code>beta<\/code> on <code>node@20\.20\.2<\/code>\. More runs do not help/,
  );
  // the machine table shows both sides
  assert.ok(
    summary.includes(
      '| CPU | <code>AMD EPYC 7763 64-Core Processor</code> | <code>AMD EPYC 9V74 80-Core Processor</code> |',
    ),
  );
});

test('no baseline: every cell is new and the summary says how to get one', () => {
  const report = makeReport({ baseline: null, kindOf: () => 'new' });
  assert.equal(report.headline, 'no-baseline');
  const summary = renderSummary(report);
  assert.ok(summary.startsWith('## 🆕 wasm-perf-gate: no baseline to compare against yet'));
  assert.ok(summary.includes('No baseline was found'));
  assert.ok(!summary.includes('### 🔴 Regressions'));
  assert.ok(summary.includes('🆕 new'));
});

test('baseline mode: says where the baseline went and lists the saved medians', () => {
  const report = makeReport({ mode: 'baseline', benchmarks: ['fib'], runtimes: ['wasmtime@48.0.0'], samples: 3 });
  const summary = renderSummary(report);
  assert.ok(summary.startsWith('## 💾 wasm-perf-gate: baseline saved'));
  assert.ok(
    summary.includes('saved the baseline to the Actions cache as <code>wasm-perf-gate-baseline-Linux-X64-1111</code>'),
  );
  const [saved] = tablesOf(summary.slice(at(summary, '### Saved baseline')));
  const walls = report.measurements[0]!.candidate.samples.map((s) => s.values['wall']!).sort((a, b) => a - b);
  const wallRow = saved!.rows.find((r) => r[2]!.trim() === 'wall')!;
  assert.equal(wallRow[3]!.trim(), formatValue(walls[1], 'ms'));
  assert.equal(wallRow[4]!.trim(), '3');
  assert.ok(saved!.rows.some((r) => r[2]!.trim() === 'peak-rss' && r[3]!.includes('MiB')));
  assert.ok(!summary.includes('### Baseline\n'), 'no "compared against" section in baseline mode');

  const { saved: _saved, ...unsaved } = report;
  assert.match(
    renderSummary({ ...unsaved, warnings: ['cache save failed'] }),
    /Measured 1 benchmark × 1 runtime — \*\*nothing was saved\*\*/,
  );
});

test('1,000 benchmarks × 3 runtimes stay under the 1 MiB summary cap', () => {
  const runtimes = ['wasmtime@48.0.0', 'wasmer:singlepass@6.1.0', 'node@20.20.2'];
  const report = makeReport({
    benchmarks: names('suite/a-fairly-long-directory-name/benchmark', 1000),
    runtimes,
    kindOf: (_b, _r, i) => (i % 97 === 0 ? 'regressed' : i % 31 === 0 ? 'inconclusive' : 'unchanged'),
  });
  const summary = renderSummary(report);
  assert.ok(Buffer.byteLength(summary) <= SUMMARY_MAX_BYTES);
  assert.ok(summary.includes('### Reproduce locally'));
});

test('over budget: unchanged rows go first, then rows are cut, regressions and the tail survive', () => {
  const report = makeReport({
    benchmarks: names('bench', 400),
    kindOf: (_b, _r, i) => (i % 50 === 0 ? 'regressed' : 'unchanged'),
  });
  const maxBytes = 12_000;
  const summary = renderSummary(report, { maxBytes });
  assert.ok(Buffer.byteLength(summary) <= maxBytes);
  const regressed = report.verdicts.filter((v) => v.kind === 'regressed');
  const [table] = tablesOf(summary.slice(at(summary, '### 🔴 Regressions')));
  assert.equal(table!.rows.length, regressed.length, 'every regression listed');
  assert.match(summary, /784 unchanged cells not listed/);
  assert.ok(summary.includes('### Machine and runtimes') && summary.includes('### Reproduce locally'));

  const tighter = renderSummary(report, { maxBytes: 5_000 });
  assert.ok(Buffer.byteLength(tighter) <= 5_000);
  assert.match(tighter, /… [\d,]+ more rows? not shown/);
  assert.ok(tighter.includes('### Reproduce locally'));
});
