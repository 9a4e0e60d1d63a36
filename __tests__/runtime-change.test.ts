// Issue 26, the pure parts of a runtime change: `baseline-path` / `baseline-version` (config and the
// `baseline-runtimes` input) reach the plan or are refused by name; verdicts of two builds are never an A/A run
// unless the builds are one file; a failure on one side is `failed` with the side named; the suite's
// geometric-mean change and its interval; the report's title and both builds' versions and sha256.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { compareAll } from '../src/compare/compare.js';
import { suiteChanges } from '../src/compare/suite-change.js';
import type { Verdict } from '../src/model/verdict.js';
import { parseConfigFile } from '../src/config/config-file.js';
import { InputError } from '../src/model/input-error.js';
import { readInputs } from '../src/config/inputs.js';
import { buildPlan } from '../src/config/plan.js';
import type { CellMeasurement, RuntimeBuild } from '../src/model/measurement.js';
import { renderComment } from '../src/report/comment-markdown.js';
import { renderJson } from '../src/report/json-report.js';
import { runtimeChangesOf } from '../src/report/runtime-change.js';
import { noticedUpgrade } from '../src/runtimes/baseline-build.js';
import { splitEffects, withoutEffectTag } from '../src/measure/split-effects.js';
import type { CellJob } from '../src/measure/measuring-loop.js';
import type { ResolvedRuntime } from '../src/runtimes/types.js';
import type { RuntimeRef } from '../src/model/plan.js';
import { renderSummary } from '../src/report/summary-markdown.js';
import { buildToStore, refuseUntrustedStore } from '../src/baseline/stored-build.js';
import { exampleWasm, repoRoot } from './helpers/measure-env.js';
import { makeReport } from './helpers/report-fixtures.js';
import { MACHINE, bench, cell, lowerIsBetter, pairedArms } from './helpers/stats-synthetic.js';

const planFrom = (yaml: string, inputs: Record<string, string> = {}) =>
  buildPlan({
    inputs: readInputs((name) => inputs[name]),
    config: yaml ? parseConfigFile(yaml, 'test.yml') : undefined,
    workspace: repoRoot,
    mode: 'compare',
    matches: new Map([['examples/wasm/score.wasm', [exampleWasm('score')]]]),
    ...(yaml ? {} : { inputMatches: { artifacts: [exampleWasm('score')], baselineArtifacts: [] } }),
    defaultJsonPath: '/tmp/r.json',
  });

const withRuntimes = (entries: string) =>
  `runtimes:\n${entries}\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n`;

function refused(f: () => unknown, input: string, ...words: RegExp[]): void {
  assert.throws(f, (e: unknown) => {
    assert.ok(e instanceof InputError, String(e));
    assert.equal(e.input, input, e.message);
    for (const w of words) assert.match(e.message, w);
    return true;
  });
}

