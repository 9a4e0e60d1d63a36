// Issue 26 through dist/index.js with real runtimes: one .wasm suite on two builds of wasmtime. An A/A of a
// binary and its copy passes with the A/A note; a slower code generator given as the PR's build (wasmtime's
// Winch with fuel metering, ~3-4x the CPU of Cranelift on fib) is flagged and fails the step with both builds
// named; bad input names the key and the fix. Verdicts on measured time: it runs in the tier of its own; the
// installs, stored builds and versions of runtime changes are e2e-runtime-change-builds.
import assert from 'node:assert/strict';
import { chmodSync, copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { requireExe, skipUnlessReal, versionLine } from './helpers/real-runtimes.js';
import { fibBench, gate, lines, reportOf, workspace } from './helpers/runtime-change-cases.js';

describe('two builds of wasmtime, side by side (baseline-path)', skipUnlessReal('wasmtime'), () => {
  test('A/A: a binary and its copy pass, with the identical-builds note', async (t) => {
    const exe = requireExe('wasmtime');
    t.diagnostic(versionLine('wasmtime', exe));
    const ws = workspace('');
    const copy = join(ws, 'main-build/wasmtime');
    mkdirSync(join(ws, 'main-build'));
    copyFileSync(exe, copy);
    chmodSync(copy, 0o755);
    writeFileSync(
      join(ws, 'perf.yml'),
      `runtimes:\n  - { name: wasmtime, path: '${exe}', baseline-path: main-build/wasmtime }\n${fibBench(30)}`,
    );
    const r = await gate(ws);
    const report = reportOf(r);
    t.diagnostic(lines(report));
    assert.equal(r.code, 0, `${lines(report)}\n${r.stderr.slice(-2000)}`);
    assert.equal(report.headline, 'pass');
    const change = report.runtimeChanges?.[0];
    assert.ok(change, 'the runtime change is in the report');
    assert.equal(change.identical, true);
    assert.equal(change.candidate.sha256, change.baseline.sha256);
    const wall = report.verdicts.find((v) => v.metric === 'wall')!;
    assert.equal(wall.method, 'paired', 'measured through the paired engine');
    assert.ok(wall.runs.baseline >= 6 && wall.runs.candidate >= 6);
    assert.match(r.summary, /the two builds are identical \(same sha256\), so this is an A\/A run/);
    assert.match(r.summary, /wasmtime: this PR's build vs main's build/);
  });

  test("a slower code generator as the PR's build is flagged, fails the step and both builds are named", async (t) => {
    const exe = requireExe('wasmtime');
    const ws = workspace('');
    // The PR's "build": the same wasmtime compiling with Winch and metering fuel (~3-4x Cranelift's CPU on fib).
    const wrapper = join(ws, 'pr-build/wasmtime');
    mkdirSync(join(ws, 'pr-build'));
    writeFileSync(
      wrapper,
      `#!/bin/sh\nif [ "$1" = run ]; then shift; exec '${exe}' run -C compiler=winch -W fuel=1000000000000000 "$@"; fi\nexec '${exe}' "$@"\n`,
    );
    chmodSync(wrapper, 0o755);
    writeFileSync(
      join(ws, 'perf.yml'),
      `runtimes:\n  - { name: wasmtime, path: pr-build/wasmtime, baseline-path: '${exe}' }\n${fibBench(32)}`,
    );
    const r = await gate(ws, { 'max-runs': '10' });
    const report = reportOf(r);
    t.diagnostic(lines(report));
    assert.equal(r.code, 1, lines(report));
    assert.equal(report.headline, 'regressed', lines(report));
    assert.equal(report.verdicts.find((v) => v.metric === 'wall')!.kind, 'regressed');
    const change = report.runtimeChanges![0]!;
    assert.notEqual(change.candidate.sha256, change.baseline.sha256);
    for (const sha of [change.candidate.sha256, change.baseline.sha256]) assert.ok(r.summary.includes(sha));
    assert.match(r.summary, /## .*wasm-perf-gate: .* — wasmtime: this PR's build vs main's build/);
    assert.ok(report.suiteChanges?.[0] && report.suiteChanges[0].ratio > 1.5, JSON.stringify(report.suiteChanges));
  });

  test('baseline-path missing or not executable: refused naming baseline-path', async () => {
    const exe = requireExe('wasmtime');
    const ws = workspace(
      `runtimes:\n  - { name: wasmtime, path: '${exe}', baseline-path: base/wasmtime }\n${fibBench(20)}`,
    );
    const r = await gate(ws);
    assert.equal(r.code, 1);
    assert.match(r.stdout + r.stderr, /baseline-path: wasmtime: base\/wasmtime does not exist/);
    mkdirSync(join(ws, 'base'));
    writeFileSync(join(ws, 'base/wasmtime'), 'not a program');
    const again = await gate(ws);
    assert.equal(again.code, 1);
    assert.match(again.stdout + again.stderr, /baseline-path: wasmtime: base\/wasmtime is not executable/);
  });
});
