// Fault catalogue, artifact files: what a PR can put where the `artifacts` glob looks. A FIFO, a symlink out of
// the workspace, a name that is not UTF-8 and a 2 GiB file. Each case runs dist/index.js as the runner does
// and checks the exit code, the one error line or the warning naming the file, and the baseline.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import {
  ADD_ONE,
  assertBaselineKept,
  assertInputFault,
  assertSummary,
  assertWarning,
  BASELINE_REL,
  FAST_INPUTS,
  faultWorkspace,
  PR,
  PUSH,
  runFault,
} from '../helpers/fault-case.js';
import { scratchDir } from '../helpers/run-action.js';

const T = { timeout: 180_000 };
const withConfig = { ...FAST_INPUTS, artifacts: '', config: 'perf.yml' };

/** The cells the JSON report measured (benchmark ids). */
const measured = (ws: string): string[] => {
  const doc = JSON.parse(readFileSync(join(ws, BASELINE_REL), 'utf8')) as { entries: { benchmark: string }[] };
  return [...new Set(doc.entries.map((e) => e.benchmark))].sort();
};

describe('only regular files are artifacts', () => {
  test('a FIFO matched by the glob is skipped with a warning naming it; the good module is measured', T, async (t) => {
    const ws = await faultWorkspace();
    execFileSync('mkfifo', [join(ws, 'build/x.wasm')]);
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PR });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assertWarning(r, /^::warning::artifacts: skipped build\/x\.wasm is a named pipe \(FIFO\), not a regular file/);
    assertSummary(r, /build\/add-one/, /skipped build\/x\.wasm is a named pipe \(FIFO\)/);
    await assertBaselineKept(ws);
  });

  test('a FIFO named in the config file is refused: `artifacts: … is not a regular file`', T, async (t) => {
    const ws = await faultWorkspace();
    execFileSync('mkfifo', [join(ws, 'build/x.wasm')]);
    writeFileSync(join(ws, 'perf.yml'), 'benchmarks:\n  - artifact: build/x.wasm\n');
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'artifacts',
      fix: /build\/x\.wasm is a named pipe \(FIFO\), not a regular file.*Only regular \.wasm files are artifacts/,
    });
  });
});

describe('an artifact symlink that leads out of the workspace', () => {
  const outside = () => {
    const dir = scratchDir('fault-outside-');
    copyFileSync(ADD_ONE, join(dir, 'app.wasm'));
    return join(dir, 'app.wasm');
  };

  test('is refused on push, naming it; the previous baseline stays', T, async (t) => {
    const ws = await faultWorkspace();
    symlinkSync(outside(), join(ws, 'build/app.wasm'));
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PUSH });
    await assertInputFault(r, ws, {
      input: 'artifacts',
      fix: /build\/app\.wasm leads outside the workspace \(to .*app\.wasm\).*allow-outside-workspace: true/,
    });
  });

  test('is measured when the config file sets `allow-outside-workspace: true`', T, async (t) => {
    const ws = await faultWorkspace();
    symlinkSync(outside(), join(ws, 'build/app.wasm'));
    writeFileSync(join(ws, 'perf.yml'), 'allow-outside-workspace: true\nbenchmarks:\n  - artifact: build/*.wasm\n');
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PUSH });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(measured(ws), ['build/add-one', 'build/app']);
  });

  test('a symlink that stays inside the workspace is measured as before', T, async (t) => {
    const ws = await faultWorkspace();
    mkdirSync(join(ws, 'out'));
    copyFileSync(ADD_ONE, join(ws, 'out/real.wasm'));
    symlinkSync('../out/real.wasm', join(ws, 'build/app.wasm'));
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PUSH });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assert.deepEqual(measured(ws), ['build/add-one', 'build/app']);
  });
});

describe('names and sizes node cannot take as they are', () => {
  test('a file name that is not UTF-8 gets a warning naming it, escaped', T, async (t) => {
    const ws = await faultWorkspace();
    const bad = Buffer.concat([Buffer.from(join(ws, 'build/bad')), Buffer.from([0xff, 0xfe]), Buffer.from('.wasm')]);
    writeFileSync(bad, readFileSync(ADD_ONE));
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PR });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assertWarning(
      r,
      /^::warning::artifacts: skipped build\/bad\\xff\\xfe\.wasm: its file name is not UTF-8.*Rename it/,
    );
    assertSummary(r, /build\/add-one/, /skipped build\/bad\\\\xff\\\\xfe\.wasm/);
  });

  test('an artifact over the size limit (a sparse 2 GiB file): `artifacts`, the file and the limit', T, async (t) => {
    const ws = await faultWorkspace();
    const big = join(ws, 'build/big.wasm');
    writeFileSync(big, readFileSync(ADD_ONE));
    execFileSync('truncate', ['-s', '2G', big]);
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PR });
    await assertInputFault(r, ws, {
      input: 'artifacts',
      fix: /build\/big\.wasm is 2048 MiB, over the 256 MiB limit for an artifact/,
    });
    assert.doesNotMatch(r.stdout, /greater than 2 GiB/, "node's raw message");
  });
});

describe('the baseline file a pull request can write', () => {
  test('a FIFO at baseline-path is not read: a warning naming baseline-path, verdict no-baseline', T, async (t) => {
    const ws = await faultWorkspace();
    rmSync(join(ws, BASELINE_REL));
    execFileSync('mkfifo', [join(ws, BASELINE_REL)]);
    const r = await runFault(t, { workspace: ws, inputs: FAST_INPUTS, ...PR });
    assert.equal(r.code, 0, `${r.stdout.slice(-3000)}\n${r.stderr.slice(-1500)}`);
    assertWarning(
      r,
      /^::warning::.*baseline-path: .*perf\/baseline\.json is a named pipe \(FIFO\), not a regular file/,
    );
    assert.equal(r.outputs['verdict'], 'no-baseline');
  });
});