describe('runtime change: the config and the inputs', () => {
  test('baseline-path and baseline-version on a runtimes entry reach the plan as the baseline build', () => {
    const p = planFrom(
      withRuntimes(
        '  - { name: wasmtime, path: target/release/wasmtime, baseline-path: base/target/release/wasmtime }\n  - { name: wasmi, version: 2.0.0, baseline-version: 0.32.3 }',
      ),
    );
    const [wasmtime, wasmi] = p.runtimes;
    assert.deepEqual(wasmtime!.baseline, { path: 'base/target/release/wasmtime' });
    assert.equal(wasmtime!.path, 'target/release/wasmtime');
    assert.deepEqual(wasmi!.baseline, { version: '0.32.3' });
    assert.equal(wasmi!.version, '2.0.0');
    assert.equal(wasmi!.id, 'wasmi', 'the cell key stays the runtime id, whatever the two versions');
  });

  test('the baseline-runtimes input gives the same, by runtime id', () => {
    const p = planFrom('', {
      artifacts: 'examples/wasm/score.wasm',
      runtimes: 'wasmi@2.0.0, wasmtime:winch@/opt/pr/wasmtime',
      'baseline-runtimes': 'wasmi@0.32.3\nwasmtime:winch@/opt/main/wasmtime',
    });
    const byId = Object.fromEntries(p.runtimes.map((r) => [r.id, r]));
    assert.deepEqual(byId['wasmi']!.baseline, { version: '0.32.3' });
    assert.deepEqual(byId['wasmtime:winch']!.baseline, { path: '/opt/main/wasmtime' });
    assert.deepEqual(
      p.benchmarks[0]!.runtimes.map((r) => r.baseline !== undefined),
      [true, true],
    );
  });

  test('bad input is refused naming the key and the fix', () => {
    refused(
      () => planFrom(withRuntimes('  - { name: wasmi, baseline-path: a/wasmi, baseline-version: 0.32.3 }')),
      'config: runtimes',
      /not both/,
    );
    refused(
      () => planFrom(withRuntimes('  - { name: wasmi, baseline-version: latest }')),
      'config: runtimes',
      /wasmi@latest: not a version/,
    );
    refused(
      () => planFrom(withRuntimes("  - { name: custom, command: ['x', '{wasm}'], baseline-path: y }")),
      'config: runtimes',
      /custom/,
    );
    refused(
      () => planFrom(withRuntimes('  - { name: node, baseline-version: 22.0.0 }')),
      'config: runtimes',
      /node is not downloaded/,
    );
    refused(
      () =>
        planFrom('', { artifacts: 'examples/wasm/score.wasm', runtimes: 'node', 'baseline-runtimes': 'wasmi@0.32.3' }),
      'baseline-runtimes',
      /wasmi is not one of the runtimes measured \(node\)/,
    );
    refused(
      () => planFrom('', { artifacts: 'examples/wasm/score.wasm', runtimes: 'wasmi', 'baseline-runtimes': 'wasmi' }),
      'baseline-runtimes',
      /names no other build/,
    );
    refused(() => planFrom(withRuntimes('  - { name: wasmi, baseline-paths: x }')), 'config', /baseline-paths/);
  });
});

const build = (label: string, version: string, sha: string, from: RuntimeBuild['from']): RuntimeBuild => ({
  label,
  version,
  sha256: sha.repeat(64).slice(0, 64),
  from,
});
const PR = build("this PR's build", '49.0.3', 'a', 'path');
const MAIN = build("main's build", '49.0.3', 'b', 'path');

function changed(candidate: number[], baseline: number[], builds = { candidate: PR, baseline: MAIN }, id = 'fib') {
  return { ...cell(id, candidate, baseline, 'wall', 'wasmtime@49.0.3'), runtimeKey: 'wasmtime', builds };
}

const compare = (measurements: CellMeasurement[]) =>
  compareAll({
    measurements,
    benchmarks: measurements.map((m) => bench(m.benchmark)),
    machine: MACHINE,
    metricInfo: lowerIsBetter,
    // the same artifact on both sides: byte-identical .wasm
    candidateSha256: Object.fromEntries(measurements.map((m) => [m.benchmark, 'f'.repeat(64)])),
  });

