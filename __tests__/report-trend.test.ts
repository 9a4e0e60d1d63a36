import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellTrends, TREND_WINDOW, type CellTrend } from '../src/history/trend.js';
import type { CellHistory, HistoryPoint } from '../src/model/history.js';
import type { Verdict } from '../src/model/verdict.js';
import { COMMENT_MAX_CHARS, commentMarker, renderComment } from '../src/report/comment-markdown.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { mermaidText, trendChart, trendLine, trendSection } from '../src/report/trend-markdown.js';
import { MALICIOUS, makeReport, makeVerdict, names } from './helpers/report-fixtures.js';

const point = (i: number, median: number, machine = 'm1'): HistoryPoint => ({
  commit: `${String(i).padStart(7, '0')}${'f'.repeat(33)}`,
  date: new Date(Date.UTC(2026, 10, 1) + i * 86_400_000).toISOString(),
  runtimeVersion: '20.20.2',
  machine,
  median,
  interval: [median * 0.98, median * 1.02],
  n: 10,
});

function history(benchmark: string, runtime: string, medians: number[], metric = 'wall'): CellHistory {
  return { benchmark, runtime, metric, points: medians.map((m, i) => point(i, m)) };
}

/** A regressed trend whose every name (and unit) is `name`. */
const trendOf = (name: string): CellTrend => ({
  benchmark: name,
  runtime: name,
  metric: name,
  unit: name,
  kind: 'regressed',
  points: [
    { median: 10, date: 'd' },
    { median: 11, date: 'd' },
  ],
  current: 12,
});

const blocksOf = (md: string): string[] => [...md.matchAll(/^```mermaid\n([\s\S]*?)\n```$/gm)].map((m) => m[1]!);

test('changed cells get a trend: main’s last points of the latest machine, then this run’s median', () => {
  const medians = Array.from({ length: 50 }, (_, i) => 100 + (i % 5));
  const old = history('fib', 'node', medians);
  old.points.unshift(point(-1, 999, 'other-machine'));
  const verdicts: Verdict[] = [
    makeVerdict('fib', 'node@20.20.2', 'regressed', { candidateMedian: 131 }),
    makeVerdict('sha', 'node@20.20.2', 'unchanged'),
    makeVerdict('gone', 'node@20.20.2', 'improved'),
  ];
  const h = [old, history('sha', 'node', [100, 101, 99])];
  const changed = cellTrends(h, verdicts, 'changed');
  assert.equal(changed.length, 1, JSON.stringify(changed.map((t) => [t.benchmark, t.kind])));
  const t = changed[0]!;
  assert.equal(t.points.length, TREND_WINDOW - 1);
  assert.deepEqual(
    t.points.map((p) => p.median),
    medians.slice(-(TREND_WINDOW - 1)),
  );
  assert.equal(t.current, 131);
  assert.equal(t.runtime, 'node@20.20.2');

  assert.deepEqual(
    cellTrends(h, verdicts, 'all').map((x) => x.benchmark),
    ['fib', 'sha'],
    'all: every cell with history (gone has none)',
  );
  assert.deepEqual(cellTrends(h, verdicts, 'none'), []);
  assert.deepEqual(cellTrends(undefined, verdicts, 'all'), []);
});

test('the chart draws every point with this run last, on one scale, inside the y range', () => {
  const t: CellTrend = {
    benchmark: 'nbody',
    runtime: 'node@20.20.2',
    metric: 'wall',
    unit: 'ms',
    kind: 'regressed',
    points: [1200, 1250, 1190, 1210].map((m, i) => ({ median: m, date: point(i, m).date })),
    current: 1500,
  };
  const chart = trendChart(t);
  const [body] = blocksOf(chart);
  assert.ok(body, chart);
  const lines = body.split('\n');
  assert.match(lines[0]!, /^%%\{init: .*\}%%$/);
  assert.equal(lines[1], 'xychart-beta');
  assert.match(lines[2]!, /^ {2}title "nbody · node@20\.20\.2 · wall"$/);
  const xAxis = lines.find((l) => l.trimStart().startsWith('x-axis'))!;
  assert.match(xAxis, /\["1", "2", "3", "4", "now"\]$/);
  const y = /y-axis "s" ([\d.]+) --> ([\d.]+)/.exec(body);
  assert.ok(y, `seconds scale expected for values ≥ 1000 ms: ${body}`);
  const series = /line \[(.*)\]/.exec(body)![1]!.split(', ').map(Number);
  assert.deepEqual(series, [1.2, 1.25, 1.19, 1.21, 1.5]);
  assert.ok(Number(y[1]) <= 1.19 && Number(y[2]) >= 1.5, body);
});

