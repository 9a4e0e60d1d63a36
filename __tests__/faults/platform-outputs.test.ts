// Fault catalogue, outputs and inputs: report I/O that fails, hostile names, bad config and inputs. Each
// case runs the bundled action and checks exit code, the one error line, the summary and the baseline.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { startGitHubServer } from '../helpers/github-server.js';
import { pullRequestPayload, pushPayload, scratchDir } from '../helpers/run-action.js';
import {
  ADD_ONE,
  assertBaselineKept,
  assertOneError,
  assertSummary,
  assertWarning,
  BASELINE_REL,
  FAST_INPUTS,
  faultWorkspace,
  runFault,
  TRAP,
} from '../helpers/fault-case.js';

const T = { timeout: 120_000 };
const pr = { eventName: 'pull_request', payload: pullRequestPayload() };
const BIDI = /[\u202A-\u202E\u2066-\u2069\u200E\u200F\u061C]/;

describe('platform faults: outputs that cannot be written', () => {
  test('report-json pointing at a directory: error names report-json, verdict and summary delivered', T, async (t) => {
    const ws = await faultWorkspace({ 'build/trap.wasm': TRAP });
    mkdirSync(join(ws, 'out.json'));
    const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, 'report-json': 'out.json' }, ...pr });
    assert.equal(r.code, 1);
    assert.equal(r.outputs['verdict'], 'failed', 'the failed benchmark is still named');
    assert.equal(r.outputs['report-json'], '', 'no path to a report that does not exist');
    assert.equal(r.errors.filter((e) => e.startsWith('::error::report-json: ')).length, 1, r.errors.join('\n'));
    assert.match(
      r.errors.find((e) => e.includes('report-json'))!,
      /EISDIR.*Point report-json at a file path/,
    );
    assertSummary(r, /build\/trap/, /report-json/);
    await assertBaselineKept(ws);
  });

  test('baseline-path whose folder cannot be created: error names baseline-path, summary delivered', T, async (t) => {
    const ws = await faultWorkspace();
    writeFileSync(join(ws, 'blocker'), 'a file where a folder should be');
    const r = await runFault(t, {
      workspace: ws,
      inputs: { ...FAST_INPUTS, 'baseline-path': 'blocker/baseline.json' },
      eventName: 'push',
      payload: pushPayload(),
    });
    assert.equal(r.code, 1);
    assertOneError(r, 'baseline-path', /could not save the baseline.*(ENOTDIR|EEXIST).*Point baseline-path at a file/);
    assert.equal(r.outputs['verdict'], 'no-baseline');
    assertSummary(r, /build\/add-one/);
    await assertBaselineKept(ws);
  });

  test('baseline-path that is a directory: the refresh fails loudly, nothing is replaced', T, async (t) => {
    const ws = await faultWorkspace();
    mkdirSync(join(ws, 'perf/dir.json'));
    const r = await runFault(t, {
      workspace: ws,
      inputs: { ...FAST_INPUTS, 'baseline-path': 'perf/dir.json' },
      eventName: 'push',
      payload: pushPayload(),
    });
    assert.equal(r.code, 1);
    assertOneError(r, 'baseline-path', /previous baseline is unchanged.*Point baseline-path/);
    assertSummary(r);
    await assertBaselineKept(ws);
  });

  test('an unwritable GITHUB_STEP_SUMMARY is a warning: comment, outputs and verdict go on', T, async (t) => {
    const gh = await startGitHubServer();
    try {
      const ws = await faultWorkspace({ 'build/trap.wasm': TRAP });
      const summaryDir = scratchDir('summary-dir-');
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, comment: 'true' },
        ...pr,
        env: { GITHUB_API_URL: gh.url, GITHUB_STEP_SUMMARY: summaryDir },
      });
      assert.equal(r.code, 1, 'the trap still fails the step');
      assert.equal(r.outputs['verdict'], 'failed');
      assertWarning(
        r,
        /^::warning::GITHUB_STEP_SUMMARY: cannot write the job summary .*comment.*verdict are unaffected/,
      );
      assert.equal(gh.comments.length, 1, 'the comment was still posted');
      assert.match(gh.comments[0]!.body, /build\/trap/);
      assert.equal(r.errors.length, 1, r.errors.join('\n'));
      await assertBaselineKept(ws);
    } finally {
      await gh.close();
    }
  });

  test('an unwritable GITHUB_OUTPUT is a warning; the summary is still written', T, async (t) => {
    const ws = await faultWorkspace();
    const r = await runFault(t, {
      workspace: ws,
      inputs: FAST_INPUTS,
      ...pr,
      env: { GITHUB_OUTPUT: scratchDir('out-') },
    });
    assert.equal(r.code, 0, r.stdout);
    assertWarning(r, /^::warning::GITHUB_OUTPUT: cannot set the output verdict/);
    assertSummary(r, /build\/add-one/);
    await assertBaselineKept(ws);
  });
});