describe('runtime change: verdicts', () => {
  test('one artifact on two builds is a paired A/B, never an A/A noise floor; 10% slower regresses', () => {
    const { baseline, candidate } = pairedArms({ rounds: 20, ratio: 1.1, sigma: 0.01, seed: 7 });
    const [v] = compare([changed(candidate, baseline)]);
    assert.equal(v!.kind, 'regressed');
    assert.equal(v!.method, 'paired');
    assert.equal(v!.noiseFloor, undefined);
  });

  test('the same build on both sides is an A/A run, and says so', () => {
    const { baseline } = pairedArms({ rounds: 20, ratio: 1, sigma: 0.02, seed: 8 });
    const [v] = compare([changed(baseline, baseline, { candidate: PR, baseline: { ...MAIN, sha256: PR.sha256 } })]);
    assert.equal(v!.kind, 'unchanged');
    assert.equal(v!.noiseFloor, true);
    assert.ok(
      v!.notes.some((n) => /identical builds .*A\/A/.test(n)),
      v!.notes.join('\n'),
    );
  });

  test("a failure of main's build only is `failed`, with the side named", () => {
    const { baseline, candidate } = pairedArms({ rounds: 5, ratio: 1, sigma: 0.02, seed: 9 });
    const m = changed(candidate, baseline);
    m.baseline = {
      arm: 'baseline',
      samples: [],
      warmups: 0,
      failure: { kind: 'trap', exitCode: 134, message: 'boom', stdoutHead: '', stderrTail: '' },
    };
    const [v] = compare([m]);
    assert.equal(v!.kind, 'failed');
    assert.equal(v!.failedSide, "main's build");
    assert.match(v!.failure!.message, /^main's build \(49\.0\.3\) failed: boom/);
    const pr = changed(candidate, baseline);
    pr.candidate = {
      arm: 'candidate',
      samples: [],
      warmups: 0,
      failure: { kind: 'exit', exitCode: 3, message: 'x', stdoutHead: '', stderrTail: '' },
    };
    assert.equal(compare([pr])[0]!.failedSide, "this PR's build");
  });
});

describe('runtime change: the suite', () => {
  const v = (benchmark: string, ratio: number, lo: number, hi: number): Verdict => ({
    benchmark,
    runtime: 'wasmtime@49.0.3',
    metric: 'wall',
    unit: 'ms',
    direction: 'lower',
    kind: 'regressed',
    threshold: 0.05,
    method: 'paired',
    runs: { baseline: 20, candidate: 20 },
    notes: [],
    ratio,
    interval: [lo, hi],
    confidence: 0.95,
  });

  test('geometric mean of the ratios; its interval narrower than one cell’s, and over the cells with one', () => {
    const verdicts = [v('a', 1.1, 1.05, 1.15), v('b', 1.21, 1.155, 1.265), { ...v('c', 1, 1, 1), interval: undefined }];
    const [s] = suiteChanges(verdicts, ['wasmtime'], () => 'wasmtime', 0.95);
    assert.ok(s);
    assert.ok(Math.abs(s.ratio - Math.sqrt(1.1 * 1.21)) < 1e-9, String(s.ratio));
    assert.equal(s.cells, 2);
    assert.equal(s.leftOut, 1);
    assert.ok(s.interval[0] < s.ratio && s.ratio < s.interval[1]);
    const width = (lo: number, hi: number) => Math.log(hi) - Math.log(lo);
    assert.ok(width(...s.interval) < width(1.05, 1.15), 'two independent cells narrow the interval');
    assert.deepEqual(
      suiteChanges(verdicts, ['wasmer'], () => 'wasmtime', 0.95),
      [],
    );
  });
});

describe('runtime change: the report', () => {
  const report = () => {
    const r = makeReport({ benchmarks: ['fib', 'sha'], runtimes: ['wasmtime@49.0.3'] });
    r.measurements = r.measurements.map((m) => ({
      ...m,
      runtimeKey: 'wasmtime',
      builds: { candidate: PR, baseline: MAIN },
    }));
    r.runtimeChanges = runtimeChangesOf(r.measurements);
    r.suiteChanges = [
      {
        runtime: 'wasmtime',
        metric: 'wall',
        ratio: 1.081,
        interval: [1.06, 1.103],
        confidence: 0.95,
        cells: 2,
        leftOut: 0,
      },
    ];
    return r;
  };

  test("the title names the comparison; both builds' versions and sha256 and the suite change are shown", () => {
    const r = report();
    for (const text of [renderSummary(r), renderComment(r, { marker: '<!-- wasm-perf-gate -->' })]) {
      assert.match(text, /wasm-perf-gate: .* — wasmtime: this PR's build vs main's build/);
      assert.ok(text.includes(PR.sha256) && text.includes(MAIN.sha256), 'both sha256');
      assert.match(text, /wall: \*\*\+8\.1%\*\* \[\+6\.0%, \+10\.3%\]/);
    }
    const json = JSON.parse(renderJson(r)) as typeof r;
    assert.equal(json.runtimeChanges![0]!.title, "wasmtime: this PR's build vs main's build");
    assert.equal(json.suiteChanges![0]!.ratio, 1.081);
  });

  test('identical builds get the A/A note; two versions are titled by version', () => {
    const r = report();
    r.measurements = r.measurements.map((m) => ({
      ...m,
      builds: {
        candidate: build('wasmi 2.0.0', '2.0.0', 'c', 'version'),
        baseline: build('wasmi 0.32.3', '0.32.3', 'c', 'version'),
      },
    }));
    r.runtimeChanges = runtimeChangesOf(r.measurements);
    const text = renderSummary(r);
    assert.match(text, /wasmtime: 2\.0\.0 vs 0\.32\.3/);
    assert.match(text, /the two builds are identical \(same sha256\), so this is an A\/A run/);
  });
});

describe('an upgrade noticed without being told', () => {
  const ref = (extra: Partial<RuntimeRef> = {}): RuntimeRef => ({
    name: 'wasmtime',
    id: 'wasmtime',
    flags: [],
    ...extra,
  });
  const pr = { version: '49.0.3', installedFrom: 'download' as const };

  test("the stored baseline's version, when a release installed by version resolved to another", () => {
    assert.equal(noticedUpgrade(ref({ version: '49.0.3' }), pr, ['48.0.0', '48.0.0']), '48.0.0');
    assert.equal(noticedUpgrade(ref(), { ...pr, installedFrom: 'tool-cache' }, ['48.0.0']), '48.0.0', 'a new default');
    assert.equal(noticedUpgrade(ref(), pr, ['49.0.3']), undefined, 'same version');
    assert.equal(noticedUpgrade(ref(), pr, []), undefined, 'nothing stored');
    assert.equal(noticedUpgrade(ref(), pr, ['48.0.0', '47.0.0']), undefined, 'the cells disagree');
    assert.equal(noticedUpgrade(ref(), pr, ['48.0.0; rm -rf /']), undefined, 'not a version string');
    assert.equal(noticedUpgrade(ref({ path: '/opt/wasmtime' }), pr, ['48.0.0']), undefined, 'a path');
    assert.equal(noticedUpgrade(ref(), { ...pr, installedFrom: 'path' }, ['48.0.0']), undefined, 'from PATH');
    assert.equal(noticedUpgrade(ref(), { ...pr, installedFrom: 'embedded' }, ['20.0.0']), undefined, 'node');
    assert.equal(noticedUpgrade(ref(), { ...pr, installedFrom: 'custom' }, ['1']), undefined, 'custom');
    assert.equal(noticedUpgrade(ref({ baseline: { version: '47.0.0' } }), pr, ['48.0.0']), undefined, 'asked for');
  });

  test('the report says `runtime changed: wasmtime 48.0.0 → 49.0.3` and why; two paths say nothing of it', () => {
    const r = makeReport({ benchmarks: ['fib'], runtimes: ['wasmtime@49.0.3'] });
    const withBuilds = (candidate: RuntimeBuild, baseline: RuntimeBuild) => {
      r.measurements = r.measurements.map((m) => ({ ...m, runtimeKey: 'wasmtime', builds: { candidate, baseline } }));
      r.runtimeChanges = runtimeChangesOf(r.measurements);
      return renderSummary(r);
    };
    const noticed = withBuilds(build('wasmtime 49.0.3', '49.0.3', 'a', 'version'), {
      ...build('wasmtime 48.0.0', '48.0.0', 'b', 'version'),
      noticed: true,
    });
    assert.match(
      noticed,
      /runtime changed: wasmtime 48\.0\.0 → 49\.0\.3\*\* \(the stored baseline was measured on 48\.0\.0/,
    );
    const asked = withBuilds(build('wasmtime 49.0.3', '49.0.3', 'a', 'version'), build('w', '48.0.0', 'b', 'version'));
    assert.match(asked, /runtime changed: wasmtime 48\.0\.0 → 49\.0\.3\*\*\n/);
    assert.doesNotMatch(withBuilds(PR, MAIN), /runtime changed/);
  });
});

describe('a noticed upgrade whose PR changed the .wasm too: the two effects apart', () => {
  const NEW = build('wazero 1.12.0', '1.12.0', 'a', 'version');
  const OLD = { ...build('wazero 1.9.0', '1.9.0', 'b', 'version'), noticed: true };
  const runtime = (id: string, version: string) =>
    ({
      id,
      version,
      exe: `/rt/${version}/wazero`,
      ref: { name: 'wazero', id: 'wazero', flags: [] },
    }) as unknown as ResolvedRuntime;
  const job = (id: string, extra: Partial<CellJob> = {}): CellJob => ({
    bench: bench(id, { artifact: `/pr/${id}.wasm` }),
    runtime: runtime('wazero@1.12.0', '1.12.0'),
    baseArtifact: `/main/${id}.wasm`,
    baseRuntime: runtime('wazero@1.9.0', '1.9.0'),
    builds: { candidate: NEW, baseline: OLD },
    aot: false,
    ...extra,
  });

  test('a changed benchmark becomes a program-change cell and a runtime-change cell; the others stay one', () => {
    const jobs = splitEffects([job('fib'), job('sha')], new Set(['fib']));
    assert.equal(jobs.length, 3);
    const [program, onMain, same] = jobs as [CellJob, CellJob, CellJob];
    // (i) this PR's .wasm against main's, both on the new version: an ordinary cell
    assert.equal(program.effect, 'program');
    assert.equal(program.bench.artifact, '/pr/fib.wasm');
    assert.equal(program.baseArtifact, '/main/fib.wasm');
    assert.equal(program.baseRuntime, undefined);
    assert.equal(program.builds, undefined);
    assert.equal(program.runtime.id, 'wazero@1.12.0');
    // (ii) main's .wasm on both versions, under its own runtime id
    assert.equal(onMain.effect, 'runtime');
    assert.equal(onMain.bench.artifact, '/main/fib.wasm');
    assert.equal(onMain.baseArtifact, '/main/fib.wasm');
    assert.equal(onMain.baseRuntime!.version, '1.9.0');
    assert.equal(onMain.runtime.id, "wazero [main's programs]@1.12.0");
    assert.equal(onMain.runtime.ref.id, "wazero [main's programs]");
    assert.equal(onMain.runtime.exe, '/rt/1.12.0/wazero');
    assert.equal(same.effect, undefined);
    assert.equal(same.bench.artifact, '/pr/sha.wasm');
    // asked for (baseline-version), no main artifact, a size cell: not split
    const asked = job('fib', { builds: { candidate: NEW, baseline: { ...OLD, noticed: false } } });
    assert.equal(splitEffects([asked], new Set(['fib'])).length, 1);
    assert.equal(splitEffects([job('fib', { baseArtifact: undefined })], new Set(['fib'])).length, 1);
    assert.equal(splitEffects([job('fib', { size: true })], new Set(['fib'])).length, 1);
    assert.equal(withoutEffectTag("wazero [cold] [main's programs]"), 'wazero [cold]');
  });

  test('both effects are judged in one Holm family; the runtime-change cell is never an A/A noise floor', () => {
    const prog = pairedArms({ rounds: 20, ratio: 2, sigma: 0.01, seed: 11 });
    const rt = pairedArms({ rounds: 20, ratio: 1, sigma: 0.01, seed: 12 });
    const program: CellMeasurement = {
      ...cell('fib', prog.candidate, prog.baseline, 'wall', 'wazero@1.12.0'),
      runtimeKey: 'wazero',
      effect: 'program',
    };
    const onMain: CellMeasurement = {
      ...cell('fib', rt.candidate, rt.baseline, 'wall', "wazero [main's programs]@1.12.0"),
      runtimeKey: "wazero [main's programs]",
      builds: { candidate: NEW, baseline: OLD },
      effect: 'runtime',
    };
    const verdicts = compareAll({
      measurements: [program, onMain],
      benchmarks: [bench('fib')],
      machine: MACHINE,
      metricInfo: lowerIsBetter,
      candidateSha256: { fib: 'c'.repeat(64) },
      baselineSha256: { fib: 'd'.repeat(64) },
    });
    const byEffect = Object.fromEntries(verdicts.map((v) => [v.effect, v]));
    assert.equal(byEffect['program']!.kind, 'regressed');
    assert.equal(byEffect['program']!.method, 'paired');
    assert.equal(byEffect['runtime']!.kind, 'unchanged');
    assert.equal(byEffect['runtime']!.noiseFloor, undefined);
    assert.ok(byEffect['runtime']!.adjustedP! >= byEffect['runtime']!.pValue!, 'adjusted over the two cells');

    const r = makeReport({ benchmarks: ['fib'], runtimes: ['wazero@1.12.0'] });
    r.measurements = [program, onMain];
    r.verdicts = verdicts;
    r.runtimeChanges = runtimeChangesOf(r.measurements);
    const split = r.runtimeChanges[0]!.split!;
    assert.equal(split.program.title, 'program change on wazero 1.12.0');
    assert.equal(split.runtime.title, "runtime change wazero 1.9.0 → 1.12.0 on main's programs");
    assert.deepEqual([split.program.benchmarks, split.runtime.benchmarks], [['fib'], ['fib']]);
    for (const text of [renderSummary(r), renderComment(r, { marker: '<!-- wasm-perf-gate -->' })]) {
      assert.match(text, /runtime changed: wazero 1\.9\.0 → 1\.12\.0/);
      assert.match(text, /1 benchmark × 1 runtime\b/);
      assert.match(
        text,
        /\*\*program change on wazero 1\.12\.0\*\* \(this PR's \.wasm against main's[^\n]*<code>fib<\/code> wall \+[\d.]+% \[[^\n]*\*\*regressed\*\*/,
      );
      assert.match(
        text,
        /\*\*runtime change wazero 1\.9\.0 → 1\.12\.0 on main's programs\*\* \(main's \.wasm on 1\.12\.0 against main's \.wasm on 1\.9\.0[^\n]*<code>fib<\/code> wall [^\n]*\*\*unchanged\*\*/,
      );
    }
    const json = JSON.parse(renderJson(r)) as typeof r;
    assert.equal(json.runtimeChanges![0]!.split!.runtime.runtimes[0], "wazero [main's programs]@1.12.0");
    assert.deepEqual(json.verdicts.map((v) => v.effect).sort(), ['program', 'runtime']);
  });
});

describe('under-test: the config and the size bound', () => {
  test('under-test needs the build path and no other baseline build', () => {
    const p = planFrom(withRuntimes('  - { name: wasmi, path: target/release/wasmi_cli, under-test: true }'));
    assert.equal(p.runtimes[0]!.underTest, true);
    refused(
      () => planFrom(withRuntimes('  - { name: wasmi, under-test: true }')),
      'config: runtimes',
      /needs the build's `path`/,
    );
    refused(
      () => planFrom(withRuntimes('  - { name: wasmi, path: a, baseline-path: b, under-test: true }')),
      'config: runtimes',
      /under-test/,
    );
  });

  test('a build over the bound is an error naming the entry and the bound', () => {
    const ref = planFrom(withRuntimes('  - { name: wasmi, path: target/release/wasmi_cli, under-test: true }'))
      .runtimes[0]!;
    refused(
      () => buildToStore(ref, process.execPath, '1.0.0', 1024 * 1024),
      'under-test',
      /wasmi: the build at target\/release\/wasmi_cli is [\d.]+ MiB, over the 1 MiB bound/,
    );
    const stored = buildToStore(ref, process.execPath, '1.0.0');
    assert.equal(Buffer.from(stored.base64, 'base64').length, stored.size);
  });

  test('refresh on PR events is refused; push, schedule and workflow_dispatch may store', () => {
    const plan = { mode: 'baseline', runtimes: [{ id: 'wasmi', name: 'wasmi', flags: [], underTest: true }] };
    for (const event of ['pull_request', 'pull_request_target', 'issue_comment', 'workflow_run'])
      refused(
        () => refuseUntrustedStore(plan, event),
        'mode',
        new RegExp(`on a ${event} event would store the build of wasmi`),
      );
    for (const event of ['push', 'schedule', 'workflow_dispatch']) refuseUntrustedStore(plan, event);
    refuseUntrustedStore({ ...plan, mode: 'compare' }, 'pull_request');
  });
});
