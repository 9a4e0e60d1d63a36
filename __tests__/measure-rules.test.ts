// The pure parts of the measure stage: round order, stop rule, failure classification, CPU lists,
// launcher timings, the metric table, hyperfine command lines and exports.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { roundOrder, stopReason } from '../src/measure/schedule.js';
import { classifyOutcome } from '../src/measure/classify-outcome.js';
import { parseCpuList, pinnedCommand } from '../src/measure/duet.js';
import { parseLauncherTimings } from '../src/measure/launcher-timings.js';
import { BUILTIN_METRICS, metricDef, isBuiltinMetric } from '../src/model/metrics.js';
import { hyperfineCommandLine, parseHyperfineJson } from '../src/measure/hyperfine-engine.js';
import { InputError } from '../src/model/input-error.js';
import type { ProcessOutcome } from '../src/measure/process.js';

describe('roundOrder', () => {
  test('two arms alternate AB, BA, AB, …; one arm always runs alone', () => {
    assert.deepEqual(
      [0, 1, 2, 3].map((r) => roundOrder(r, 2).join('')),
      ['01', '10', '01', '10'],
    );
    assert.deepEqual(roundOrder(5, 1), [0]);
  });
  test('over any two consecutive rounds each arm goes first once', () => {
    fc.assert(fc.property(fc.nat(10_000), (r) => new Set([roundOrder(r, 2)[0], roundOrder(r + 1, 2)[0]]).size === 2));
  });
});

describe('stopReason', () => {
  const limits = { minRuns: 5, maxRuns: 20, minTimeMs: 1000, maxTimeMs: 10_000 };
  const at = (runs: number, measuringMs: number, elapsedMs = measuringMs) => ({ runs, measuringMs, elapsedMs });
  test('goes on below minRuns even past the time budget, stops at maxRuns whatever the rule says', () => {
    assert.equal(
      stopReason(at(4, 50_000), limits, () => true),
      undefined,
    );
    assert.equal(
      stopReason(at(20, 10), limits, () => false),
      'max-runs',
    );
  });
  test('needs minTimeMs before the rule is asked; the budget ends it', () => {
    let asked = false;
    assert.equal(
      stopReason(at(6, 999), limits, () => (asked = true)),
      undefined,
    );
    assert.equal(asked, false);
    assert.equal(
      stopReason(at(6, 1000), limits, () => true),
      'converged',
    );
    assert.equal(
      stopReason(at(6, 1000), limits, () => false),
      undefined,
    );
    assert.equal(stopReason(at(6, 1000), limits), 'minimum');
    assert.equal(
      stopReason(at(6, 900, 10_000), limits, () => false),
      'max-time',
    );
  });
  test('the time budget does not end a cell before its verdict can reach significance; the hard caps do', () => {
    const reach = { ...limits, significanceRuns: 8 };
    assert.equal(
      stopReason(at(6, 20_000), reach, () => false),
      undefined,
      'past max-time, 6 of 8 rounds',
    );
    assert.equal(stopReason(at(6, 20_000), reach), undefined, 'no adaptive rule either');
    assert.equal(
      stopReason(at(8, 20_000), reach, () => false),
      'max-time',
    );
    assert.equal(
      stopReason(at(6, 20_000), reach, () => true),
      'converged',
      'a "within" stop needs no p-value',
    );
    assert.equal(
      stopReason(at(6, 20_000), { ...reach, hardMaxTimeMs: 15_000 }, () => false),
      'hard-max-time',
    );
    assert.equal(
      stopReason(at(6, 20_000), { ...reach, maxRuns: 6 }, () => false),
      'max-runs',
    );
    assert.equal(stopReason(at(4, 20_000), { ...reach, hardMaxTimeMs: 15_000 }), undefined, 'minRuns still first');
  });
  test('never ends a cell on max-time before significanceRuns, whatever the clock says', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(200_000), fc.integer({ min: 0, max: 25 }), (runs, ms, needed) => {
        const r = stopReason(at(runs, ms), { ...limits, significanceRuns: needed }, () => false);
        return r === 'max-time' ? runs >= needed : true;
      }),
    );
  });
  test('never stops before minRuns unless maxRuns is lower', () => {
    fc.assert(
      fc.property(fc.nat(30), fc.nat(20_000), fc.boolean(), (runs, ms, conv) => {
        const r = stopReason(at(runs, ms), limits, () => conv);
        return runs < limits.minRuns ? r === undefined : true;
      }),
    );
  });
});

