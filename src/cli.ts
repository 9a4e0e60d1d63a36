#!/usr/bin/env node
// The local CLI: the same pipeline as the action, with a baseline file instead of the Actions cache,
// progress on stderr and the report on stdout — to reproduce a CI verdict on a laptop.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { oneLine } from './baseline/one-line.js';
import { fileStore } from './baseline/store.js';
import { InputError } from './config/input-error.js';
import { INPUTS, readInputs, type InputName } from './config/inputs.js';
import { loadPlan } from './config/load-plan.js';
import type { Mode } from './config/types.js';
import { renderJson } from './report/json-report.js';
import { reproduceCommand } from './report/reproduce.js';
import { renderSummary } from './report/summary-markdown.js';
import { runGate } from './run-gate.js';

const USAGE = `Usage: wasm-perf-gate <run|compare|baseline> [--input value ...]

  baseline   measure and save the baseline file
  compare    measure and compare with the baseline file (exit 1 on a regression)
  run        compare when the baseline file exists, else create it

Every action input is a flag (e.g. --artifacts 'build/*.wasm' --runtimes node,bun --threshold 3%).
Defaults: --baseline-path .wasm-perf-gate/baseline.json, --report-json .wasm-perf-gate/report.json
Inputs: ${INPUTS.map((i) => i.name).join(', ')}`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      ...Object.fromEntries(INPUTS.map((i) => [i.name, { type: 'string' as const }])),
    },
  });
  const command = positionals[0];
  if (values['help'] || !command || !['run', 'compare', 'baseline'].includes(command)) {
    process.stderr.write(`${USAGE}\n`);
    return values['help'] ? 0 : 2;
  }
  const workspace = process.cwd();
  const given = (name: InputName) => (values as Record<string, unknown>)[name] as string | undefined;
  const inputs = readInputs((name) => (name === 'comment' ? 'false' : given(name)));
  inputs['baseline-path'] ||= '.wasm-perf-gate/baseline.json';
  inputs['report-json'] ||= '.wasm-perf-gate/report.json';
  const baselinePath = resolve(workspace, inputs['baseline-path']);
  const mode: Mode =
    command === 'run'
      ? existsSync(baselinePath) || inputs['baseline-artifacts']
        ? 'compare'
        : 'baseline'
      : (command as Mode);
  const plan = await loadPlan(inputs, { workspace, mode, defaultJsonPath: resolve(workspace, inputs['report-json']) });
  const store = fileStore(baselinePath);
  const tty = process.stderr.isTTY;
  const { report, outcome, errors } = await runGate(plan, {
    log: (m) => process.stderr.write(`${m}\n`),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
    loadBaseline: () => store.load(),
    saveBaseline: (doc) => store.save(doc),
    tempDir: join(dirname(plan.report.jsonPath), 'tmp'),
    reproduce: reproduceCommand(inputs, plan.mode, inputs['baseline-path']),
    context: {},
    progress: {
      onCellStart: (job, i, n) =>
        process.stderr.write(
          `[${i + 1}/${n}] ${job.bench.id} on ${job.runtime.id}${job.baseArtifact ? ' vs baseline' : ''}${tty ? '' : '\n'}`,
        ),
      onProgress: tty
        ? (_job, e) =>
            e.phase === 'run' &&
            e.arm === 'candidate' &&
            process.stderr.write(`\r\x1b[2K  run ${e.index + 1}: ${e.wallMs.toFixed(1)} ms`)
        : undefined,
      onCellDone: tty ? () => process.stderr.write('\r\x1b[2K') : undefined,
    },
  });
  const jsonError = writeJsonReport(plan.report.jsonPath, renderJson(report));
  if (jsonError) errors.push(jsonError);
  process.stdout.write(`${renderSummary(report)}\n`);
  process.stderr.write(`${mode}: ${report.headline}${jsonError ? '' : ` — JSON report: ${plan.report.jsonPath}`}\n`);
  if (outcome.shouldFail) process.stderr.write(`${outcome.reasons.join('\n')}\n`);
  for (const line of errors) process.stderr.write(`wasm-perf-gate: ${line}\n`);
  return outcome.shouldFail || errors.length > 0 ? 1 : 0;
}

/** Undefined when written; else the error line naming --report-json (the report itself was already measured). */
function writeJsonReport(path: string, json: string): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, json);
    return undefined;
  } catch (e) {
    return `report-json: cannot write the JSON report to ${path} (${oneLine(e)}). Point --report-json at a file path in a writable folder.`;
  }
}

// The @actions/* libraries speak workflow commands (`::debug::…`) on stdout; a terminal wants none of them.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  typeof chunk === 'string' && chunk.startsWith('::debug::')
    ? true
    : writeStdout(chunk, ...rest)) as typeof process.stdout.write;

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    const input = e instanceof InputError;
    process.stderr.write(`wasm-perf-gate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(input ? 2 : 1);
  },
);
