import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import {
  codeBlock,
  escapeHtml,
  escapeMarkdown,
  linkTarget,
  preBlock,
  truncateText,
  visibleControls,
} from '../src/report/escape.js';
import { commentMarker, renderComment } from '../src/report/comment-markdown.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { tableRow } from '../src/report/markdown-parts.js';
import { MALICIOUS, makeReport } from './helpers/report-fixtures.js';
import { foreignTags, splitCells, tablesOf } from './helpers/markdown-check.js';

const SPECIAL = new Set(['\\', '`', '*', '_', '[', ']', '|', '~', '$']);

/** Undo escapeMarkdown as a Markdown renderer would: mention guard, backslash escapes, entities. */
function unescapeMarkdown(text: string): string {
  const noGuard = text.replace(/(?<![A-Za-z0-9])@\u200b/g, '@');
  let out = '';
  for (let i = 0; i < noGuard.length; i++) {
    if (noGuard[i] === '\\' && i + 1 < noGuard.length && SPECIAL.has(noGuard[i + 1]!)) {
      out += noGuard[++i];
    } else {
      out += noGuard[i];
    }
  }
  return out.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** Special characters that are not preceded by an escaping backslash. */
function unescapedSpecials(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (ch === '\\') {
      i++;
      continue;
    }
    if (SPECIAL.has(ch) || ch === '<' || ch === '>') found.push(ch);
  }
  return found;
}

test('the malicious benchmark name is inert: no tag, no emphasis, no cell break', () => {
  const out = escapeMarkdown(MALICIOUS);
  assert.equal(out, '&lt;img src=x onerror=alert(1)&gt;\\|\\*\\*x\\*\\*');
  assert.deepEqual(unescapedSpecials(out), []);
});

test('escapeMarkdown: any text comes out with every special character escaped and reads back the same', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'binary', maxLength: 60 }), (text) => {
      const out = escapeMarkdown(text);
      assert.ok(!/[\r\n\u2028\u2029]/.test(out), 'no line breaks');
      assert.deepEqual(unescapedSpecials(out), []);
      assert.equal(unescapeMarkdown(out), visibleControls(text.replace(/\r\n|[\r\n\u2028\u2029]/g, ' ')));
      // eslint-disable-next-line no-control-regex
      assert.ok(!/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(out), 'no raw control character');
    }),
    { numRuns: 500 },
  );
});

test('escapeMarkdown: a cell built from any text keeps a row at its column count', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: 'binary', maxLength: 20 }), { minLength: 1, maxLength: 5 }), (cells) => {
      const row = tableRow(cells.map(escapeMarkdown));
      assert.equal(splitCells(row).length, cells.length);
      assert.ok(!row.includes('\n'));
    }),
  );
});

test('issue 29 item 16: a NUL or an escape in a name is shown as its code point, never written raw', () => {
  assert.equal(escapeMarkdown('add\0one\x1b[2J'), 'add&lt;U+0000&gt;one&lt;U+001B&gt;\\[2J');
  assert.equal(escapeHtml('a\0b\tc'), 'a&lt;U+0000&gt;b\tc');
});

test('escapeMarkdown: a mention cannot ping, but runtime@version stays as written', () => {
  assert.equal(escapeMarkdown('@octocat'), '@\u200boctocat');
  assert.equal(escapeMarkdown('cc @org/team'), 'cc @\u200borg/team');
  assert.equal(escapeMarkdown('@@x'), '@\u200b@\u200bx');
  assert.equal(escapeMarkdown('wasmtime@48.0.0'), 'wasmtime@48.0.0');
});

test('escapeHtml covers the five HTML-special characters', () => {
  assert.equal(
    escapeHtml(`<a href="x" title='y'>&</a>`),
    '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
  );
});

test('preBlock keeps program output inert, including a closing </pre>', () => {
  const block = preBlock('ok\n</pre><script>alert(1)</script>\r\nend');
  assert.equal(block, '<pre>ok\n&lt;/pre&gt;&lt;script&gt;alert(1)&lt;/script&gt;\nend</pre>');
  assert.deepEqual(foreignTags(block), []);
});

test('codeBlock: the fence outgrows any backtick run in the content', () => {
  const block = codeBlock('echo ```` done', 'sh');
  assert.ok(block.startsWith('`````sh\n'));
  assert.ok(block.endsWith('\n`````'));
  assert.equal(codeBlock('plain'), '```\nplain\n```');
});

test('truncateText never splits a surrogate pair and marks the cut', () => {
  assert.equal(truncateText('🔴🔴🔴🔴', 3), '🔴🔴…');
  assert.equal(truncateText('short', 10), 'short');
  assert.equal(truncateText('suite/long/path/bench-0042', 12, 'middle'), 'suite/…-0042');
});