test('bytes are charted in binary units, counts in millions', () => {
  const base = { benchmark: 'b', runtime: 'r', kind: 'regressed' as const, points: [{ median: 1, date: 'd' }] };
  const rss = trendChart({
    ...base,
    metric: 'peak-rss',
    unit: 'bytes',
    points: [{ median: 48 * 1024 ** 2, date: 'd' }],
    current: 50 * 1024 ** 2,
  });
  assert.match(rss, /y-axis "MiB"/);
  assert.match(rss, /line \[48, 50\]/);
  const ins = trendChart({
    ...base,
    metric: 'instructions',
    unit: 'count',
    points: [{ median: 2.5e8, date: 'd' }],
    current: 3e8,
  });
  assert.match(ins, /y-axis "M"/);
  assert.match(ins, /line \[250, 300\]/);
});

test('hostile names cannot leave the chart title, the Mermaid block or the Markdown', () => {
  const hostile = [
    'a"\n```\n<script>alert(1)</script>',
    '%%{init: {"theme": "dark", "securityLevel": "loose"}}%%',
    'x #quot; y `z` \u202E [link](javascript:alert(1)) | *b* @team',
    MALICIOUS,
  ];
  for (const name of hostile) {
    const t = trendOf(name);
    const chart = trendChart(t);
    const blocks = blocksOf(chart);
    assert.equal(blocks.length, 1, chart);
    assert.equal(chart.split('\n').length, 8, `the block keeps its 8 lines: ${chart}`);
    const body = blocks[0]!;
    assert.equal(body.split('\n').filter((l) => l.includes('%%')).length, 1, 'only our own directive');
    const named = body.split('\n').filter((l) => /^ {2}(title|y-axis)/.test(l));
    for (const l of named) assert.doesNotMatch(l, /[`%{}#;<\u202E]/u, l);
    const title = named[0]!;
    assert.equal((title.match(/"/g) ?? []).length, 2, `one quoted string: ${title}`);
    for (const quoted of body.match(/"[^"\n]*"/g) ?? []) assert.doesNotMatch(quoted, /[>|*[\]\\]/, quoted);
    const line = trendLine(t);
    assert.doesNotMatch(line, /<(?!\/?code>)/, line);
    assert.doesNotMatch(line, /\n|\u202E/, line);
    assert.doesNotMatch(line, /(?<!\\)[`|*[]/, line);
  }
  assert.equal(
    mermaidText('fib(35) on wasmtime:cranelift @ 2/3 + x=1, y-2'),
    'fib(35) on wasmtime:cranelift @ 2/3 + x=1, y-2',
  );
  assert.equal(mermaidText('x'.repeat(200)).length, 70);
  assert.match(trendChart(trendOf('y'.repeat(200))), /title "y{20}…y{19} · y{20}…y{19} · y{20}…y{19}"/);
});

test('the text line gives min / median / max of main’s window and where this run lands', () => {
  const t: CellTrend = {
    benchmark: 'sha256',
    runtime: 'wasmtime@48.0.0',
    metric: 'wall',
    unit: 'ms',
    kind: 'regressed',
    points: [10, 12, 11, 13, 9].map((m) => ({ median: m, date: 'd' })),
    current: 13.2,
  };
  assert.equal(
    trendLine(t),
    "<code>sha256</code> on <code>wasmtime@48.0.0</code> — main's last 5 refreshes: min 9.00 ms · median 11.0 ms · max 13.0 ms; this run 13.2 ms (+20.0% vs that median)",
  );
});

test('the section is bounded: charts first, then text lines, then a count of the rest', () => {
  const trends: CellTrend[] = names('b', 12).map((b, i) => ({
    benchmark: b,
    runtime: 'node',
    metric: 'wall',
    unit: 'ms',
    kind: i === 11 ? 'regressed' : 'improved',
    points: [{ median: 10, date: 'd' }],
    current: 9,
  }));
  const md = trendSection(trends, { maxCharts: 2, maxLines: 3, restWhere: 'in the job summary' });
  assert.equal(blocksOf(md).length, 2);
  assert.match(md.split('\n\n')[1]!, /^<code>b-0011<\/code>/, 'the regression is drawn first');
  assert.equal(md.split('\n').filter((l) => l.startsWith('- <code>')).length, 3);
  assert.match(md, /… 7 more trends in the job summary\.$/);
  assert.equal(trendSection([], { maxCharts: 2, maxLines: 3 }), '');
});

/** 400 cells (200 benchmarks × 2 runtimes), long names, 199 points of history each. */
function reportWith400Trends(kindOf: (i: number) => Verdict['kind'], scope: 'changed' | 'all') {
  const benchmarks = names(`suite/${'deeply-nested/'.repeat(5)}benchmark`, 200);
  const report = makeReport({
    benchmarks,
    runtimes: ['wasmtime@48.0.0', 'node@20.20.2'],
    kindOf: (_b, _r, i) => kindOf(i),
  });
  const hist = report.verdicts.map((v, i) =>
    history(
      v.benchmark,
      v.runtime.split('@')[0]!,
      Array.from({ length: 199 }, (_, k) => 100 + ((k * 7 + i) % 13) / 7),
    ),
  );
  report.trends = cellTrends(hist, report.verdicts, scope);
  return report;
}

test('the comment for 400 cells with history stays under 65,536 characters', () => {
  const marker = commentMarker('default');
  const summaryUrl = 'https://github.com/acme/widgets/actions/runs/42/attempts/1';
  for (const [label, report] of [
    ['all regressed', reportWith400Trends(() => 'regressed', 'changed')],
    ['trend: all, mostly unchanged', reportWith400Trends((i) => (i % 9 === 0 ? 'regressed' : 'unchanged'), 'all')],
  ] as const) {
    assert.equal(report.trends!.length, 400, label);
    const comment = renderComment(report, { marker, summaryUrl });
    assert.ok(comment.length < COMMENT_MAX_CHARS, `${label}: ${comment.length} chars`);
    const charts = blocksOf(comment).length;
    assert.ok(charts >= 1 && charts <= 5, `${label}: ${charts} charts in the comment`);
    assert.match(comment, /more trends — see the \[job summary\]/, label);
    const summary = renderSummary(report);
    assert.ok(Buffer.byteLength(summary) <= 1024 * 1024, `${label}: summary ${Buffer.byteLength(summary)} bytes`);
    assert.equal(blocksOf(summary).length, 50, `${label}: charts in the summary`);
  }
});

test('a small report keeps every trend chart in the comment, after the tables', () => {
  const report = makeReport({ benchmarks: ['fib', 'sha'], kindOf: (b) => (b === 'fib' ? 'regressed' : 'unchanged') });
  report.trends = cellTrends(
    report.verdicts.map((v) => history(v.benchmark, v.runtime.split('@')[0]!, [100, 101, 99, 100])),
    report.verdicts,
    'changed',
  );
  const comment = renderComment(report, { marker: commentMarker('default') });
  assert.equal(blocksOf(comment).length, 2, comment);
  assert.ok(comment.indexOf('#### 📈 Trends') > comment.indexOf('#### 🔴 Regressions'));
  assert.doesNotMatch(comment, /more trends/);
});