describe('classifyOutcome', () => {
  const outcome = (o: Partial<ProcessOutcome>): ProcessOutcome => ({
    wallMs: 1,
    exitCode: 0,
    timedOut: false,
    stdoutHead: 'out',
    stdoutTruncated: false,
    stderrTail: 'err',
    ...o,
  });
  test('exit 0 is a sample; others are exit, trap, timeout or spawn failures carrying the output', () => {
    assert.equal(classifyOutcome(outcome({}), [134], 1000), undefined);
    assert.deepEqual(classifyOutcome(outcome({ exitCode: 2 }), [134], 1000), {
      kind: 'exit',
      exitCode: 2,
      message: 'the program exited with code 2: err. The program must exit 0: check its args, env and stdin.',
      stdoutHead: 'out',
      stderrTail: 'err',
    });
    assert.equal(classifyOutcome(outcome({ exitCode: 134 }), [134], 1000)?.kind, 'trap');
    assert.equal(classifyOutcome(outcome({ exitCode: 134 }), [1], 1000)?.kind, 'exit');
    const t = classifyOutcome(outcome({ exitCode: null, signal: 'SIGKILL', timedOut: true }), [], 1500);
    assert.equal(t?.kind, 'timeout');
    assert.match(t?.message ?? '', /1500 ms/);
    assert.equal(classifyOutcome(outcome({ exitCode: null, spawnError: 'spawn x ENOENT' }), [], 1)?.kind, 'spawn');
    assert.match(classifyOutcome(outcome({ exitCode: null, signal: 'SIGSEGV' }), [], 1)?.message ?? '', /SIGSEGV/);
  });

  test("iwasm's trap on stdout (`Exception: …`) is quoted when stderr is empty; a guest's own line is not", () => {
    // sightglass's shootout-ackermann on iwasm: the 64 KB default stack overflows (found by the outside check)
    const overflow = outcome({
      exitCode: 1,
      stdoutHead: '[ackermann] running\nException: wasm operand stack overflow\n',
      stderrTail: '',
    });
    const trap = classifyOutcome(overflow, [1], 1000);
    assert.equal(trap?.kind, 'trap');
    assert.match(trap?.message ?? '', /trapped \(exit code 1\): Exception: wasm operand stack overflow\. Fix/);
    const plain = classifyOutcome(
      outcome({ exitCode: 1, stdoutHead: 'Exceptions: 0\nbye\n', stderrTail: '' }),
      [1],
      1000,
    );
    assert.match(plain?.message ?? '', /trapped \(exit code 1\)\. Fix/);
    // stderr's line still comes first
    const both = classifyOutcome({ ...overflow, stderrTail: 'boom' }, [1], 1000);
    assert.match(both?.message ?? '', /\(exit code 1\): boom\./);
  });

  test('too much output, a cancelled run and a spawn error each say so', () => {
    assert.equal(
      classifyOutcome(outcome({ exitCode: null, signal: 'SIGKILL', outputLimited: true }), [], 1)?.kind,
      'output',
    );
    assert.equal(
      classifyOutcome(outcome({ exitCode: null, signal: 'SIGKILL', cancelled: true }), [], 1)?.kind,
      'cancelled',
    );
    assert.match(
      classifyOutcome(outcome({ exitCode: null, spawnError: 'spawn E2BIG' }), [], 1)?.message ?? '',
      /E2BIG/,
    );
  });

  test('stderr patterns tell a trap from a load failure and a runtime error, quoting the first error line', () => {
    const patterns = [
      { kind: 'trap' as const, pattern: /^Error: \[trap\]/ },
      { kind: 'runtime' as const, pattern: /overran its stack height limit/ },
      { kind: 'load' as const, pattern: /^Error: missing imported function/ },
    ];
    const stack = classifyOutcome(
      outcome({
        exitCode: 1,
        stderrHead: 'Error: compiling function overran its stack height limit\nmore',
        stderrTail: 'more',
      }),
      [1],
      1000,
      patterns,
    );
    assert.equal(stack?.kind, 'runtime', stack?.message);
    assert.match(stack?.message ?? '', /not a trap.*compiling function overran its stack height limit/);
    const trap = classifyOutcome(
      outcome({ exitCode: 1, stderrTail: 'Error: [trap] unreachable executed' }),
      [1],
      1,
      patterns,
    );
    assert.equal(trap?.kind, 'trap');
    assert.match(trap?.message ?? '', /\[trap\] unreachable executed/);
    const load = classifyOutcome(
      outcome({ exitCode: 1, stderrTail: 'Error: missing imported function env.f' }),
      [1],
      1,
      patterns,
    );
    assert.equal(load?.kind, 'load');
    // The runtime has trap patterns and none matched: exit 1 is the guest's own exit status.
    const own = classifyOutcome(outcome({ exitCode: 1, stderrTail: 'usage: prog N' }), [1], 1, patterns);
    assert.equal(own?.kind, 'exit');
    assert.match(own?.message ?? '', /exited with code 1: usage: prog N/);
    // Without patterns the exit code still decides.
    assert.equal(classifyOutcome(outcome({ exitCode: 1, stderrTail: 'boom' }), [1], 1)?.kind, 'trap');
  });
});

