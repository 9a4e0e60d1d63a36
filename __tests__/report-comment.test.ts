import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { COMMENT_MAX_CHARS, commentMarker, renderComment } from '../src/report/comment-markdown.js';
import { escapeMarkdown } from '../src/report/escape.js';
import { formatChange } from '../src/model/format.js';
import type { VerdictKind } from '../src/model/verdict.js';
import { MALICIOUS, makeReport, names } from './helpers/report-fixtures.js';
import { tablesOf } from './helpers/markdown-check.js';

const marker = commentMarker('default');
const summaryUrl = 'https://github.com/acme/widgets/actions/runs/42/attempts/1';
const RUNTIMES = ['wasmtime@48.0.0', 'wasmer:singlepass@6.1.0', 'node@20.20.2'];

/** 1,000 benchmarks × 3 runtimes: mostly unchanged, a few of every other kind. */
function hugeReport(benchmarks = names('suite/benchmark', 1000)) {
  const kindOf = (_b: string, _r: string, i: number): VerdictKind =>
    i % 101 === 0
      ? 'regressed'
      : i % 211 === 0
        ? 'failed'
        : i % 13 === 0
          ? 'inconclusive'
          : i % 17 === 0
            ? 'improved'
            : 'unchanged';
  return makeReport({ benchmarks, runtimes: RUNTIMES, kindOf });
}

const rowsOf = (md: string): string[][] => tablesOf(md).flatMap((t) => t.rows);

test('starts with the marker, then the headline; regressions first, worst first', () => {
  const report = makeReport({
    benchmarks: ['alpha', 'beta', 'gamma'],
    kindOf: (b, r) => (b === 'gamma' ? 'regressed' : b === 'alpha' && r.startsWith('node') ? 'improved' : 'unchanged'),
  });
  const worst = report.verdicts.find((v) => v.benchmark === 'gamma' && v.runtime.startsWith('node'))!;
  Object.assign(worst, { ratio: 1.8, interval: [1.7, 1.9], candidateMedian: 180 });
  const comment = renderComment(report, { marker, summaryUrl });

  const lines = comment.split('\n');
  assert.equal(lines[0], marker);
  assert.equal(lines[1], '### 🔴 wasm-perf-gate: performance regressed');
  const tables = tablesOf(comment);
  assert.deepEqual(
    tables[0]!.rows.map((r) => [r[0]!.trim(), r[1]!.trim()]),
    [
      ['<code>gamma</code>', '<code>node@20.20.2</code>'],
      ['<code>gamma</code>', '<code>wasmtime@48.0.0</code>'],
    ],
  );
  assert.equal(tables[0]!.rows[0]![4]!.trim(), escapeMarkdown(formatChange(1.8, [1.7, 1.9])));
  assert.ok(comment.indexOf('#### 🔴 Regressions') < comment.indexOf('#### Other changes'));
  assert.ok(
    comment.indexOf('#### Other changes') < comment.indexOf('<details><summary>⚪ 3 unchanged cells</summary>'),
  );
  assert.ok(comment.includes(`[Full report in the job summary](${summaryUrl})`));
});

test('the headline says what regressed: bytes shipped alone are not performance', () => {
  const headline = (metrics: string[], kind: VerdictKind = 'regressed', extra: [string, VerdictKind][] = []) => {
    const cells: [string, VerdictKind][] = [...metrics.map((m): [string, VerdictKind] => [m, kind]), ...extra];
    const report = makeReport({
      benchmarks: cells.map((_, i) => `b${i}`),
      runtimes: ['wasmtime@48.0.0'],
      kindOf: (b) => cells[Number(b.slice(1))]![1],
    });
    report.verdicts.forEach((v, i) => (v.metric = cells[i]![0]));
    return renderComment(report, { marker, summaryUrl }).split('\n')[1];
  };
  const title = (what: string) => `### 🔴 wasm-perf-gate: ${what} regressed`;
  assert.equal(headline(['size']), title('size'));
  assert.equal(headline(['aot-size', 'size-gzip', 'code-size']), title('size'));
  assert.equal(headline(['peak-rss']), title('memory'));
  assert.equal(headline(['wall']), title('performance'));
  assert.equal(headline(['instructions', 'aot-compile']), title('performance'));
  assert.equal(headline(['wall', 'aot-size']), title('performance and size'));
  assert.equal(headline(['cpu', 'peak-rss', 'size']), title('performance, memory and size'));
  // Only the proven regressions are named when there are any; the likely ones when they alone failed the run.
  assert.equal(headline(['size'], 'regressed', [['wall', 'likely-regressed']]), title('size'));
  assert.equal(headline(['data-size'], 'likely-regressed'), title('size'));
});

