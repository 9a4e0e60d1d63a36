// Expected output, unit by unit: the line-by-line comparison (pure), and the engine checking an arm's first
// run and one in CHECK_EVERY after it, with real processes: output that changes on a later run is caught.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { measureCell } from '../src/measure/engine.js';
import { measureCellWithHyperfine } from '../src/measure/hyperfine-engine.js';
import { findExecutable } from '../src/runtimes/find-executable.js';
import { CHECK_EVERY, outputCheck, outputMismatch } from '../src/measure/expected-output.js';
import { command, measureOptions } from './helpers/measure-env.js';

const dir = mkdtempSync(join(tmpdir(), 'expected-output-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('outputMismatch', () => {
  const file = { stream: 'stdout' as const, source: 'a.expected', text: 'one\ntwo\nthree\n' };
  test('equal line by line: CRLF, trailing spaces and trailing empty lines do not count', () => {
    assert.equal(outputMismatch(file, 'one\r\ntwo  \nthree\n\n\n'), undefined);
  });
  test('a short diff: the first differing lines, quoted and cut, and how many more', () => {
    const m = outputMismatch({ ...file, text: 'a\nb\nc\nd\ne\n' }, 'a\nB\nC\nD\nE\n');
    assert.equal(
      m,
      'stdout differs from a.expected (5 lines expected, 5 printed): line 2: expected "b", got "B"; line 3: expected "c", got "C"; line 4: expected "d", got "D"; 1 more differing lines',
    );
    assert.match(outputMismatch(file, 'one\n') ?? '', /line 2: expected "two", got \(nothing\)/);
    assert.match(outputMismatch(file, `one\n${'x'.repeat(500)}\nthree`) ?? '', /got "x{120}…"/);
  });
  test('output too long to compare is a mismatch; a regex is searched for', () => {
    assert.match(
      outputMismatch(file, undefined, 5_000_000) ?? '',
      /stdout was 5000000 bytes, longer than any expected/,
    );
    const re = { stream: 'stderr' as const, source: 'expect-stderr: { regex: ^ok }', regex: /^ok/ };
    assert.equal(outputMismatch(re, 'ok then'), undefined);
    assert.equal(outputMismatch(re, 'not ok'), 'stderr does not match expect-stderr: { regex: ^ok }');
  });
});

describe('the engine checks the first run and a sample after', () => {
  test('output that changes on a later run fails the arm as wrong-output; checked runs are the sampled ones', async () => {
    const counter = join(dir, 'count');
    writeFileSync(counter, '0');
    // Prints "ok" until its 13th run, then "changed".
    const script = `const fs=require('fs');const n=Number(fs.readFileSync(${JSON.stringify(counter)},'utf8'))+1;fs.writeFileSync(${JSON.stringify(counter)},String(n));console.log(n>=13?'changed':'ok')`;
    const check = outputCheck({ stdout: { stream: 'stdout', source: 'ok.expected', text: 'ok\n' } })!;
    const seen: number[] = [];
    let n = 0;
    const r = await measureCell({
      arms: [
        {
          arm: 'candidate',
          command: command([process.execPath, '-e', script]),
          checkOutput: (o) => {
            seen.push(n++);
            return check(o);
          },
        },
      ],
      options: measureOptions({ warmup: 1, minRuns: 30, maxRuns: 30 }),
      trapExitCodes: [134],
    });
    assert.equal(r.candidate.failure?.kind, 'wrong-output');
    assert.match(r.candidate.failure!.message, /line 1: expected "ok", got "changed"/);
    // runs 1 (the warm-up), 11 and 21 are checked; run 21 is the first to print "changed"
    assert.equal(seen.length, 3);
    assert.equal(r.candidate.samples.length, 2 * CHECK_EVERY - 1);
    assert.equal(r.stopReason, 'failure');
  });
});

describe('hyperfine engine', () => {
  test('checks the output on one run of its own before hyperfine times anything', async (t) => {
    if ((await findExecutable('hyperfine')) === undefined) return t.skip('hyperfine is not installed');
    const check = outputCheck({ stdout: { stream: 'stdout', source: 'want.expected', text: 'want\n' } })!;
    const printing = (text: string) => command([process.execPath, '-e', `console.log(${JSON.stringify(text)})`]);
    const options = measureOptions({ engine: 'hyperfine', warmup: 0, minRuns: 2, maxRuns: 2 });
    const wrong = await measureCellWithHyperfine({
      arms: [{ arm: 'candidate', command: printing('got'), checkOutput: check }],
      options,
      trapExitCodes: [134],
    });
    assert.equal(wrong.candidate.failure?.kind, 'wrong-output');
    assert.equal(wrong.candidate.samples.length, 0);
    const right = await measureCellWithHyperfine({
      arms: [{ arm: 'candidate', command: printing('want'), checkOutput: check }],
      options,
      trapExitCodes: [134],
    });
    assert.equal(right.candidate.failure, undefined);
    assert.equal(right.candidate.samples.length, 2);
  });
});
