// Fault catalogue, round 3 (issue 29): durations past what a timer holds, a module that does not parse, a NUL in
// a benchmark name, YAML merge keys, and the CLI's advice for a corrupt baseline. Each case runs dist/index.js
// (or dist/cli.js) as the runner (or a terminal) starts it and names the issue item it covers.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { bisectRepo } from '../helpers/bisect-repo.js';
import {
  ADD_ONE,
  assertInputFault,
  assertSummary,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  PUSH,
  runFault,
} from '../helpers/fault-case.js';
import { scratchDir } from '../helpers/run-action.js';

const T = { timeout: 180_000 };
const withConfig = { ...FAST_INPUTS, config: 'perf.yml' };
const LONGEST =
  /longer than the longest duration honoured, 2147483s \(2\^31-1 ms, about 24\.8 days\).*Give at most 2147483s \(35791m\)/;

describe('issue 29 item 2: a duration past 2^31-1 ms is refused naming the input, never a timer firing at once', () => {
  const cases: [string, string, Record<string, string>][] = [
    ['timeout', '3000000s', {}],
    ['git-timeout', '3000000s', { history: 'branch:perf-history' }],
    ['api-timeout', '50000m', {}],
    ['time-budget', '2147484s', {}],
  ];
  for (const [input, value, extra] of cases) {
    test(`${input}: ${value}`, T, async (t) => {
      const ws = await faultWorkspace();
      const inputs = { ...FAST_INPUTS, ...extra, [input]: value };
      const r = await runFault(t, { workspace: ws, inputs, ...PR });
      await assertInputFault(r, ws, { input, fix: LONGEST });
      assert.doesNotMatch(r.stdout, /exceeded its timeout|raise the timeout/i, 'no run was started to time out');
    });
  }

  test('measure.timeout in the config file, the same bound', T, async (t) => {
    const ws = await faultWorkspace();
    writeFileSync(join(ws, 'perf.yml'), `measure:\n  timeout: 3000000s\n`);
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, { input: 'config: measure.timeout', fix: LONGEST });
  });

  test('the longest duration itself is honoured: timeout 2147483s measures as usual', T, async (t) => {
    const ws = await faultWorkspace();
    const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, timeout: '2147483s' }, ...PR });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(r.errors, []);
    assert.doesNotMatch(r.stdout, /exceeded its timeout/i);
  });

  test('build-timeout (mode: bisect) is refused before anything is built', T, async (t) => {
    const repo = bisectRepo({ count: 2 });
    const r = await runFault(t, {
      workspace: repo.dir,
      eventName: 'workflow_dispatch',
      payload: { repository: { full_name: 'octo/demo' } },
      inputs: {
        mode: 'bisect',
        artifacts: 'build/*.wasm',
        build: 'touch built-once',
        'build-timeout': '3000000s',
        'bisect-good': repo.shas[0]!,
        'bisect-bad': repo.shas[1]!,
      },
      env: { RUNNER_TEMP: scratchDir('bisect-temp-') },
    });
    assert.equal(r.code, 1, r.stdout);
    assert.equal(r.errors.length, 1, r.stdout);
    assert.match(r.errors[0]!, /^::error::build-timeout: '3000000s' is longer than the longest duration honoured/);
    assert.doesNotMatch(r.stdout, /does not build|timed out/);
  });
});

describe('issue 29 item 11: a module that does not parse is a load error with the byte offset, not "no _start"', () => {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const cases: [string, number[], RegExp][] = [
    [
      'a first section claiming 0xFFFFFFFF bytes',
      [...header, 0x01, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x60, 0x00, 0x00],
      /not a valid WebAssembly module: section 1 at byte 8 claims 4294967295 bytes, past the end of the 17-byte file/,
    ],
    [
      'truncated.wasm: add-one.wasm cut in its code section',
      [],
      /not a valid WebAssembly module: section \d+ at byte \d+ claims \d+ bytes, past the end of the 40-byte file/,
    ],
  ];
  for (const [name, bytes, reason] of cases) {
    test(name, T, async (t) => {
      const ws = await faultWorkspace();
      const module = bytes.length ? Uint8Array.from(bytes) : readFileSync(ADD_ONE).subarray(0, 40);
      writeFileSync(join(ws, 'build/add-one.wasm'), module);
      const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PR });
      assert.notEqual(r.code, 0, r.stdout);
      const all = r.stdout + r.summary;
      assert.match(all, /the module could not be loaded/);
      assert.match(all, reason);
      assert.doesNotMatch(all, /exports no _start/);
      assertSummary(r);
    });
  }
});

describe('issue 29 item 16: a NUL byte in a benchmark name is refused naming the key', () => {
  test('name: "a\\0b" in the config', T, async (t) => {
    const ws = await faultWorkspace();
    writeFileSync(join(ws, 'perf.yml'), 'benchmarks:\n  - artifact: build/add-one.wasm\n    name: "add\\0one"\n');
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config',
      fix: /benchmarks\.0\.name: contains a control character.*use printable characters only/,
    });
    assert.ok(!r.summary.includes('\0'), 'no raw NUL in the job summary');
  });
});

describe('docs line (issue 29): YAML merge keys are not supported, and the error says so', () => {
  test('<<: *defaults in a benchmark', T, async (t) => {
    const ws = await faultWorkspace();
    // the anchor lives on the first benchmark; the second merges it
    writeFileSync(
      join(ws, 'perf.yml'),
      'benchmarks:\n  - &first\n    artifact: build/add-one.wasm\n  - <<: *first\n    name: again\n',
    );
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config',
      fix: /benchmarks\.1: YAML merge keys \(<<\) are not supported.*Write the keys out in each entry/,
    });
  });
});

describe('issue 29 item 17: the CLI names its own command for a corrupt baseline', () => {
  test('wasm-perf-gate compare with a baseline file that is not JSON', T, () => {
    const dir = scratchDir('cli-corrupt-');
    mkdirSync(join(dir, 'build'));
    mkdirSync(join(dir, 'perf'));
    copyFileSync(ADD_ONE, join(dir, 'build/add-one.wasm'));
    writeFileSync(join(dir, 'perf/baseline.json'), '{"schema": "wasm-perf-gate/baseline", trunc');
    const r = spawnSync(
      process.execPath,
      [
        resolve('dist/cli.js'),
        'compare',
        '--artifacts',
        'build/*.wasm',
        '--baseline-path',
        'perf/baseline.json',
      ].concat(['--min-runs', '2', '--max-runs', '3', '--warmup', '0']),
      { cwd: dir, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: process.env['HOME'] } },
    );
    const out = r.stdout + r.stderr;
    assert.match(out, /baseline at .*perf\/baseline\.json is not valid JSON/, out);
    assert.match(out, /refresh the baseline \(run `wasm-perf-gate baseline`\)/, out);
    assert.doesNotMatch(out, /run the workflow on the default branch/, out);
  });

  test('the action keeps the workflow advice for the same file', T, async (t) => {
    const ws = await faultWorkspace();
    writeFileSync(join(ws, 'perf/baseline.json'), '{"schema": "wasm-perf-gate/baseline", trunc');
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PUSH });
    assert.match(r.stdout, /is not valid JSON.*run the workflow on the default branch/);
  });
});
