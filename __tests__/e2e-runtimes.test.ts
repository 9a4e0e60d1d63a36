// Every runtime of the seeds, end to end: the bundled action measures the examples on node, bun and deno.
// bun and deno come from a local release server (runtime-mirror) serving zips built from the npm binaries in
// their real release layouts, with their real checksum files; node is the one running the action (embedded,
// by design no download). A baseline run installs and caches them; the PR run, in the same tool cache, must
// not download anything and reports the runtimes side by side and, with launcher metrics, the phases.
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { RunReport } from '../src/report/types.js';
import { startGitHubServer, type GitHubServer } from './helpers/github-server.js';
import { tablesOf, type TableShape } from './helpers/markdown-check.js';
import { buildArchive, startReleaseServer, type ReleaseServer } from './helpers/release-server.js';
import { requireTool } from './helpers/tools.js';
import {
  ACTION_NODE_VERSION,
  pullRequestPayload,
  pushPayload,
  runAction,
  type ActionRun,
} from './helpers/run-action.js';

const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');
const EXAMPLES = ['add-one', 'fibonacci', 'nbody'];
const BENCHMARKS = EXAMPLES.map((e) => `build/${e}`);
const DENO_ZIP = 'deno-x86_64-unknown-linux-gnu.zip';

let releases: ReleaseServer;
let gh: GitHubServer;
let work: string;
let ws: string;
let toolCache: string;
// The mirror serves bun and deno as zips (made with zip; the action unpacks them with unzip).
const zip = requireTool('zip');

before(async () => {
  if (zip.skip) return;
  releases = await startReleaseServer();
  gh = await startGitHubServer();
  work = mkdtempSync(join(tmpdir(), 'wpg-e2e-runtimes-'));
  toolCache = join(work, 'tool-cache');
  ws = join(work, 'ws');
  mkdirSync(join(ws, 'build'), { recursive: true });
  for (const e of EXAMPLES) copyFileSync(`examples/wasm/${e}.wasm`, join(ws, `build/${e}.wasm`));

  // The layouts and checksum files of the real releases (see the bun and deno descriptors in registry.ts).
  const bunSha = releases.add(
    'oven-sh',
    'bun',
    'bun-v1.4.5',
    'bun-linux-x64.zip',
    buildArchive('zip', { 'bun-linux-x64/bun': BUN }),
  );
  releases.add(
    'oven-sh',
    'bun',
    'bun-v1.4.5',
    'SHASUMS256.txt',
    Buffer.from(`${'ab'.repeat(32)}  bun-darwin-aarch64.zip\n${bunSha}  bun-linux-x64.zip\n`),
  );
  const denoSha = releases.add('denoland', 'deno', 'v2.9.6', DENO_ZIP, buildArchive('zip', { deno: DENO }));
  releases.add('denoland', 'deno', 'v2.9.6', `${DENO_ZIP}.sha256sum`, Buffer.from(`${denoSha}  ${DENO_ZIP}\n`));
});

after(async () => {
  if (zip.skip) return;
  await releases.close();
  await gh.close();
  rmSync(work, { recursive: true, force: true });
});

const inputs = (extra: Record<string, string> = {}) => ({
  artifacts: 'build/*.wasm',
  runtimes: 'node, bun, deno',
  'runtime-mirror': releases.url,
  'baseline-path': 'perf/baseline.json',
  'github-token': 'ghs_test_token',
  warmup: '1',
  'min-runs': '3',
  'max-runs': '4',
  // Same .wasm on both sides: a loaded runner must not turn noise into a failed step.
  threshold: '100%',
  'fail-on-regression': 'false',
  ...extra,
});

/** The same tool cache for every run, as on one runner with a warm cache. */
const env = () => ({ RUNNER_TOOL_CACHE: toolCache, GITHUB_API_URL: gh.url });

