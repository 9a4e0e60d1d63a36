// Issue 19: wasmtime, wasmer, wasmi and wazero for real, end to end through dist/index.js, each given as
// `name@path` (the binaries scripts/install-real-runtimes.sh builds or unpacks from crates.io, PyPI and the Go
// proxy), on every variant each has: an A/A benchmark passes and the same program doing 4× the work is flagged.
// Timing-sensitive (verdicts on measured time), so it runs in the tier of its own; the failures and metrics of
// the same binaries, which assert no timing, are e2e-real-runtimes-outcomes. In CI a missing binary fails.
import assert from 'node:assert/strict';
import { describe, test, type TestContext } from 'node:test';
import { requireExe, skipUnlessReal, versionLine } from './helpers/real-runtimes.js';
import { pullRequestPayload, runAction } from './helpers/run-action.js';
import {
  config,
  FAST,
  REAL,
  reportOf,
  runtimeEntry,
  SLOW,
  verdictLines,
  workspace,
} from './helpers/real-runtime-cases.js';

for (const rt of REAL) {
  describe(`${rt.name} for real (name@path)`, skipUnlessReal(rt.name), () => {
    const log = (t: TestContext) => t.diagnostic(`real ${rt.name}: ${versionLine(rt.name, requireExe(rt.name))}`);

    const todo = rt.unverified === undefined ? {} : { todo: rt.unverified };
    test(
      `A/A passes and the 4× program is flagged on ${rt.variants.map((v) => v.name).join(', ')}`,
      todo,
      async (t) => {
        log(t);
        const files: Record<string, string> = {};
        const lines: string[] = [];
        for (const v of rt.variants) {
          for (const [bench, pr] of [
            ['same', FAST],
            ['slower', SLOW],
          ] as const) {
            files[`build/${bench}-${v.name}.wasm`] = pr;
            files[`base/${bench}-${v.name}.wasm`] = FAST;
            lines.push(
              `  - { name: ${bench}-${v.name}, artifact: build/${bench}-${v.name}.wasm, args: [${v.n}], runtimes: [${runtimeEntry(rt, v)}] }`,
            );
          }
        }
        const r = await runAction({
          workspace: workspace(files, ['metrics: [wall, cpu]', config(lines)].join('\n')),
          inputs: {
            config: 'perf.yml',
            'baseline-artifacts': 'base/*.wasm',
            'baseline-path': 'perf/baseline.json',
            'min-runs': '6',
            'max-runs': '14',
            // A/A must never fail by design (see helpers/run-action.ts gateInputs); 4× the work is far past it.
            alpha: '0.001',
            comment: 'false',
          },
          eventName: 'pull_request',
          payload: pullRequestPayload(),
        });
        const report = reportOf(r);
        const lines_ = verdictLines(report);
        for (const line of lines_.split('\n')) t.diagnostic(line);
        assert.equal(r.code, 1, `the step fails on the 4× program:\n${lines_}`);
        assert.equal(report.headline, 'regressed', lines_);
        for (const v of rt.variants) {
          const of = (bench: string) => report.verdicts.filter((x) => x.benchmark === `${bench}-${v.name}`);
          assert.ok(
            of('slower').some((x) => x.kind === 'regressed'),
            `4× the work on ${rt.name}:${v.name} is flagged:\n${lines_}`,
          );
          assert.ok(
            of('same').every((x) => x.kind !== 'regressed' && x.kind !== 'failed'),
            `A/A on ${rt.name}:${v.name} passes:\n${lines_}`,
          );
          assert.equal(of('same').length, 2, `wall and cpu judged on ${v.name}:\n${lines_}`);
        }
      },
    );
  });
}
