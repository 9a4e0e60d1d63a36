// Peak RSS and CPU on macOS runners: BSD `/usr/bin/time -l` appends the wait4 rusage to stderr.
// The parser is checked on a recorded sample (see fixtures/metrics/README.md for how it was made).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { CONTEXT } from '../src/measure/disturbance.js';
import { detectBsdTime, parseBsdTime, wrapWithBsdTime } from '../src/measure/rusage.js';

const SAMPLE = readFileSync('__tests__/fixtures/metrics/bsd-time-l.txt', 'utf8');

describe('BSD time -l output (macOS)', () => {
  test('peak RSS in bytes as printed, user and sys seconds → ms, cpu = user + sys, preemptions', () => {
    assert.deepEqual(parseBsdTime(SAMPLE).values, {
      'peak-rss': 52396032,
      user: 1030,
      sys: 140,
      cpu: 1170,
      [CONTEXT.invcsw]: 214,
    });
  });

  test('only the last block counts: a program printing look-alike lines before it cannot forge the figures', () => {
    const forged =
      '        0.01 real         0.00 user         0.00 sys\n                   1  maximum resident set size\n';
    assert.equal(parseBsdTime(forged + SAMPLE).values['peak-rss'], 52396032);
  });

  test('output without the rusage listing is an error naming what is missing', () => {
    assert.throws(() => parseBsdTime('program output only\n'), /BSD time wrote no figures/);
    assert.throws(() => parseBsdTime('        1.00 real 0.50 user 0.10 sys\n'), /maximum resident set size/);
  });

  test('wraps the argv (never a shell string) and is used on macOS only', () => {
    const cmd = wrapWithBsdTime({ argv: ['node', 'x.mjs', 'a b'], env: {} }, '/usr/bin/time');
    assert.deepEqual(cmd.argv, ['/usr/bin/time', '-l', 'node', 'x.mjs', 'a b']);
    assert.equal(detectBsdTime('linux').available, false);
  });
});
