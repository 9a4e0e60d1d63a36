// The `instructions` metric under node: counted outside the timed loop (perf where the counter works,
// else valgrind cachegrind), repeatable within 1% for the same artifact, and higher for more inner work.
// Slow by nature (cachegrind ≈ 50×): few runs of a workload sized to dominate node's own start-up.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { detectInstructionCounter, parseCachegrind, parsePerfStat } from '../src/measure/instructions.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import { exampleWasm } from './helpers/measure-env.js';
import { bench, measure, plan, runtime, values } from './fixtures/metrics/setup.js';
import { requireTool } from './helpers/tools.js';

describe('counter output', () => {
  test('perf stat -x, and cachegrind logs', () => {
    assert.equal(parsePerfStat('# started on …\n\n1234567,,instructions:u,1000,100.00,,\n'), 1234567);
    assert.throws(
      () => parsePerfStat('<not supported>,,instructions:u,0,100.00,,\n'),
      /could not count instructions \(<not supported>\)/,
    );
    assert.equal(parseCachegrind('==1== Command: node\n==1== \n==1== I   refs:      2,687,382,363\n'), 2687382363);
    assert.throws(() => parseCachegrind('==1== error'), /no "I refs" line/);
  });
});

const counter = await detectInstructionCounter();

describe(
  'instructions of examples/wasm/work.wasm under node',
  requireTool('valgrind', () => counter.source !== 'none'),
  () => {
    let node: ResolvedRuntime;
    before(async () => {
      node = await runtime('node');
    });
    // 300 units of work ≈ as many instructions as node's start-up, so +10% work shows clearly in the total.
    const count = async (units: number, runs: number) => {
      const b = bench(`work-${units}`, exampleWasm('work'), node, {
        args: [String(units)],
        metrics: ['wall', 'instructions'],
      });
      const [cell] = await measure(plan([b], { minRuns: runs, maxRuns: runs, instructionRuns: runs }), [node]);
      assert.equal(cell!.candidate.failure, undefined);
      return cell!;
    };

    test('the same artifact twice within 2.5%; +10% inner work counts more than +4%', async () => {
      const same = await count(300, 2);
      assert.equal(same.instructions?.source, counter.source);
      assert.ok(
        same.notes?.some((n) => n.startsWith('instructions counted by')),
        JSON.stringify(same.notes),
      );
      const [a, b] = values(same, 'instructions') as [number, number];
      assert.deepEqual(same.instructions?.candidate, [a, b]);
      // V8's background threads (GC, tier-up) make node's count vary: 0.4% and 1.3% apart seen here.
      assert.ok(Math.abs(a / b - 1) < 0.025, `${a} vs ${b}`);
      assert.equal(values(same, 'wall').length, 2, 'the timed runs are separate');

      const more = await count(330, 1);
      const [c] = values(more, 'instructions') as [number];
      assert.ok(c / ((a + b) / 2) > 1.04, `${c} vs ${(a + b) / 2}: +${((c / ((a + b) / 2) - 1) * 100).toFixed(1)}%`);
    });
  },
);
