// The cheap figures every run records (CPU, peak RSS and its change, phases, time taken), shown without
// gating: a collapsed section in the PR comment, a table in the job summary, all samples in the JSON report.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CellMeasurement, Sample } from '../src/model/measurement.js';
import { COMMENT_MAX_CHARS, renderComment } from '../src/report/comment-markdown.js';
import { resourceRows } from '../src/report/resource-table.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import type { RunReport } from '../src/report/types.js';
import { tablesOf } from './helpers/markdown-check.js';
import { makeReport, names } from './helpers/report-fixtures.js';

const MARKER = '<!-- wasm-perf-gate:t -->';
const MiB = 1024 * 1024;

/** What the launcher records on every node/bun/deno run: wall, phases, getrusage. */
function launcherSamples(n: number, rss: number, scale = 1): Sample[] {
  return Array.from({ length: n }, (_, round) => ({
    values: {
      wall: 120 * scale + round,
      cpu: 150 * scale + round,
      user: 130 * scale,
      sys: 20,
      'peak-rss': rss + round * 1024,
      compile: 12 + round / 10,
      instantiate: 1.5,
      execute: 80 * scale + round,
    },
    exitCode: 0,
    round,
  }));
}

/** Every cell carries launcher figures; the baseline arm peaks at 24 MiB, the candidate at 12 MiB. */
function withResources(report: RunReport): RunReport {
  const measurements: CellMeasurement[] = report.measurements.map((m) => ({
    ...m,
    candidate: { ...m.candidate, samples: m.candidate.failure ? [] : launcherSamples(5, 12 * MiB) },
    ...(m.baseline ? { baseline: { ...m.baseline, samples: launcherSamples(5, 24 * MiB, 2) } } : {}),
    gated: ['wall'],
  }));
  return { ...report, measurements };
}

test('rows: candidate medians and the change against the side-by-side baseline', () => {
  const [row] = resourceRows(
    withResources(makeReport({ benchmarks: ['fib'], runtimes: ['node@24.1.0'] })).measurements,
  );
  assert.equal(row!.medians['peak-rss'], 12 * MiB + 2 * 1024);
  assert.equal(row!.medians.cpu, 152);
  assert.equal(row!.medians.execute, 82);
  assert.ok(Math.abs(row!.ratios['peak-rss']! - (12 * MiB + 2048) / (24 * MiB + 2048)) < 1e-12);
  assert.equal(row!.tookMs, 1234.5);
});

test('the comment folds CPU, peak RSS (with change), phases and time taken into one <details>', () => {
  const report = withResources(makeReport({ benchmarks: ['fib', 'nbody'], runtimes: ['node@24.1.0', 'bun@1.4.5'] }));
  const comment = renderComment(report, { marker: MARKER });
  const at = comment.indexOf('<details><summary>📊 Resources: CPU, peak RSS, phases (4 cells)</summary>');
  assert.ok(at > 0, comment);
  const table = tablesOf(comment.slice(at))[0]!;
  assert.deepEqual(
    table.header.map((h) => h.trim()),
    ['Benchmark', 'Runtime', 'CPU', 'Peak RSS', 'Compile', 'Inst.', 'Exec.', 'Took'],
  );
  assert.equal(table.rows.length, 4);
  for (const row of table.rows) {
    const [cpu, rss, compile, , execute, took] = row.slice(2).map((c) => c.trim());
    assert.equal(cpu, '152 ms (-49.7%)', 'median 152 of 302 ms');
    assert.equal(rss, '12.0 MiB (-50.0%)');
    assert.equal(compile, '12.2 ms');
    assert.equal(execute, '82.0 ms');
    assert.equal(took, '1.23 s');
  }
  assert.ok(comment.indexOf('</details>', at) > at, 'the section is closed');
});

test('disturbed rounds are counted per cell and in the section title', () => {
  const report = withResources(makeReport({ benchmarks: ['fib', 'nbody'], runtimes: ['node@24.1.0'] }));
  report.measurements[0]!.disturbance = { excluded: 2, kept: 1 };
  report.measurements[1]!.disturbance = { excluded: 1, kept: 0 };
  const comment = renderComment(report, { marker: MARKER });
  assert.ok(comment.includes('(2 cells; 3 disturbed rounds re-run)'), comment);
  const took = tablesOf(comment.slice(comment.indexOf('📊')))
    .at(0)!
    .rows.map((r) => r.at(-1)!.trim());
  assert.deepEqual(took, ['1.23 s, 2 disturbed re-run, 1 disturbed kept', '1.23 s, 1 disturbed re-run']);
});

test('an inconclusive cell shows roughly the time it would need to decide', () => {
  const report = withResources(
    makeReport({
      benchmarks: ['fib', 'nbody'],
      runtimes: ['node@24.1.0'],
      kindOf: (b) => (b === 'fib' ? 'inconclusive' : 'unchanged'),
    }),
  );
  const comment = renderComment(report, { marker: MARKER });
  const took = tablesOf(comment.slice(comment.indexOf('📊')))
    .at(0)!
    .rows.map((r) => r.at(-1)!.trim());
  // ±8% wide at 30 rounds, 0.9% from the 5% line: ~2,500 rounds at 41 ms a round
  assert.match(took[0]!, /^1\.23 s \(needs \\~1 min 4\d s\)$/);
  assert.equal(took[1], '1.23 s');
});

test('the job summary has the table too; without figures (e.g. hyperfine) there is no section', () => {
  const report = withResources(makeReport({ benchmarks: ['fib'], runtimes: ['node@24.1.0'] }));
  assert.match(renderSummary(report), /### 📊 Resources: CPU, peak RSS \(1 cell\)/);
  const bare = makeReport({ benchmarks: ['fib'], runtimes: ['node@24.1.0'] });
  for (const m of bare.measurements)
    for (const s of [...m.candidate.samples, ...(m.baseline?.samples ?? [])]) s.values = { wall: s.values['wall']! };
  assert.ok(!renderComment(bare, { marker: MARKER }).includes('📊 Resources'));
});

test(`400 cells: the comment stays under ${COMMENT_MAX_CHARS} characters and says where the figures are`, () => {
  const report = withResources(
    makeReport({
      benchmarks: names('bench', 200),
      runtimes: ['node@24.1.0', 'deno@2.9.6'],
      kindOf: (_b, _r, i) => (i % 40 === 0 ? 'regressed' : 'unchanged'),
    }),
  );
  const comment = renderComment(report, { marker: MARKER });
  assert.ok(comment.length <= COMMENT_MAX_CHARS, `length ${comment.length}`);
  assert.ok(comment.startsWith(MARKER));
  const shown = comment.includes('📊 Resources: CPU, peak RSS, phases (400 cells)');
  assert.ok(shown || comment.includes('📊 CPU, peak RSS and phases of 400 cells'), comment.slice(-2000));
  assert.equal((comment.match(/<details>/g) ?? []).length, (comment.match(/<\/details>/g) ?? []).length);
});

test('saved-baseline tables list the gated metrics only, not every figure recorded', () => {
  const report = withResources(makeReport({ mode: 'baseline', benchmarks: ['fib'], runtimes: ['node@24.1.0'] }));
  const saved = tablesOf(renderComment(report, { marker: MARKER }))[0]!;
  assert.deepEqual(
    saved.rows.map((r) => r[2]!.trim()),
    ['wall'],
  );
});
