// The plan side of issue 27: kernel keys checked against the export's signature (as the I/O edge reads it),
// metrics defaulting to `region` for kernels and marked modules, and the keys that only make sense together.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { parseConfigFile } from '../src/config/config-file.js';
import { readInputs } from '../src/config/inputs.js';
import { buildPlan } from '../src/config/plan.js';
import { exampleWasm, repoRoot } from './helpers/measure-env.js';

const FILE = exampleWasm('score');
const planFrom = (yaml: string, marked = false) =>
  buildPlan({
    inputs: readInputs(() => undefined),
    config: parseConfigFile(yaml, 'test.yml'),
    workspace: repoRoot,
    mode: 'compare',
    matches: new Map([['k.wasm', [FILE]]]),
    defaultJsonPath: '/tmp/r.json',
    exportedFunctions: new Map([[FILE, new Map([['mix', { params: ['i32', 'i64', 'f64'], results: ['f32'] }]])]]),
    markedModules: new Set(marked ? [FILE] : []),
  });
const bench = (keys: string) => `runtimes: [node]\nbenchmarks:\n  - { artifact: k.wasm, ${keys} }\n`;

describe('kernel keys in the plan', () => {
  test('a kernel: typed args accepted, iterations default 1, region gated, expect-result as expected stdout', () => {
    const b = planFrom(bench('export: mix, args: [-1, 9007199254740993, 1.5e3], expect-result: 2.5')).benchmarks[0]!;
    assert.deepEqual(b.kernel, { export: 'mix', params: ['i32', 'i64', 'f64'], results: ['f32'], iterations: 1 });
    assert.deepEqual(b.metrics, ['region']);
    assert.deepEqual(b.expectStdout, { text: '2.5\n', source: 'expect-result' });
    assert.deepEqual(planFrom(bench('export: mix, args: [1, 2, 3], metrics: [wall]')).benchmarks[0]!.metrics, ['wall']);
  });

  test('a module marking its region gates region by default, unless metrics are given', () => {
    assert.deepEqual(planFrom(bench('name: a'), true).benchmarks[0]!.metrics, ['region']);
    assert.equal(planFrom(bench('name: a'), true).benchmarks[0]!.region, true);
    assert.deepEqual(planFrom(bench('name: a, metrics: [wall, cpu]'), true).benchmarks[0]!.metrics, ['wall', 'cpu']);
    assert.deepEqual(planFrom(bench('name: a')).benchmarks[0]!.metrics, ['wall']);
  });

  test('bad combinations are refused naming the key', () => {
    const refused = (keys: string, re: RegExp) => assert.throws(() => planFrom(bench(keys)), re);
    refused('export: nope', /benchmarks\[0\]\.export: .*exports no function 'nope' \(it exports mix\)/);
    refused('export: mix, args: [1, 2.5, 3]', /args \[1, 2\.5, 3\] do not fit mix: \(i32, i64, f64\) -> \(f32\)/);
    refused('export: mix, args: [1, 2]', /do not fit/);
    refused('iterations: 5', /benchmarks\[0\]\.iterations: iterations without export/);
    refused('export: mix, args: [1, 2, 3], expect-result: 1, expect-stdout: x.txt', /both say what stdout must be/);
    refused('expect-stdout: { regex: "(" }', /expect-stdout: regex is not a valid regular expression/);
  });
});
