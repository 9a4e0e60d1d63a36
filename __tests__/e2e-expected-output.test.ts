// Issue 27, checked output, end to end through dist/index.js on node: the sightglass convention
// (`<stem>.stdout.expected`, else `default.stdout.expected`, beside the module) and `expect-stdout:` /
// `expect-stderr:` per benchmark. A program that prints something else fails its cell as `wrong-output`
// with a short diff (never timed, never `improved`); a bad expected file is refused naming the benchmark.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cPrograms, gatePullRequest, prWorkspace, reportOf, why } from './helpers/program-gate.js';
import type { ActionRun } from './helpers/run-action.js';

const SOURCE = '__tests__/fixtures/sightglass/print.c';
// clang with wasi-libc builds the programs: without it these tests are skipped (a failure under CI=true).
const { clang, bins } = cPrograms('expected-bins-', {
  /** prints `result 10` */
  ten: { source: SOURCE },
  /** prints `result 11`: the "changed" program */
  eleven: { source: SOURCE, flags: ['-DRESULT=11'] },
});
const { ten, eleven } = bins;

/** A workspace: build/prog.wasm (candidate), base/prog.wasm (merge-base), extra files, and perf.yml. */
function workspace(candidate: string, files: Record<string, string | Buffer>, config?: string): string {
  return prWorkspace(
    {
      'build/prog.wasm': { from: candidate },
      'base/prog.wasm': { from: ten },
      ...files,
      'perf.yml': config ?? 'runtimes: [node]\nbenchmarks:\n  - { name: prog, artifact: build/prog.wasm }\n',
    },
    'expected-',
  );
}

function gate(ws: string): Promise<ActionRun> {
  return gatePullRequest(
    ws,
    { config: 'perf.yml', 'baseline-artifacts': 'base/*.wasm', threshold: '100%' },
    { runs: 4, warmup: 0 },
  );
}

describe('expected output (sightglass convention and expect-stdout/expect-stderr)', clang, () => {
  test('<stem>.stdout.expected beside the module: the A/A run passes', async () => {
    const r = await gate(workspace(ten, { 'build/prog.stdout.expected': 'result 10\n' }));
    assert.equal(r.code, 0, why(r));
    assert.equal(r.outputs['verdict'], 'pass', why(r));
  });

  test('a program that prints something else fails as wrong-output with a diff, never improved', async () => {
    const r = await gate(workspace(eleven, { 'build/prog.stdout.expected': 'result 10\n' }));
    assert.notEqual(r.code, 0, why(r));
    const verdicts = reportOf(r).verdicts.filter((v) => v.benchmark === 'prog');
    assert.ok(verdicts.length > 0 && verdicts.every((v) => v.kind === 'failed'), JSON.stringify(verdicts));
    const failure = verdicts[0]!.failure!;
    assert.equal(failure.kind, 'wrong-output');
    assert.match(failure.message, /^wrong output: stdout differs from build\/prog\.stdout\.expected/);
    assert.match(failure.message, /line 1: expected "result 10", got "result 11"/);
    assert.match(r.stdout, /::error::.*prog.*wrong output/);
  });

  test('default.stdout.expected is used when the module has no file of its own', async () => {
    const r = await gate(workspace(eleven, { 'build/default.stdout.expected': 'result 10\n' }));
    assert.notEqual(r.code, 0, why(r));
    assert.match(reportOf(r).verdicts[0]!.failure!.message, /differs from build\/default\.stdout\.expected/);
  });

  test('expect-stdout: a file, and expect-stderr: { regex } from the config', async () => {
    const config = (stderr: string) =>
      `runtimes: [node]\nbenchmarks:\n  - name: prog\n    artifact: build/prog.wasm\n    expect-stdout: want.txt\n    expect-stderr: { regex: '${stderr}' }\n`;
    const ok = await gate(workspace(ten, { 'want.txt': 'result 10\r\n\n' }, config('^done$')));
    assert.equal(ok.code, 0, why(ok));
    const bad = await gate(workspace(ten, { 'want.txt': 'result 10\n' }, config('^finished')));
    assert.notEqual(bad.code, 0, why(bad));
    assert.match(
      reportOf(bad).verdicts[0]!.failure!.message,
      /stderr does not match expect-stderr: \{ regex: \^finished \}/,
    );
  });

  test('a bad expected file is refused naming the benchmark: not UTF-8, missing, too large', async () => {
    const notUtf8 = await gate(workspace(ten, { 'build/prog.stdout.expected': Buffer.from([0x72, 0xff, 0x0a]) }));
    assert.notEqual(notUtf8.code, 0);
    assert.match(
      notUtf8.stdout,
      /::error::benchmark prog: expected output build\/prog\.stdout\.expected is not UTF-8 text/,
    );
    const config =
      'runtimes: [node]\nbenchmarks:\n  - { name: prog, artifact: build/prog.wasm, expect-stdout: nope.txt }\n';
    const missing = await gate(workspace(ten, {}, config));
    assert.notEqual(missing.code, 0);
    assert.match(missing.stdout, /::error::config: benchmarks\[0\]\.expect-stdout: nope\.txt: no such file/);
    const huge = await gate(workspace(ten, { 'build/prog.stdout.expected': 'x'.repeat(16 * 1024 * 1024 + 1) }));
    assert.notEqual(huge.code, 0);
    assert.match(
      huge.stdout,
      /::error::benchmark prog: expected output build\/prog\.stdout\.expected is 16777217 bytes, over the 16 MiB limit/,
    );
  });
});
