// Issue 27, a WASI preview 2 component end to end through dist/index.js: it is recognised from its header
// (component-model version/layer), runs on the real wasmtime (`wasmtime run` takes components) and fails
// elsewhere with "a component: RUNTIME runs core modules only", never with a parse error.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test } from 'node:test';
import { requireExe, skipUnlessReal } from './helpers/real-runtimes.js';
import { pushPayload, runAction, workspaceWith, type ActionRun } from './helpers/run-action.js';

const COMPONENT = '__tests__/fixtures/component/hello.wasm';
// sightglass's component benchmark, unmodified: it imports its bench.start/bench.end as an instance `bench`.
const CM_ONLINE_STATS = '__tests__/fixtures/sightglass-real/cm-online-stats/cm-online-stats.wasm';

interface Report {
  measurements: { runtime: string; candidate: { samples: unknown[]; failure?: { kind: string; message: string } } }[];
}
const reportOf = (r: ActionRun): Report => JSON.parse(readFileSync(r.outputs['report-json']!, 'utf8')) as Report;

/** A push refresh of `files` (workspace path → fixture) on `runtimes`, two runs each. */
const refresh = (files: Record<string, string>, runtimes: string): Promise<ActionRun> =>
  runAction({
    workspace: workspaceWith(files),
    inputs: {
      artifacts: 'build/*.wasm',
      runtimes,
      'baseline-path': 'perf/baseline.json',
      'min-runs': '2',
      'max-runs': '2',
    },
    eventName: 'push',
    payload: pushPayload(),
  });

describe('a WASI preview 2 component', skipUnlessReal('wasmtime'), () => {
  test('runs on wasmtime; node is refused by name, not with a parse error', async () => {
    const r = await refresh({ 'build/hello.wasm': COMPONENT }, `node, wasmtime@${requireExe('wasmtime')}`);
    const why = `\n${r.stdout.slice(-3000)}`;
    const cells = reportOf(r).measurements;
    const wasmtime = cells.find((m) => m.runtime.startsWith('wasmtime'));
    const node = cells.find((m) => m.runtime.startsWith('node'));
    assert.ok(wasmtime && node, why);
    assert.equal(wasmtime.candidate.failure, undefined, why);
    assert.equal(wasmtime.candidate.samples.length, 2, why);
    assert.equal(node.candidate.failure?.kind, 'load', why);
    assert.match(node.candidate.failure!.message, /^a component: node runs core modules only\. Run it on wasmtime/);
    assert.doesNotMatch(r.stdout, /not a valid WebAssembly module|expected version/, why);
  });

  test("a component importing sightglass's bench instance is refused on wasmtime by name, before any run", async () => {
    const r = await refresh({ 'build/cm-online-stats.wasm': CM_ONLINE_STATS }, `wasmtime@${requireExe('wasmtime')}`);
    const why = `\n${r.stdout.slice(-3000)}`;
    const [cell] = reportOf(r).measurements;
    assert.equal(cell?.candidate.failure?.kind, 'load', why);
    assert.match(
      cell.candidate.failure!.message,
      /^a component importing bench\.start\/bench\.end \(an instance `bench`.*wasmtime's command line cannot provide it/,
    );
    assert.equal(cell.candidate.samples.length, 0, why);
    assert.doesNotMatch(r.stdout, /failed to run main module/, why);
  });
});
