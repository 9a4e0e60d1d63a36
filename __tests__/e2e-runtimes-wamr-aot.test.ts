// Issue 27, iwasm:aot for real: WAMR's iwasm and its AOT compiler wamrc from the same commit
// (../shared/runtimes/linux-x64/, its README), iwasm given by path and wamrc taken from beside it, end to end
// through dist/index.js. A C program built with clang at -O0 against its -O2 build: wamrc's compile is timed
// (aot-compile) and its output's size recorded (aot-size) on both arms, the timed runs execute the .aot, and
// the -O0 build is flagged on wall time (wamrc's LLVM does not undo -O0's shadow-stack traffic: ~2.4× here).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { cPrograms, gatePullRequest, prWorkspace, reportOf, why } from './helpers/program-gate.js';
import { sharedExe, skipUnlessShared } from './helpers/real-runtimes.js';
import { scratchDir } from './helpers/run-action.js';

const SOURCE = '__tests__/fixtures/measure/fibonacci-repeat.c'; // fib(32) unless given an argument
const { clang, bins } = cPrograms('wamr-aot-bins-', {
  o2: { source: SOURCE },
  o0: { source: SOURCE, flags: ['-O0'] },
});
const shared = skipUnlessShared('iwasm', 'wamrc');
const needs = { skip: clang.skip || shared.skip };

describe('iwasm:aot with the real wamrc', needs, () => {
  test('-O0 against -O2: aot-compile and aot-size measured on both arms, wall flagged', async () => {
    const iwasm = sharedExe('iwasm')!;
    const ws = prWorkspace({ 'build/fib.wasm': { from: bins.o0 }, 'base/fib.wasm': { from: bins.o2 } }, 'wamr-aot-');
    const r = await gatePullRequest(
      ws,
      {
        artifacts: 'build/*.wasm',
        'baseline-artifacts': 'base/*.wasm',
        runtimes: `iwasm:aot@${iwasm}`,
        metrics: 'wall, aot-compile, aot-size',
        // 10 runs (one timed compile each) on a loaded 2-core machine: at the helper's alpha 0.001 the 2.4×
        // slowdown was once not called; this test has no A/A cell, so a looser alpha cannot make it cry wolf.
        alpha: '0.01',
      },
      { runs: 10 },
    );
    const report = reportOf(r);
    const version = /iwasm (\S+)/.exec(execFileSync(iwasm, ['--version'], { encoding: 'utf8' }))![1]!;
    assert.deepEqual(
      report.runtimes.map((rt) => [rt.id, rt.exe]),
      [[`iwasm:aot@${version}`, iwasm]],
      why(r),
    );

    // The -O0 build is flagged on wall time and fails the step.
    assert.notEqual(r.code, 0, why(r));
    const verdict = (metric: string) => report.verdicts.find((v) => v.metric === metric);
    assert.match(verdict('wall')?.kind ?? '', /^(regressed|likely-regressed)$/, why(r));
    for (const metric of ['aot-compile', 'aot-size']) {
      const v = verdict(metric);
      assert.ok(v !== undefined && v.failure === undefined, `${metric}: ${JSON.stringify(v)}${why(r)}`);
    }

    // Compile times from wamrc's runs on each arm; the baseline's size is that of the .aot wamrc writes for it.
    const aot = report.measurements[0]?.aot;
    assert.ok(aot?.baseline !== undefined, why(r));
    for (const arm of [aot, aot.baseline]) {
      assert.equal(arm.compileMs.length, 10, 'min-runs compiles per arm when aot-compile is gated');
      assert.ok(arm.compileMs.every((ms) => ms > 0));
    }
    const own = join(scratchDir('wamrc-'), 'fib.aot');
    execFileSync(sharedExe('wamrc')!, ['-o', own, bins.o2], { stdio: 'ignore' });
    assert.equal(aot.baseline.sizeBytes, statSync(own).size);
    assert.ok(aot.sizeBytes > 0);

    // The report's AOT table shows both arms' compile time and output size.
    assert.match(r.summary, /### Ahead-of-time compilation/, r.summary);
    assert.match(
      r.summary,
      new RegExp(
        `\\| <code>iwasm:aot@${version.replaceAll('.', '\\.')}</code> \\| [0-9.]+ m?s \\(10×\\) \\| [0-9.]+ KiB \\|`,
      ),
      r.summary,
    );
  });
});
