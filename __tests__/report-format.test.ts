import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  formatBytes,
  formatChange,
  formatCount,
  formatElapsed,
  formatMs,
  formatPercent,
  formatRuns,
  formatSignedPercent,
  formatValue,
  formatVerdict,
} from '../src/model/format.js';

test('durations scale between ns, µs, ms and s with three significant figures', () => {
  assert.equal(formatMs(0.0000456), '45.6 ns');
  assert.equal(formatMs(0.0123), '12.3 µs');
  assert.equal(formatMs(8.123), '8.12 ms');
  assert.equal(formatMs(456.7), '457 ms');
  assert.equal(formatMs(1234), '1.23 s');
  assert.equal(formatMs(0), '0 ms');
  assert.equal(formatMs(Number.NaN), 'n/a');
});

test('values follow their unit: time units are rescaled, bytes use KiB/MiB, others keep the unit', () => {
  assert.equal(formatValue(2.5, 's'), '2.50 s');
  assert.equal(formatValue(1500, 'us'), '1.50 ms');
  assert.equal(formatValue(1536, 'bytes'), '1.50 KiB');
  assert.equal(formatValue(40_000_000, 'bytes'), '38.1 MiB');
  assert.equal(formatValue(512, 'B'), '512 B');
  assert.equal(formatValue(12_345, 'count'), '12,345');
  assert.equal(formatValue(2_500_000, ''), '2.50M');
  assert.equal(formatValue(5, 'ops/s'), '5 ops/s');
  assert.equal(formatValue(undefined, 'ms'), '–');
  assert.equal(formatBytes(16 * 1024 ** 3), '16.0 GiB');
  assert.equal(formatCount(1.5), '1.50');
});

test('changes read as signed percentages with the interval in brackets', () => {
  assert.equal(formatChange(1.042, [1.021, 1.063]), '+4.2% [+2.1%, +6.3%]');
  assert.equal(formatChange(0.9, [0.85, 0.95]), '-10.0% [-15.0%, -5.0%]');
  assert.equal(formatChange(1.0, undefined), '±0.0%');
  assert.equal(formatChange(undefined), '–');
  assert.equal(formatSignedPercent(12.5), '+1250%');
  assert.equal(formatSignedPercent(Number.POSITIVE_INFINITY), 'n/a');
  assert.equal(formatPercent(0.05), '5%');
  assert.equal(formatPercent(0.031), '3.1%');
});

test('verdict labels carry their emoji', () => {
  assert.equal(formatVerdict('regressed'), '🔴 regressed');
  assert.equal(formatVerdict('improved'), '🟢 improved');
  assert.equal(formatVerdict('unchanged'), '⚪ unchanged');
  assert.equal(formatVerdict('inconclusive'), '🟡 inconclusive');
  assert.equal(formatVerdict('new'), '🆕 new');
  assert.equal(formatVerdict('missing'), '❔ missing');
  assert.equal(formatVerdict('failed'), '❌ failed');
});

test('run counts and elapsed time', () => {
  assert.equal(formatRuns({ baseline: 30, candidate: 28 }), '30 / 28');
  assert.equal(formatRuns({ baseline: 0, candidate: 12 }), '12');
  assert.equal(formatElapsed(42_000), '42.0 s');
  assert.equal(formatElapsed(185_000), '3 min 05 s');
});