describe('duet helpers', () => {
  test('parseCpuList reads Linux cpu lists', () => {
    assert.deepEqual(parseCpuList('0-2,5,7-8\n'), [0, 1, 2, 5, 7, 8]);
    assert.deepEqual(parseCpuList('3'), [3]);
  });
  test('pinnedCommand prefixes taskset -c and keeps env/cwd', () => {
    const c = pinnedCommand({ argv: ['node', 'x'], env: { A: '1' }, cwd: '/w' }, '/usr/bin/taskset', 1);
    assert.deepEqual(c, { argv: ['/usr/bin/taskset', '-c', '1', 'node', 'x'], env: { A: '1' }, cwd: '/w' });
  });
});

describe('parseLauncherTimings', () => {
  test('maps the launcher fields to metric ids and derives cpu', () => {
    const v = parseLauncherTimings(
      '{"compileMs":1.5,"instantiateMs":0.5,"executeMs":10,"peakRssBytes":4096,"userMs":8,"sysMs":2}',
    );
    assert.deepEqual(v, { compile: 1.5, instantiate: 0.5, execute: 10, 'peak-rss': 4096, user: 8, sys: 2, cpu: 10 });
    assert.deepEqual(parseLauncherTimings('{"executeMs":3,"userMs":"x"}'), { execute: 3 });
    assert.throws(() => parseLauncherTimings('null'));
  });
  test('every id it produces is a metric of the table', () => {
    const v = parseLauncherTimings(
      '{"compileMs":1,"instantiateMs":1,"executeMs":1,"peakRssBytes":1,"userMs":1,"sysMs":1}',
    );
    for (const id of Object.keys(v)) assert.ok(isBuiltinMetric(id), id);
  });
});

describe('metric table', () => {
  test('has the built-in rows with units and ids that are unique', () => {
    assert.deepEqual(
      BUILTIN_METRICS.map((m) => `${m.id}:${m.unit}`),
      [
        'wall:ms',
        'user:ms',
        'sys:ms',
        'cpu:ms',
        'peak-rss:bytes',
        'compile:ms',
        'instantiate:ms',
        'execute:ms',
        'region:ms',
      ],
    );
    assert.equal(new Set(BUILTIN_METRICS.map((m) => m.id)).size, BUILTIN_METRICS.length);
  });
  test("metricDef knows built-ins and the benchmark's program metrics", () => {
    assert.equal(metricDef('wall')?.direction, 'lower');
    const ops = { name: 'ops', pattern: 'ops=(?<value>\\d+)', unit: 'ops/s', direction: 'higher' as const };
    assert.deepEqual(metricDef('ops', [ops]), {
      id: 'ops',
      label: 'ops',
      unit: 'ops/s',
      direction: 'higher',
      source: 'program',
    });
    assert.equal(metricDef('ops'), undefined);
  });
});

describe('hyperfine command line', () => {
  test('leaves plain words bare and single-quotes the rest', () => {
    assert.equal(
      hyperfineCommandLine(['/usr/bin/node', '--flag=1', 'a b', "it's", '', '$HOME']),
      `/usr/bin/node --flag=1 'a b' 'it'\\''s' '' '$HOME'`,
    );
  });
  test('rejects what it cannot represent with an error naming the engine input', () => {
    assert.throws(
      () => hyperfineCommandLine(['x', 'a\0b']),
      (e) => e instanceof InputError && e.input === 'engine',
    );
    assert.throws(() => hyperfineCommandLine(['x', '\uD800']), InputError);
  });
  test('parseHyperfineJson turns seconds into ms and keeps exit codes', () => {
    const r = parseHyperfineJson('{"results":[{"times":[0.1,0.25],"exit_codes":[0,null]}]}');
    assert.deepEqual(r, { wallMs: [100, 250], exitCodes: [0, null] });
    assert.throws(() => parseHyperfineJson('{"results":[]}'));
  });
});