describe('platform faults: hostile names', () => {
  test('bidi controls in a file name never reach the summary or the comment raw', T, async (t) => {
    const gh = await startGitHubServer();
    try {
      const ws = await faultWorkspace({ 'build/evil\u202Egpj.wasm': ADD_ONE, 'build/iso\u2066x\u2069.wasm': ADD_ONE });
      const r = await runFault(t, {
        workspace: ws,
        inputs: { ...FAST_INPUTS, comment: 'true' },
        ...pr,
        env: { GITHUB_API_URL: gh.url },
      });
      assert.equal(r.code, 0, r.stdout);
      assert.equal(gh.comments.length, 1);
      for (const [name, md] of [
        ['summary', r.summary],
        ['comment', gh.comments[0]!.body],
      ] as const) {
        assert.doesNotMatch(md, BIDI, `${name} carries a raw bidi control`);
        assert.match(md, /evil&lt;U\+202E&gt;gpj|evil<U\+202E>gpj/, `${name} shows the override as a code point`);
      }
      await assertBaselineKept(ws);
    } finally {
      await gh.close();
    }
  });

  test('!negation in artifacts removes a file (a trapping module excluded is never run)', T, async (t) => {
    const ws = await faultWorkspace({ 'build/skip.wasm': TRAP });
    const r = await runFault(t, {
      workspace: ws,
      inputs: { ...FAST_INPUTS, artifacts: 'build/*.wasm\n!build/skip.wasm' },
      ...pr,
    });
    assert.equal(r.code, 0, r.stdout);
    assert.doesNotMatch(r.summary, /<code>build\/skip<\/code>/, 'the negated file was not measured');
    assertSummary(r, /build\/add-one/);
    await assertBaselineKept(ws);
  });
});

describe('platform faults: inputs refused up front', () => {
  const cases: [string, Record<string, string>, string, RegExp][] = [
    [
      'baseline-key with a comma',
      { 'baseline-key': 'perf,main' },
      'baseline-key',
      /contains a comma.*Remove the comma/,
    ],
    [
      'runtime-mirror that is not a URL',
      { 'runtime-mirror': 'ftp:/mirror' },
      'runtime-mirror',
      /not an http\(s\) base URL/,
    ],
    [
      'runtime-mirror with credentials',
      { 'runtime-mirror': 'https://u:p@m.example' },
      'runtime-mirror',
      /no credentials/,
    ],
    ['api-timeout of zero', { 'api-timeout': '0s' }, 'api-timeout', /no time at all.*10s/],
    ['alpha of 5 (percent meant)', { alpha: '5' }, 'alpha', /not a significance level.*0\.05.*1%/],
  ];
  for (const [name, extra, input, fix] of cases) {
    test(name, T, async (t) => {
      const ws = await faultWorkspace();
      const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, ...extra }, ...pr });
      assert.equal(r.code, 1);
      assertOneError(r, input, fix);
      assertSummary(r, new RegExp(input));
      assert.equal(r.outputs['verdict'], undefined, 'nothing was measured, so no verdict is claimed');
      await assertBaselineKept(ws);
    });
  }
});

describe('platform faults: unreadable and hostile config', () => {
  const cases: [string, (ws: string) => void, RegExp][] = [
    [
      'a config path that is a directory',
      (ws) => mkdirSync(join(ws, 'perf.yml')),
      /perf\.yml: is a directory, not a regular file.*Point `config` at/,
    ],
    [
      'a YAML alias bomb',
      (ws) =>
        writeFileSync(
          join(ws, 'perf.yml'),
          [
            'a: &a [x, x, x, x, x, x, x, x, x]',
            ...'bcdefghij'.split('').map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(', ')}]`),
          ].join('\n'),
        ),
      /perf\.yml/,
    ],
    [
      'a config that is a list, not a mapping',
      (ws) => writeFileSync(join(ws, 'perf.yml'), '- artifact: x\n'),
      /perf\.yml/,
    ],
    [
      'a config with an unknown key',
      (ws) =>
        writeFileSync(join(ws, 'perf.yml'), 'benchmarks:\n  - artifact: build/add-one.wasm\n    shell: rm -rf /\n'),
      /perf\.yml: benchmarks\.0.*shell|Unrecognized key/,
    ],
  ];
  for (const [name, prepare, fix] of cases) {
    test(name, T, async (t) => {
      const ws = await faultWorkspace();
      prepare(ws);
      const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, config: 'perf.yml' }, ...pr });
      assert.equal(r.code, 1);
      assertOneError(r, 'config', fix);
      assertSummary(r, /config/);
      await assertBaselineKept(ws);
    });
  }
});

describe('platform faults: corrupt baselines', () => {
  const cases: [string, string, RegExp][] = [
    ['truncated JSON', '{"schema":"wasm-perf-gate/baseline","version":1,"entries":', /not valid JSON/],
    [
      'a baseline from a newer version',
      JSON.stringify({ schema: 'wasm-perf-gate/baseline', version: 9, entries: [] }),
      /schema version 9/,
    ],
  ];
  for (const [name, text, warning] of cases) {
    test(`${name}: a warning, no-baseline, and the file is left exactly as it was`, T, async (t) => {
      const ws = await faultWorkspace();
      writeFileSync(join(ws, BASELINE_REL), text);
      const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...pr });
      assert.equal(r.code, 0, r.stdout);
      assert.equal(r.outputs['verdict'], 'no-baseline');
      assertWarning(r, warning);
      assertSummary(r, /build\/add-one/);
      assert.equal(readFileSync(join(ws, BASELINE_REL), 'utf8'), text, 'a compare run never rewrites the baseline');
    });
  }
});
