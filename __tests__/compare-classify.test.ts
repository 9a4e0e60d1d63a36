import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { classifyChange, type ClassifyInput } from '../src/compare/classify.js';

const inputs: fc.Arbitrary<ClassifyInput> = fc
  .record({
    ratio: fc.double({ min: 0.5, max: 2, noNaN: true }),
    below: fc.double({ min: 0, max: 0.3, noNaN: true }),
    above: fc.double({ min: 0, max: 0.3, noNaN: true }),
    adjustedP: fc.double({ min: 0, max: 1, noNaN: true }),
    threshold: fc.constantFrom(0, 0.02, 0.05, 0.1),
    direction: fc.constantFrom('lower' as const, 'higher' as const),
  })
  .map(({ ratio, below, above, ...rest }) => {
    const interval: [number, number] = [ratio * (1 - below), ratio * (1 + above)];
    return { ...rest, ratio, interval, minDetectable: Math.sqrt(interval[1] / interval[0]) - 1, alpha: 0.05 };
  });

const swap = {
  regressed: 'improved',
  improved: 'regressed',
  'likely-regressed': 'likely-improved',
  'likely-improved': 'likely-regressed',
} as Record<string, string>;

describe('classifyChange invariants (never cry wolf)', () => {
  test('no change is called when the interval contains 1 or the adjusted p-value is not below alpha', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const kind = classifyChange(input);
        if (kind !== 'regressed' && kind !== 'improved') return;
        assert.ok(input.interval[0] > 1 || input.interval[1] < 1);
        assert.ok(input.adjustedP < input.alpha);
        assert.ok(Math.abs(input.ratio - 1) > input.threshold);
      }),
      { seed: 19, numRuns: 2000 },
    );
  });

  test('flipping the metric direction swaps regressed and improved and nothing else', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const flipped = classifyChange({ ...input, direction: input.direction === 'lower' ? 'higher' : 'lower' });
        const kind = classifyChange(input);
        assert.equal(flipped, swap[kind] ?? kind);
      }),
      { seed: 20, numRuns: 2000 },
    );
  });

  test('unchanged exactly when not a change and the interval lies within ±threshold', () => {
    fc.assert(
      fc.property(inputs, (input) => {
        const kind = classifyChange(input);
        const inside = input.interval[0] >= 1 - input.threshold && input.interval[1] <= 1 + input.threshold;
        if (kind === 'unchanged') assert.ok(inside);
        if (kind === 'inconclusive') assert.ok(!inside);
      }),
      { seed: 21, numRuns: 2000 },
    );
  });

  test('an undefined ratio is inconclusive', () => {
    assert.equal(
      classifyChange({
        ratio: NaN,
        interval: [NaN, NaN],
        minDetectable: Infinity,
        adjustedP: 0,
        threshold: 0.05,
        direction: 'lower',
        alpha: 0.05,
      }),
      'inconclusive',
    );
  });

  test('likely regressed/improved exactly when the whole confident interval lies beyond the threshold without a call', () => {
    fc.assert(
      fc.property(inputs, fc.boolean(), (input, confident) => {
        const kind = classifyChange({ ...input, intervalConfident: confident });
        const [lo, hi] = input.interval;
        const t = input.threshold;
        const wholeBeyond = lo > 1 + t || hi < 1 - t;
        if (kind === 'likely-regressed' || kind === 'likely-improved') assert.ok(wholeBeyond && confident);
        if (kind === 'inconclusive') assert.ok(!wholeBeyond || !confident);
        if (wholeBeyond && confident) assert.notEqual(kind, 'inconclusive');
        const worseUp = input.direction === 'lower';
        if (kind === 'likely-regressed') assert.ok(worseUp ? lo > 1 + t : hi < 1 - t);
      }),
      { seed: 22, numRuns: 2000 },
    );
  });

  test('a 5× slowdown measured over 6 rounds is likely regressed when its p-value cannot reach alpha', () => {
    const rule = {
      ratio: 5.18,
      interval: [5.12, 5.23] as [number, number],
      minDetectable: 0.01,
      adjustedP: 0.12,
      threshold: 0.05,
      direction: 'lower' as const,
      alpha: 0.05,
    };
    assert.equal(classifyChange(rule), 'likely-regressed');
    assert.equal(classifyChange({ ...rule, adjustedP: 0.01 }), 'regressed');
    assert.equal(classifyChange({ ...rule, intervalConfident: false }), 'inconclusive');
    assert.equal(classifyChange({ ...rule, interval: [1.02, 9] }), 'inconclusive', 'a straddling interval');
  });

  test('an interval wider than the threshold calls a change only past it — unless no run count could narrow it', () => {
    // +9% [+3.3%, +14.7%]: the near end clears half the threshold, not all of it; half-width 5.7% > 5%.
    const rule = {
      ratio: 1.09,
      interval: [1.033, 1.147] as [number, number],
      minDetectable: 0.057,
      adjustedP: 0.004,
      threshold: 0.05,
      direction: 'lower' as const,
      alpha: 0.05,
    };
    assert.equal(classifyChange(rule), 'inconclusive', 'imprecise: measure more');
    assert.equal(
      classifyChange({ ...rule, spreadBound: true }),
      'regressed',
      "the runner's spread: it is as precise as it gets",
    );
    assert.equal(
      classifyChange({ ...rule, spreadBound: true, interval: [1.02, 1.16] }),
      'inconclusive',
      'near end under t/2',
    );
    assert.equal(classifyChange({ ...rule, spreadBound: true, adjustedP: 0.2 }), 'inconclusive', 'p-value not reached');
    assert.equal(
      classifyChange({ ...rule, spreadBound: true, ratio: 1.04 }),
      'inconclusive',
      'estimate inside the threshold',
    );
  });
});
