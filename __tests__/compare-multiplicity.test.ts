import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { compareAll } from '../src/compare/compare.js';
import type { Correction } from '../src/stats/multiple.js';
import { MACHINE, bench, cell, lowerIsBetter, pairedArms } from './helpers/stats-synthetic.js';

/** 200 cells, each an A/A-like pair of arms with no true change except the ones listed. */
function run(
  correction: Correction,
  threshold: number,
  real: ReadonlyMap<number, number> = new Map(),
  rounds = 12,
  disagree?: number,
) {
  const benchmarks = Array.from({ length: 200 }, (_, i) => bench(`b${i}`, { threshold }));
  const measurements = benchmarks.map((b, i) => {
    const { baseline, candidate } = pairedArms({
      rounds,
      ratio: real.get(i) ?? 1,
      sigma: 0.02,
      roundSigma: 0.02,
      seed: 5000 + i,
    });
    if (i === disagree) candidate[0] = baseline[0]! * 0.97; // one round the other way: the t-test is not asked
    return cell(b.id, candidate, baseline);
  });
  return compareAll({ machine: MACHINE, metricInfo: lowerIsBetter, measurements, benchmarks, options: { correction } });
}

const alarms = (verdicts: ReturnType<typeof run>) =>
  verdicts.filter((v) => v.kind === 'regressed' || v.kind === 'improved');

describe('multiplicity control across the whole run', () => {
  // Threshold 0 leaves the p-value as the only guard, so the count shows what the correction does.
  test('200 null cells: unadjusted p-values false-alarm by count, Holm does not', () => {
    const unadjusted = alarms(run('none', 0));
    const holm = alarms(run('holm', 0));
    assert.ok(unadjusted.length >= 3, `expected ~5% of 200 unadjusted alarms, got ${unadjusted.length}`);
    assert.ok(holm.length <= 1, `Holm raised ${holm.length} false alarms`);
  });

  test('adjusted p-values are reported and never below the raw ones', () => {
    for (const v of run('holm', 0)) assert.ok(v.adjustedP! >= v.pValue! && v.adjustedP! <= 1);
  });

  test('with the default 5% threshold, 200 null cells raise no alarm at all', () => {
    assert.equal(alarms(run('holm', 0.05)).length, 0);
  });

  test('Holm still catches real regressions hidden among 195 null cells', () => {
    const real = new Map([
      [3, 1.1],
      [50, 1.08],
      [99, 1.12],
      [150, 1.1],
      [199, 1.09],
    ]);
    const found = alarms(run('holm', 0.05, real, 16));
    assert.deepEqual(found.map((v) => v.benchmark).sort(), [...real.keys()].map((i) => `b${i}`).sort());
    assert.ok(found.every((v) => v.kind === 'regressed'));
  });

  // 12 pairs: the signed-rank p-value cannot go below 2^-11 ≈ 0.0005, and Holm over 200 cells asks for 0.00025.
  test('too few rounds for the run size, every pair slower: the t-test on the log ratios reaches it', () => {
    const v = run('holm', 0.05, new Map([[3, 1.1]]), 12).find((x) => x.benchmark === 'b3')!;
    assert.equal(v.kind, 'regressed', `${v.kind} ${v.ratio} p=${v.pValue} adj=${v.adjustedP}`);
    assert.match(v.statistic!, /\+ t$/);
    assert.ok(v.adjustedP! < 0.05);
  });

  test('too few rounds, one pair the other way: likely regressed, and the notes say how many rounds are needed', () => {
    const v = run('holm', 0.05, new Map([[3, 1.1]]), 12, 3).find((x) => x.benchmark === 'b3')!;
    assert.equal(v.kind, 'likely-regressed', `${v.kind} ${v.ratio} ${v.interval} adj=${v.adjustedP}`);
    assert.ok(v.pValue! < 0.05 && v.adjustedP! >= 0.05);
    assert.ok(
      v.notes.some((n) => n.includes('after holm correction across 200 cells')),
      v.notes.join('; '),
    );
    let needed = 1;
    while (2 ** (1 - needed) >= 0.05 / 200) needed++;
    assert.equal(v.roundsNeeded, needed);
    assert.ok(
      v.notes.some((n) => n.includes(`at least ${needed} rounds`)),
      v.notes.join('; '),
    );
    assert.match(v.whyNotCalled ?? '', new RegExp(`after holm over 200 cells.*12 rounds measured, ${needed} needed`));
  });
});
