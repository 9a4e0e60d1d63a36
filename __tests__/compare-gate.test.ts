import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { gateOutcome } from '../src/compare/gate.js';
import type { Verdict, VerdictKind } from '../src/model/verdict.js';

function verdict(kind: VerdictKind, benchmark: string = kind): Verdict {
  const v: Verdict = {
    benchmark,
    runtime: 'wasmtime',
    metric: 'wall',
    unit: 'ms',
    direction: 'lower',
    kind,
    threshold: 0.05,
    method: 'paired',
    runs: { baseline: 10, candidate: 10 },
    notes: [],
  };
  if (kind === 'regressed') v.ratio = 1.1;
  if (kind === 'likely-regressed')
    Object.assign(v, { ratio: 5.18, interval: [5.12, 5.23], adjustedP: 0.12, roundsNeeded: 8 });
  if (kind === 'likely-regressed') v.runs = { baseline: 6, candidate: 6 };
  if (kind === 'failed') v.failure = { kind: 'trap', message: 'unreachable executed', stdoutHead: '', stderrTail: '' };
  return v;
}

const strict = { failOnRegression: true, failOnInconclusive: false };

describe('gateOutcome', () => {
  test('all unchanged, improved, new or missing: pass', () => {
    const out = gateOutcome(
      ['unchanged', 'improved', 'new', 'missing'].map((k) => verdict(k as VerdictKind)),
      strict,
    );
    assert.deepEqual(
      [out.headline, out.shouldFail, out.regressions, out.failed, out.reasons.length],
      ['pass', false, 0, 0, 0],
    );
  });

  test('a regression fails the job only when fail-on-regression is set', () => {
    const vs = [verdict('unchanged'), verdict('regressed', 'fib')];
    const out = gateOutcome(vs, strict);
    assert.deepEqual([out.headline, out.shouldFail, out.regressions], ['regressed', true, 1]);
    assert.ok(out.reasons[0]!.includes('fib') && out.reasons[0]!.includes('+10.0%'));
    const lenient = gateOutcome(vs, { failOnRegression: false, failOnInconclusive: false });
    assert.deepEqual([lenient.headline, lenient.shouldFail], ['regressed', false]);
  });

  test('a run failure heads the outcome and always fails', () => {
    const out = gateOutcome([verdict('regressed'), verdict('failed', 'crash')], {
      failOnRegression: false,
      failOnInconclusive: false,
    });
    assert.deepEqual([out.headline, out.shouldFail, out.failed], ['failed', true, 1]);
    assert.ok(out.reasons.some((r) => r.includes('crash') && r.includes('unreachable executed')));
  });

  test('inconclusive cells fail only with fail-on-inconclusive', () => {
    const vs = [verdict('inconclusive')];
    assert.equal(gateOutcome(vs, strict).shouldFail, false);
    const out = gateOutcome(vs, { failOnRegression: true, failOnInconclusive: true });
    assert.deepEqual([out.headline, out.shouldFail, out.inconclusive], ['pass', true, 1]);
  });

  test('a likely regression (whole interval past the threshold, p short of alpha) fails by default', () => {
    const vs = [verdict('unchanged'), verdict('likely-regressed', 'coremark')];
    const out = gateOutcome(vs, strict);
    assert.deepEqual([out.headline, out.shouldFail, out.regressions, out.likelyRegressions], ['regressed', true, 1, 1]);
    assert.match(out.reasons[0]!, /coremark .*likely-regressed \+418\.0% \[\+412\.0%, \+423\.0%\]/);
    assert.match(out.reasons[0]!, /in 6 of the 8 rounds it needed/);
    const relaxed = gateOutcome(vs, { ...strict, failOnLikelyRegression: false });
    assert.deepEqual(
      [relaxed.headline, relaxed.shouldFail, relaxed.regressions, relaxed.likelyRegressions],
      ['pass', false, 0, 1],
    );
  });
});
