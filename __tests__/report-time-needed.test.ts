// What an inconclusive cell would need: its interval narrows as 1/√rounds until it clears the band.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Verdict } from '../src/model/verdict.js';
import { timeNeeded } from '../src/report/time-needed.js';
import { makeVerdict } from './helpers/report-fixtures.js';

/** ratio 1.0, threshold 5%, 10 rounds, and a half-width of 2·ln 1.05: twice the gap to the threshold. */
function twiceTheGap(overrides: Partial<Verdict> = {}): Verdict {
  const h = 2 * Math.log(1.05);
  return makeVerdict('b', 'node', 'inconclusive', {
    ratio: 1,
    interval: [Math.exp(-h), Math.exp(h)],
    threshold: 0.05,
    runs: { baseline: 10, candidate: 10 },
    ...overrides,
  });
}

test('an interval twice as wide as the gap to the threshold needs four times the rounds', () => {
  const need = timeNeeded(twiceTheGap(), 5_000)!;
  assert.equal(need.rounds, 40);
  assert.equal(need.ms, 20_000, '500 ms per round now');
});

test('never fewer rounds than the significance floor the verdict records', () => {
  // The interval alone would need 40 rounds, but Holm over many cells needs 64 before p can reach alpha.
  assert.deepEqual(timeNeeded(twiceTheGap({ roundsNeeded: 64 }), 5_000), { rounds: 64, ms: 32_000 });
});

test('decided cells, a point estimate on the threshold, or too few rounds: no estimate', () => {
  assert.equal(timeNeeded(makeVerdict('b', 'node', 'unchanged'), 5_000), undefined);
  const onEdge = makeVerdict('b', 'node', 'inconclusive', { ratio: 1.05, interval: [0.9, 1.2], threshold: 0.05 });
  assert.equal(timeNeeded(onEdge, 5_000), undefined);
  const one = makeVerdict('b', 'node', 'inconclusive', { runs: { baseline: 1, candidate: 1 } });
  assert.equal(timeNeeded(one, 5_000), undefined);
});

test('a history verdict whose interval is the runner’s session spread: no estimate, more rounds would not narrow it', () => {
  assert.ok(timeNeeded(twiceTheGap(), 5_000), 'precondition: the same verdict without it has one');
  assert.equal(timeNeeded(twiceTheGap({ method: 'history', spreadBound: true }), 5_000), undefined);
});
