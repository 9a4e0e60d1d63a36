// Issue 13: the headline never says "no performance regressions" while a cell's estimate lies beyond its
// threshold, and such cells are listed right after the regressions with change, interval and why not called.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { renderComment } from '../src/report/comment-markdown.js';
import { actionOutputs } from '../src/report/outputs.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { renderTerminal } from '../src/report/terminal-table.js';
import { makeReport } from './helpers/report-fixtures.js';

/** Markdown escapes (`\[`) removed, to match the figures as a reader sees them. */
const unescape = (md: string): string => md.replace(/\\(.)/g, '$1');

const WIDE = {
  ratio: 1.4,
  interval: [1.02, 1.9] as [number, number],
  whyNotCalled: 'its interval [+2.0%, +90.0%] reaches inside the ±5% threshold',
};

function passWithSlowInconclusive() {
  const report = makeReport({ benchmarks: ['fib', 'nbody', 'sort'], runtimes: ['node'] });
  Object.assign(report.verdicts[1]!, { kind: 'inconclusive', ...WIDE });
  return report;
}

test('a pass with an inconclusive +40% cell does not read "no performance regressions"', () => {
  const report = passWithSlowInconclusive();
  assert.equal(report.headline, 'pass');
  for (const md of [renderSummary(report), renderComment(report, { marker: '<!-- m -->' })]) {
    const text = unescape(md);
    assert.doesNotMatch(text, /no performance regressions/);
    assert.match(text, /no proven regression, but 1 cell slower beyond the threshold/);
    assert.match(text, /Slower beyond the threshold, not proven/);
    assert.match(text, /\+40\.0% \[\+2\.0%, \+90\.0%\]/);
    assert.match(text, /reaches inside the ±5% threshold/);
  }
  const terminal = renderTerminal(report, { color: false });
  assert.doesNotMatch(terminal, /no performance regressions/);
  assert.match(terminal, /no proven regression, but 1 cell slower beyond the threshold/);
});

test('the slower cells come right after the regressions, before failures and the rest', () => {
  const report = makeReport({
    benchmarks: ['a', 'b', 'c', 'd'],
    runtimes: ['node'],
    kindOf: (b) => (b === 'a' ? 'failed' : b === 'b' ? 'regressed' : b === 'c' ? 'likely-regressed' : 'improved'),
  });
  const summary = renderSummary(report);
  const at = (s: string) => summary.indexOf(s);
  assert.ok(at('### 🔴 Regressions') < at('### 🟠 Slower beyond'), summary);
  assert.ok(at('### 🟠 Slower beyond') < at('### ❌ Failures'), summary);
  assert.match(summary, /🟠 likely regressed/);
  const comment = renderComment(report, { marker: '<!-- m -->' });
  assert.ok(comment.indexOf('#### 🔴 Regressions') < comment.indexOf('#### 🟠 Slower beyond'));
  assert.ok(comment.indexOf('#### 🟠 Slower beyond') < comment.indexOf('#### ❌ Failures'));
});

test('a pass with only unchanged cells keeps the plain headline', () => {
  const report = makeReport({ benchmarks: ['fib'], runtimes: ['node'] });
  assert.match(renderSummary(report), /✅ wasm-perf-gate: no performance regressions/);
  assert.doesNotMatch(renderSummary(report), /Slower beyond/);
});

test('a likely regression is in the regressed-cells output while it gates, and out when relaxed', () => {
  const report = makeReport({ benchmarks: ['coremark'], runtimes: ['wasm3'], kindOf: () => 'likely-regressed' });
  const outputs = actionOutputs(report, 'r.json');
  assert.equal(outputs.regressions, '1');
  assert.equal(JSON.parse(outputs['regressed-cells'])[0].kind, 'likely-regressed');
  const relaxed = actionOutputs({ ...report, likelyRegressionsGate: false, headline: 'pass' }, 'r.json');
  assert.equal(relaxed.regressions, '0');
  const summary = unescape(renderSummary({ ...report, likelyRegressionsGate: false, headline: 'pass' }));
  assert.match(summary, /no proven regression, but 1 cell slower beyond the threshold/);
  assert.match(summary, /\+418\.0% \[\+412\.0%, \+423\.0%\]/);
});