test('failures show the kind and the message, escaped', () => {
  const report = makeReport({
    benchmarks: [MALICIOUS],
    kindOf: (_b, r) => (r.startsWith('node') ? 'failed' : 'unchanged'),
  });
  const comment = renderComment(report, { marker });
  const failures = tablesOf(comment.slice(comment.indexOf('#### ❌ Failures')))[0]!;
  assert.equal(failures.rows.length, 1);
  assert.equal(failures.rows[0]![2]!.trim(), 'trap (exit 134): wasm trap: integer divide by zero');
  assert.equal(failures.rows[0]![0]!.trim(), `<code>${escapeMarkdown(MALICIOUS)}</code>`);
});

test(`1,000 benchmarks × 3 runtimes fit in ${COMMENT_MAX_CHARS} characters with the marker and every regression`, () => {
  const report = hugeReport();
  const comment = renderComment(report, { marker, summaryUrl });
  assert.ok(comment.length <= COMMENT_MAX_CHARS, `length ${comment.length}`);
  assert.ok(comment.startsWith(`${marker}\n`));
  const regressed = report.verdicts.filter((v) => v.kind === 'regressed');
  const regressionTable = tablesOf(comment.slice(comment.indexOf('#### 🔴 Regressions')))[0]!;
  assert.equal(regressionTable.rows.length, regressed.length);
  // unchanged cells collapsed to a count, not listed
  const unchanged = report.verdicts.filter((v) => v.kind === 'unchanged').length;
  assert.ok(comment.includes(`⚪ ${unchanged.toLocaleString('en-US')} unchanged cells — listed in the job summary.`));
  assert.ok(!comment.includes('<details>'));
});

test('when even the attention rows overflow, they are cut with a count and a link', () => {
  // every cell regressed, names long: the rows alone exceed the budget
  const report = makeReport({ benchmarks: names('x'.repeat(60), 1000), runtimes: RUNTIMES, kindOf: () => 'regressed' });
  const comment = renderComment(report, { marker, summaryUrl });
  assert.ok(comment.length <= COMMENT_MAX_CHARS);
  assert.ok(comment.startsWith(marker));
  const shown = rowsOf(comment).length;
  const match = /… ([\d,]+) more rows \(([\d,]+) regressions\) — see the \[job summary\]\((.+?)\)/.exec(comment);
  assert.ok(match, 'truncation note');
  assert.equal(match[1], match[2]);
  assert.equal(match[3], summaryUrl);
  assert.equal(shown + Number(match[1]!.replace(/,/g, '')), report.verdicts.length, 'shown + omitted = all');
  assert.ok(shown > 100, 'the budget is used, not wasted');
});

test('absurdly long names are shortened in the comment, so they cannot eat the budget', () => {
  const report = hugeReport(names(`${MALICIOUS}${'y'.repeat(5000)}`, 1000));
  const comment = renderComment(report, { marker, summaryUrl });
  assert.ok(comment.length <= COMMENT_MAX_CHARS);
  assert.ok(rowsOf(comment).length > 50);
  assert.ok(!comment.includes('y'.repeat(100)));
});

test('any report under any budget: within maxChars, marker first, tables well formed', () => {
  const kinds: VerdictKind[] = ['regressed', 'improved', 'unchanged', 'inconclusive', 'new', 'missing', 'failed'];
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 150 }),
      fc.array(fc.constantFrom(...kinds), { minLength: 1, maxLength: 20 }),
      fc.integer({ min: 1000, max: 30_000 }),
      fc.string({ maxLength: 30 }),
      (count, pattern, maxChars, prefix) => {
        const report = makeReport({
          benchmarks: names(prefix, count),
          runtimes: RUNTIMES,
          kindOf: (_b, _r, i) => pattern[i % pattern.length]!,
        });
        const comment = renderComment(report, { marker, summaryUrl, maxChars });
        assert.ok(comment.length <= maxChars, `${comment.length} > ${maxChars}`);
        assert.ok(comment.startsWith(marker));
        tablesOf(comment); // throws on a broken table
      },
    ),
    { numRuns: 60 },
  );
});

test('a budget below the header still keeps the marker', () => {
  const comment = renderComment(hugeReport(names('b', 30)), { marker, maxChars: marker.length + 20 });
  assert.ok(comment.startsWith(marker));
  assert.ok(comment.length <= marker.length + 20);
  assert.throws(() => renderComment(hugeReport(names('b', 1)), { marker, maxChars: 5 }), RangeError);
});

test('baseline mode lists what was saved', () => {
  const report = makeReport({ mode: 'baseline', benchmarks: ['fib'], runtimes: ['node@20.20.2'] });
  const comment = renderComment(report, { marker });
  assert.ok(comment.includes('### 💾 wasm-perf-gate: baseline saved'));
  const saved = tablesOf(comment)[0]!;
  assert.deepEqual(saved.rows.map((r) => r[2]!.trim()).sort(), ['peak-rss', 'wall']);
});