/** `runtime bun@1.4.5 (download: /…/bun)` lines of the log → runtime → where it came from. */
function installedFrom(r: ActionRun): Map<string, string> {
  return new Map([...r.stdout.matchAll(/^runtime (\w+)@\S+ \(([\w-]+): /gm)].map((m) => [m[1]!, m[2]!]));
}

function section(summary: string, heading: string): string {
  const start = summary.indexOf(heading);
  assert.ok(start >= 0, `missing ${heading}`);
  const next = summary.indexOf('\n### ', start + heading.length);
  return summary.slice(start, next === -1 ? undefined : next);
}

/** The runtimes-side-by-side table: header names the three runtimes, one sensible row per example, a mean row. */
function assertComparison(summary: string, runtimeIds: string[]): TableShape {
  const [table] = tablesOf(section(summary, '### Runtimes side by side'));
  assert.deepEqual(
    table!.header.map((h) => h.trim()),
    ['Benchmark', ...runtimeIds.map((id) => `<code>${id}</code>`)],
  );
  assert.deepEqual(
    table!.rows
      .slice(0, -1)
      .map((r) => r[0]!.trim())
      .sort(),
    BENCHMARKS.map((b) => `<code>${b}</code>`),
  );
  for (const row of table!.rows) {
    const ratios = row.slice(1).map((c) => Number(/([\d.]+)×/.exec(c)?.[1]));
    assert.ok(
      ratios.every((x) => Number.isFinite(x) && x >= 1),
      `ratios ≥ 1 (÷ fastest): ${row.join('|')}`,
    );
    if (row !== table!.rows.at(-1))
      assert.ok(
        row.some((c) => c.includes('**1.00×**')),
        `the fastest runtime is 1.00×: ${row.join('|')}`,
      );
  }
  assert.match(table!.rows.at(-1)![0]!, /Geometric mean.*3 benchmarks on every runtime/);
  return table!;
}

describe('node, bun and deno end to end through the runtime mirror', zip, () => {
  let runtimeIds: string[];

  test('baseline run: bun and deno downloaded from the mirror and verified, node embedded; the runtimes side by side', async () => {
    const r = await runAction({
      workspace: ws,
      inputs: inputs(),
      eventName: 'push',
      payload: pushPayload(),
      env: env(),
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.equal(r.outputs['verdict'], 'baseline-saved');
    assert.deepEqual(Object.fromEntries(installedFrom(r)), { node: 'embedded', bun: 'download', deno: 'download' });
    const fetched = releases.requests.filter((q) => q.status === 200).map((q) => q.path);
    for (const asset of ['SHASUMS256.txt', `${DENO_ZIP}.sha256sum`, 'bun-linux-x64.zip', DENO_ZIP]) {
      assert.ok(
        fetched.some((p) => p.endsWith(`/${asset}`)),
        `${asset} fetched from the mirror: ${fetched.join(', ')}`,
      );
    }

    const report = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as RunReport;
    runtimeIds = report.runtimes.map((rt) => rt.id);
    assert.deepEqual(runtimeIds, [`node@${ACTION_NODE_VERSION}`, 'bun@1.4.5', 'deno@2.9.6']);
    assert.equal(report.measurements.length, 9);
    assert.ok(
      report.measurements.every((m) => !m.candidate.failure && m.candidate.samples.length >= 3),
      'every cell ran',
    );
    assertComparison(r.summary, runtimeIds);
    // Phases are recorded on every run and shown without gating (issue 11), even when only wall gates.
    assert.ok(r.summary.includes('### Phases and memory'), 'phases shown by default');
  });

  test('PR run with launcher metrics: all from the tool cache (no request), a verdict per cell, runtimes side by side, phases', async () => {
    const before = releases.requests.length;
    const metrics = ['wall', 'compile', 'instantiate', 'execute', 'peak-rss'];
    const r = await runAction({
      workspace: ws,
      inputs: inputs({ metrics: metrics.join(', ') }),
      eventName: 'pull_request',
      payload: pullRequestPayload(),
      env: env(),
    });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.deepEqual(Object.fromEntries(installedFrom(r)), { node: 'embedded', bun: 'tool-cache', deno: 'tool-cache' });
    assert.deepEqual(releases.requests.slice(before), [], 'nothing downloaded on the second run');

    const report = JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as RunReport;
    for (const benchmark of BENCHMARKS) {
      for (const runtime of runtimeIds) {
        for (const metric of metrics) {
          const v = report.verdicts.find(
            (x) => x.benchmark === benchmark && x.runtime === runtime && x.metric === metric,
          );
          assert.ok(v, `verdict for ${benchmark} on ${runtime} (${metric})`);
          if (metric === 'wall')
            assert.ok(
              ['unchanged', 'improved', 'regressed', 'inconclusive'].includes(v.kind),
              `${benchmark} on ${runtime}: ${v.kind}`,
            );
          else assert.notEqual(v.kind, 'failed', `${benchmark} on ${runtime} (${metric})`);
        }
      }
    }
    assert.ok(
      report.measurements.every((m) => m.baseline && m.baseline.samples.length >= 3),
      'baseline .wasm re-measured side by side',
    );

    assertComparison(r.summary, runtimeIds);
    const phases = section(r.summary, '### Phases and memory');
    const tables = tablesOf(phases);
    assert.equal(tables.length, 3, 'one phase table per runtime');
    for (const [i, id] of runtimeIds.entries()) {
      assert.ok(phases.includes(`#### <code>${id}</code>`));
      const t = tables[i]!;
      assert.deepEqual(
        t.header.map((h) => h.trim()),
        ['Benchmark', 'Compile', 'Instantiate', 'Execute', 'Phases total', 'Wall', 'Peak RSS'],
      );
      assert.equal(t.rows.length, 3);
      for (const row of t.rows) {
        assert.ok(
          row.slice(1, 6).every((c) => /^\s*[\d.]+ (ns|µs|ms|s)\s*$/.test(c)),
          `every phase measured: ${row.join('|')}`,
        );
        assert.match(row[6]!, /^\s*[\d.]+ MiB\s*$/);
      }
    }
    assert.match(
      gh.comments[0]?.body ?? '',
      /Runtimes side by side \(geometric mean of median wall time ÷ fastest, 3 benchmarks\): <code>node@/,
    );
  });
});
