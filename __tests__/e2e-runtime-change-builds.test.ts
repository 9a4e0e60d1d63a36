// Issue 26 through dist/index.js with real runtimes (the two-wasmtime verdicts are e2e-runtime-change): an
// upgrade installs two real wazero versions through the loopback release mirror (release-layout archives,
// checksum files) and names both; main stores its build and a PR is measured against it; two real wasmi
// versions through baseline-runtimes; bad input names the key and the fix. No assertion here depends on
// timing (any verdict but `failed`), so it runs beside other files.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { requireExe, skipUnlessReal, versionLine } from './helpers/real-runtimes.js';
import {
  buildArchive,
  retryDownloadsAtOnce,
  startReleaseServer,
  type ReleaseServer,
} from './helpers/release-server.js';
import { gateInputs, pullRequestPayload, pushPayload, runAction } from './helpers/run-action.js';
import { FAST, fibBench, gate, lines, reportOf, workspace } from './helpers/runtime-change-cases.js';

retryDownloadsAtOnce();

describe('an upgrade: two real wazero versions through the loopback release mirror', skipUnlessReal('wazero'), () => {
  let releases: ReleaseServer;
  const VERSIONS = { new: '1.12.0', old: '1.9.0' };

  before(async () => {
    if (skipUnlessReal('wazero_old').skip !== false) return;
    releases = await startReleaseServer();
    for (const [version, exe] of [
      [VERSIONS.new, requireExe('wazero')],
      [VERSIONS.old, requireExe('wazero_old')],
    ] as const) {
      const asset = `wazero_${version}_linux_amd64.tar.gz`;
      const sha = releases.add('tetratelabs', 'wazero', `v${version}`, asset, buildArchive('tar.gz', { wazero: exe }));
      releases.add(
        'tetratelabs',
        'wazero',
        `v${version}`,
        `wazero_${version}_checksums.txt`,
        Buffer.from(`${sha}  ${asset}\n`),
      );
    }
  });
  after(() => releases?.close());

  test(
    'both versions downloaded, verified, measured side by side and named',
    skipUnlessReal('wazero_old'),
    async (t) => {
      t.diagnostic(
        `${versionLine('wazero', requireExe('wazero'))} / ${versionLine('wazero_old', requireExe('wazero_old'))}`,
      );
      const ws = workspace(
        `runtimes:\n  - { name: wazero, version: ${VERSIONS.new}, baseline-version: ${VERSIONS.old} }\n${fibBench(30)}`,
      );
      const r = await gate(ws, { 'runtime-mirror': releases.url, 'min-runs': '4', 'max-runs': '6' });
      const report = reportOf(r);
      t.diagnostic(lines(report));
      assert.ok(
        report.verdicts.every((v) => v.kind !== 'failed'),
        lines(report),
      );
      const change = report.runtimeChanges![0]!;
      assert.equal(change.title, `wazero: ${VERSIONS.new} vs ${VERSIONS.old}`);
      assert.deepEqual([change.candidate.version, change.baseline.version], [VERSIONS.new, VERSIONS.old]);
      assert.equal(report.verdicts.find((v) => v.metric === 'wall')!.method, 'paired');
      assert.match(
        r.summary,
        new RegExp(`wazero: ${VERSIONS.new.replace(/\./g, '\\.')} vs ${VERSIONS.old.replace(/\./g, '\\.')}`),
      );
      const downloads = releases.requests.map((q) => q.path);
      for (const v of [VERSIONS.new, VERSIONS.old])
        assert.ok(
          downloads.some((p) => p.endsWith(`/wazero_${v}_linux_amd64.tar.gz`)),
          `wazero ${v} came from the mirror: ${downloads.join(', ')}`,
        );
    },
  );

  test(
    'an upgrade noticed without baseline-version: main stored 1.9.0, the PR resolves 1.12.0; an uninstallable one warns',
    skipUnlessReal('wazero_old'),
    async (t) => {
      const ws = workspace(`runtimes:\n  - { name: wazero, version: ${VERSIONS.old} }\n${fibBench(25)}`);
      const run = (eventName: string, extra: Record<string, string> = {}) =>
        runAction({
          workspace: ws,
          inputs: gateInputs({
            config: 'perf.yml',
            comment: 'false',
            'runtime-mirror': releases.url,
            'min-runs': '4',
            'max-runs': '6',
            ...extra,
          }),
          eventName,
          payload: eventName === 'push' ? pushPayload() : pullRequestPayload(),
        });
      const push = await run('push');
      assert.equal(push.code, 0, push.stdout.slice(-2000) + push.stderr);
      const docPath = join(ws, 'perf/baseline.json');
      const doc = JSON.parse(readFileSync(docPath, 'utf8')) as { entries: { runtimeVersion: string }[] };
      assert.ok(
        doc.entries.length > 0 && doc.entries.every((e) => e.runtimeVersion === VERSIONS.old),
        readFileSync(docPath, 'utf8').slice(0, 1000),
      );
      // the PR edits the version and nothing else
      writeFileSync(join(ws, 'perf.yml'), `runtimes:\n  - { name: wazero, version: ${VERSIONS.new} }\n${fibBench(25)}`);
      const pr = await run('pull_request');
      const report = reportOf(pr);
      t.diagnostic(lines(report));
      const change = report.runtimeChanges?.[0];
      assert.ok(change, pr.stdout.slice(-3000));
      assert.deepEqual([change.candidate.version, change.baseline.version], [VERSIONS.new, VERSIONS.old]);
      assert.equal(change.baseline.noticed, true);
      assert.notEqual(change.candidate.sha256, change.baseline.sha256);
      const esc = (v: string) => v.replace(/\./g, '\\.');
      assert.match(pr.summary, new RegExp(`runtime changed: wazero ${esc(VERSIONS.old)} → ${esc(VERSIONS.new)}`));
      for (const label of [`wazero ${VERSIONS.new}`, `wazero ${VERSIONS.old}`]) assert.ok(pr.summary.includes(label));
      assert.equal(report.verdicts.find((v) => v.metric === 'wall')!.method, 'paired');
      assert.doesNotMatch(pr.stdout, /the \.wasm changed too/);
      // The .wasm changed too (4x the guest work: at fib(35) over 2x the wall time of x1 with wazero's start-up):
      // each effect measured apart. Both arms of every cell run the PR's args, so the bigger N needs no new push.
      copyFileSync('__tests__/fixtures/measure/fibonacci-x4.wasm', join(ws, 'build/fib.wasm'));
      writeFileSync(join(ws, 'perf.yml'), `runtimes:\n  - { name: wazero, version: ${VERSIONS.new} }\n${fibBench(35)}`);
      const both = await run('pull_request', { 'max-runs': '10' });
      const split = reportOf(both);
      t.diagnostic(lines(split));
      assert.match(
        both.stdout,
        /runtime changed \(wazero\) and the \.wasm changed too \(fib\): each effect is measured apart/,
      );
      const wall = (effect: string) => split.verdicts.find((v) => v.effect === effect && v.metric === 'wall');
      const [program, onMain] = [wall('program'), wall('runtime')];
      assert.ok(program && onMain, lines(split));
      // (i) the program change, on the new version: this PR's x4 against main's x1, caught and gating
      assert.equal(program.runtime, `wazero@${VERSIONS.new}`);
      assert.equal(program.method, 'paired');
      assert.ok(['regressed', 'likely-regressed'].includes(program.kind), lines(split));
      assert.ok(program.ratio! > 2, lines(split));
      assert.equal(both.code, 1, lines(split));
      assert.equal(split.headline, 'regressed');
      // (ii) the runtime change, measured on main's programs: its new-version arm is the program cell's main arm
      assert.equal(onMain.runtime, `wazero [main's programs]@${VERSIONS.new}`);
      assert.equal(onMain.method, 'paired');
      assert.ok(onMain.ratio! < 1.6 && onMain.ratio! > 0.6, lines(split));
      const near = onMain.candidateMedian! / program.baselineMedian!;
      assert.ok(
        near > 0.6 && near < 1.6,
        `main's .wasm on ${VERSIONS.new}: ${onMain.candidateMedian} vs ${program.baselineMedian}`,
      );
      const splitChange = split.runtimeChanges?.[0];
      assert.equal(splitChange?.split?.program.title, `program change on wazero ${VERSIONS.new}`);
      assert.equal(
        splitChange?.split?.runtime.title,
        `runtime change wazero ${VERSIONS.old} → ${VERSIONS.new} on main's programs`,
      );
      for (const title of [splitChange!.split!.program.title, splitChange!.split!.runtime.title])
        assert.ok(both.summary.includes(title), both.summary);
      copyFileSync(FAST, join(ws, 'build/fib.wasm'));
      writeFileSync(join(ws, 'perf.yml'), `runtimes:\n  - { name: wazero, version: ${VERSIONS.new} }\n${fibBench(25)}`);
      // main's version the mirror does not hold: today's comparison, with a warning naming what to fix
      for (const e of doc.entries) e.runtimeVersion = '1.8.0';
      writeFileSync(docPath, JSON.stringify(doc));
      const fallback = await run('pull_request');
      const again = reportOf(fallback);
      assert.equal(again.runtimeChanges, undefined);
      assert.ok(
        again.verdicts.every((v) => v.kind !== 'failed'),
        lines(again),
      );
      assert.match(
        fallback.stdout + fallback.stderr,
        /runtime changed: wazero 1\.8\.0 → 1\.12\.0, but wazero 1\.8\.0 .* could not be installed[\s\S]*runtime-mirror/,
      );
    },
  );

  test(
    'a baseline-version the mirror does not hold: refused naming the runtime, the version and runtime-mirror',
    skipUnlessReal('wazero_old'),
    async () => {
      const ws = workspace(
        `runtimes:\n  - { name: wazero, version: ${VERSIONS.new}, baseline-version: 1.8.0 }\n${fibBench(20)}`,
      );
      const r = await gate(ws, { 'runtime-mirror': releases.url });
      assert.equal(r.code, 1);
      assert.match(
        r.stdout + r.stderr,
        /baseline-version: wazero 1\.8\.0 \(the baseline side of wazero\) could not be installed: .*runtime-mirror/,
      );
    },
  );
});

