// Disturbed rounds: a run whose wall time stretched past its CPU time, and that was preempted more than
// usual, is disturbed; a round with a disturbed arm is left out and played again, within a bound.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CONTEXT, isDisturbed, mayExclude, splitContext } from '../src/measure/disturbance.js';
import { measureCell, type ArmInput } from '../src/measure/engine.js';
import type { Sample } from '../src/model/measurement.js';
import { liveCell, liveLine, recordProgress } from '../src/report/live-line.js';
import { command, measureFixture, measureOptions } from './helpers/measure-env.js';

const run = (wall: number, cpu: number, invcsw?: number, round = 0): Sample => ({
  values: { wall, cpu },
  exitCode: 0,
  round,
  ...(invcsw === undefined ? {} : { context: { involuntaryContextSwitches: invcsw } }),
});
const steady = [run(100, 90, 2), run(102, 91, 3), run(99, 90, 2), run(101, 92, 2)];

describe('the rule', () => {
  test('wall stretched > 10% past the arm’s usual wall ÷ CPU, and preempted more than usual: disturbed', () => {
    assert.equal(isDisturbed(run(130, 90, 40), steady), true);
    assert.equal(isDisturbed(run(130, 90, 2), steady), false, 'stretched, but not preempted more: its own waits');
    assert.equal(isDisturbed(run(108, 90, 40), steady), false, 'within 10%');
  });

  test('a candidate that is simply slower (more CPU work too) is never disturbed', () => {
    assert.equal(isDisturbed(run(150, 135, 3), steady), false);
  });

  test('without enough history, or without CPU time, nothing is judged', () => {
    assert.equal(isDisturbed(run(300, 90, 40), steady.slice(0, 2)), false);
    assert.equal(isDisturbed({ values: { wall: 300 }, exitCode: 0, round: 0 }, steady), false);
  });

  test('at most a quarter of the rounds played may be left out', () => {
    assert.equal(mayExclude(0, 3), false);
    assert.equal(mayExclude(0, 4), true);
    assert.equal(mayExclude(1, 4), false);
    assert.equal(mayExclude(1, 8), true);
  });

  test('context keys are split off the metric values', () => {
    assert.deepEqual(splitContext({ wall: 1, cpu: 2, [CONTEXT.invcsw]: 7, [CONTEXT.core]: 1 }), {
      values: { wall: 1, cpu: 2 },
      context: { involuntaryContextSwitches: 7, core: 1 },
    });
  });
});

describe('the engine (real processes; the disturbance is reported by the arm’s reader)', () => {
  test('a disturbed round is left out of both arms, recorded, and played again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'disturb-'));
    try {
      let candidateRuns = 0;
      const arm = (name: 'candidate' | 'baseline', label: string): ArmInput => ({
        arm: name,
        command: command([process.execPath, measureFixture('mark.mjs'), join(dir, 'log'), label]),
        // Wall is the real one; the 5th timed candidate run reports half its wall as CPU and 50 preemptions.
        readExtra: (o) => {
          const hit = name === 'candidate' && ++candidateRuns === 5;
          return { cpu: hit ? o.wallMs / 2 : o.wallMs * 0.9, [CONTEXT.invcsw]: hit ? 50 : 1 };
        },
      });
      // The live line is fed the engine's own events: it must count the kept rounds, never past max-runs.
      const live = liveCell('mark', 'node', {
        threshold: 0.05,
        minRuns: 8,
        maxRuns: 8,
        maxTimeMs: 60_000,
        adaptive: true,
      });
      const shown: string[] = [];
      const cell = await measureCell({
        arms: [arm('candidate', 'C'), arm('baseline', 'B')],
        options: measureOptions({ minRuns: 8, maxRuns: 8 }),
        trapExitCodes: [],
        onProgress: (e) => {
          recordProgress(live, e);
          shown.push(liveLine(live).match(/round (\d+)\/8/)?.[1] ?? '');
        },
      });
      assert.deepEqual(cell.disturbance, { excluded: 1, kept: 0 });
      assert.equal(cell.candidate.samples.length, 8, 'the left-out round was replaced');
      assert.equal(cell.baseline!.samples.length, 8);
      const out = cell.candidate.excluded!.map((s) => s.round);
      assert.deepEqual(out, [4]);
      assert.deepEqual(
        cell.baseline!.excluded!.map((s) => s.round),
        out,
        'both arms of the round',
      );
      assert.ok(!cell.candidate.samples.some((s) => s.round === 4));
      assert.deepEqual(cell.candidate.samples.at(-1)!.context, { involuntaryContextSwitches: 1 });
      const counts = shown.filter(Boolean).map(Number);
      assert.ok(Math.max(...counts) <= 8, `the live line counted past max-runs: ${counts.join(' ')}`);
      assert.equal(
        counts.at(-1),
        cell.candidate.samples.length,
        `last live count vs the final rounds: ${counts.join(' ')}`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
