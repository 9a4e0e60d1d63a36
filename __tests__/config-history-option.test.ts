// The `history` input: `baseline` or `branch:NAME`, checked before anything is measured.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { parseHistoryOption } from '../src/config/history-option.js';
import { InputError } from '../src/model/input-error.js';

test('history: baseline keeps no branch; branch:NAME names it', () => {
  assert.equal(parseHistoryOption('baseline'), undefined);
  assert.equal(parseHistoryOption('branch:perf-history'), 'perf-history');
  assert.equal(parseHistoryOption('branch:perf/linux.v2'), 'perf/linux.v2');
});

test('history: an unknown value or a name git refuses is an InputError naming history and the fix', () => {
  const bad = [
    'cache',
    'branch',
    'branch:',
    'branch:a b',
    'branch:-x',
    'branch:a..b',
    'branch:a/',
    'branch:.x',
    'branch:x.lock',
    'branch:a//b',
    'branch:a:b',
    'branch:HEAD',
    'branch:a@{1}',
    'branch:x.',
  ];
  for (const value of bad) {
    assert.throws(
      () => parseHistoryOption(value),
      (e: unknown) =>
        e instanceof InputError &&
        e.input === 'history' &&
        /^history: /.test(e.message) &&
        /branch:perf-history/.test(e.fix),
      value,
    );
  }
});

test('history: every name accepted here is one git accepts, and every name git refuses is refused here', () => {
  const names = [
    'perf-history',
    'perf/linux.v2',
    'a..b',
    'a b',
    '-x',
    'x.lock',
    'a//b',
    '.x',
    'x.',
    'a/',
    'a@{1}',
    'a~1',
    'a:b',
    'ok_1',
  ];
  for (const name of names) {
    const git = spawnSync('git', ['check-ref-format', '--branch', name], { encoding: 'utf8' });
    const ours = (() => {
      try {
        return parseHistoryOption(`branch:${name}`) === name;
      } catch {
        return false;
      }
    })();
    if (ours) assert.equal(git.status, 0, `${name}: accepted here, refused by git`);
    if (git.status !== 0) assert.equal(ours, false, `${name}: refused by git, accepted here`);
  }
});