describe('under-test: main stores its build, a PR is measured against it', skipUnlessReal('wazero'), () => {
  const config = `runtimes:\n  - { name: wazero, path: rt/wazero, under-test: true }\n${fibBench(28)}`;
  const put = (ws: string, exe: string) => {
    mkdirSync(join(ws, 'rt'), { recursive: true });
    copyFileSync(exe, join(ws, 'rt/wazero'));
    chmodSync(join(ws, 'rt/wazero'), 0o755);
  };
  const run = (ws: string, eventName: string, extra: Record<string, string> = {}) =>
    runAction({
      workspace: ws,
      inputs: gateInputs({ config: 'perf.yml', comment: 'false', 'min-runs': '4', 'max-runs': '6', ...extra }),
      eventName,
      payload: eventName === 'push' ? pushPayload() : pullRequestPayload(),
    });
  const docOf = (ws: string) =>
    JSON.parse(readFileSync(join(ws, 'perf/baseline.json'), 'utf8')) as {
      runtimes?: Record<string, { sha256: string; size: number; base64: string; version: string }>;
    };

  test("a push stores main's build; a PR's build is measured against it", skipUnlessReal('wazero_old'), async (t) => {
    const ws = workspace(config);
    put(ws, requireExe('wazero'));
    const push = await run(ws, 'push');
    assert.equal(push.code, 0, push.stdout.slice(-2000) + push.stderr);
    const stored = docOf(ws).runtimes?.['wazero'];
    assert.ok(stored, 'the build is stored with the baseline');
    assert.equal(stored.sha256, sha256Of(readFileSync(requireExe('wazero'))));
    assert.equal(stored.version, '1.12.0');
    // the PR changes the runtime: its build is the older wazero
    put(ws, requireExe('wazero_old'));
    const pr = await run(ws, 'pull_request');
    const report = reportOf(pr);
    t.diagnostic(lines(report));
    const change = report.runtimeChanges?.[0];
    assert.ok(change, pr.stdout.slice(-2000));
    assert.equal(change.title, "wazero: this PR's build (1.9.0) vs main's stored build (1.12.0)");
    assert.equal(change.baseline.sha256, stored.sha256);
    assert.equal(report.verdicts.find((v) => v.metric === 'wall')!.method, 'paired');
    assert.match(pr.stdout, /main's build restored \(sha256 [0-9a-f]{64} checked\)/);
  });

  test('a PR before main stored a build: no-baseline, with the note that the next push stores it', async () => {
    const ws = workspace(config);
    put(ws, requireExe('wazero'));
    const r = await run(ws, 'pull_request');
    const report = reportOf(r);
    assert.equal(report.headline, 'no-baseline');
    assert.ok(report.verdicts.every((v) => v.kind === 'new'));
    assert.ok(report.verdicts[0]!.notes.some((n) => /the next push to main \(a refresh\) stores it/.test(n)));
  });

  test('a stored build whose bytes do not hash to the stored sha256 is refused and never run', async () => {
    const ws = workspace(config);
    put(ws, requireExe('wazero'));
    assert.equal((await run(ws, 'push')).code, 0);
    const doc = docOf(ws);
    const marker = join(ws, 'ran');
    // what a tampered cache entry would hold: a program that leaves a mark when run
    doc.runtimes!['wazero']!.base64 = Buffer.from(
      `#!/bin/sh\ntouch '${marker}'\nexec '${requireExe('wazero')}' "$@"\n`,
    ).toString('base64');
    writeFileSync(join(ws, 'perf/baseline.json'), JSON.stringify(doc));
    const r = await run(ws, 'pull_request');
    const report = reportOf(r);
    assert.ok(!existsSync(marker), 'the refused build never ran');
    assert.match(
      r.stdout + r.stderr,
      /the stored build of wazero was refused and not run: its bytes hash to [0-9a-f]{64}/,
    );
    assert.ok(
      report.verdicts.every((v) => v.kind === 'new'),
      lines(report),
    );
    assert.equal(report.runtimeChanges, undefined);
  });

  test('a refresh on a PR event (pull_request_target) is refused: it would store a build later PRs run', async () => {
    const ws = workspace(config);
    put(ws, requireExe('wazero'));
    const r = await run(ws, 'pull_request_target', { mode: 'baseline' });
    assert.equal(r.code, 1);
    assert.match(
      r.stdout + r.stderr,
      /mode: a baseline refresh on a pull_request_target event would store the build of wazero/,
    );
    assert.ok(!existsSync(join(ws, 'perf/baseline.json')), 'nothing stored');
  });
});

function sha256Of(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

describe('two real wasmi versions through the baseline-runtimes input', skipUnlessReal('wasmi'), () => {
  test(
    'wasmi 2.0.0 (PR) against wasmi_cli 0.32.3: both named by version, measured paired',
    skipUnlessReal('wasmi_old'),
    async (t) => {
      const [pr, main] = [requireExe('wasmi'), requireExe('wasmi_old')];
      t.diagnostic(`${versionLine('wasmi', pr)} / ${versionLine('wasmi_old', main)}`);
      const ws = workspace(fibBench(25));
      const r = await gate(ws, {
        runtimes: `wasmi@${pr}`,
        'baseline-runtimes': `wasmi@${main}`,
        'min-runs': '4',
        'max-runs': '6',
      });
      const report = reportOf(r);
      t.diagnostic(lines(report));
      assert.ok(
        report.verdicts.every((v) => v.kind !== 'failed'),
        lines(report) + r.stderr.slice(-1500),
      );
      const change = report.runtimeChanges![0]!;
      assert.deepEqual([change.candidate.version, change.baseline.version], ['2.0.0', '0.32.3']);
      assert.equal(change.title, "wasmi: this PR's build (2.0.0) vs main's build (0.32.3)");
      assert.equal(report.verdicts.find((v) => v.metric === 'wall')!.method, 'paired');
    },
  );
});