test('linkTarget refuses non-http URLs and encodes characters that would end the link', () => {
  assert.equal(linkTarget('javascript:alert(1)'), undefined);
  assert.equal(linkTarget('https://x.test/a (b)'), 'https://x.test/a%20%28b%29');
});

test('commentMarker cannot be closed early by the id', () => {
  const marker = commentMarker('x --> <img src=x>');
  assert.match(marker, /^<!-- wasm-perf-gate:[^<>]* -->$/);
  assert.equal(marker.indexOf('-->'), marker.length - 3);
});

test('summary and comment stay intact with hostile benchmark, runtime, path and output', () => {
  const report = makeReport({
    benchmarks: [MALICIOUS, 'line\nbreak', 'fine'],
    runtimes: ['wasmtime@48.0.0', '<b>rt</b>|x'],
    kindOf: (_b, _r, i) => (['regressed', 'failed', 'improved', 'unchanged', 'inconclusive', 'new'] as const)[i % 6]!,
    warnings: ['cache said <script>alert(1)</script> | nope'],
  });
  for (const v of report.verdicts) v.notes.push(`outliers in ${v.benchmark}`);
  const failed = report.verdicts.find((v) => v.kind === 'failed')!;
  failed.failure!.stderrTail = '</pre></details><img src=x onerror=alert(1)>\n| a | b |';
  failed.failure!.message = '<svg onload=alert(1)>';
  report.runtimes[1]!.exe = '/tmp/<i>x</i>|y';
  report.reproduce = "wasm-perf-gate run --artifacts '```\n<img src=x>'";

  const summary = renderSummary(report);
  const comment = renderComment(report, { marker: commentMarker('default'), summaryUrl: 'https://github.test/run/1' });
  for (const [name, md] of [
    ['summary', summary],
    ['comment', comment],
  ] as const) {
    assert.deepEqual(foreignTags(md), [], `${name}: no foreign HTML`);
    const tables = tablesOf(md); // throws on a ragged or broken table
    assert.ok(tables.length >= 3, `${name}: tables rendered`);
    // Markdown is not parsed inside the raw HTML <summary> line, so only the other lines could form emphasis.
    const markdownLines = md.split('\n').filter((l) => !l.startsWith('<details><summary>'));
    assert.ok(!markdownLines.some((l) => l.includes('**x**')), `${name}: no emphasis from the name`);
    const benchmarkCells = tables.flatMap((t) => t.rows.map((r) => r[0]!));
    assert.ok(
      benchmarkCells.some((c) => c.includes('&lt;img src=x onerror=alert(1)&gt;\\|\\*\\*x\\*\\*')),
      `${name}: name shown escaped`,
    );
  }
  // the reproduce command stays inside its code block
  assert.ok(summary.includes("````sh\nwasm-perf-gate run --artifacts '```\n<img src=x>'\n````"));
});

const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;
const BIDI_ALL = [
  '\u202A',
  '\u202B',
  '\u202C',
  '\u202D',
  '\u202E',
  '\u2066',
  '\u2067',
  '\u2068',
  '\u2069',
  '\u200E',
  '\u200F',
  '\u061C',
];

test('every bidi control is shown as its code point by each escaper', () => {
  for (const c of BIDI_ALL) {
    const name = `bench${c}gpj.exe`;
    for (const out of [escapeMarkdown(name), escapeHtml(name), preBlock(name), codeBlock(name)]) {
      assert.ok(!BIDI.test(out), `U+${c.codePointAt(0)!.toString(16)} left raw in ${JSON.stringify(out)}`);
      assert.match(out, new RegExp(`U\\+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`));
    }
  }
});

test('summary and comment carry no raw bidi control from benchmark, runtime, path or output', () => {
  const evil = 'fast\u202Ewols\u202C\u2066x\u2069';
  const report = makeReport({
    benchmarks: [evil, `build/${evil}`, 'fine'],
    runtimes: ['node', `rt\u200F`],
    kindOf: (_b, _r, i) => (['regressed', 'failed', 'improved', 'unchanged', 'inconclusive', 'new'] as const)[i % 6]!,
    warnings: [`warning about ${evil}`],
  });
  const failed = report.verdicts.find((v) => v.kind === 'failed')!;
  failed.failure!.stderrTail = `trap in ${evil}`;
  failed.failure!.message = `crashed \u061C${evil}`;
  report.reproduce = `wasm-perf-gate run --artifacts '${evil}'`;
  const summary = renderSummary(report);
  const comment = renderComment(report, { marker: commentMarker('default'), summaryUrl: 'https://github.test/run/1' });
  for (const [name, md] of [
    ['summary', summary],
    ['comment', comment],
  ] as const) {
    const at = md.search(BIDI);
    assert.equal(at, -1, `${name}: raw bidi control near ${JSON.stringify(md.slice(at - 30, at + 30))}`);
    assert.ok(md.includes('U+202E'), `${name}: the override is shown as a code point`);
  }
});
