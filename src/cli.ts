#!/usr/bin/env node
// The local CLI: the same pipeline as the action, with a baseline file instead of the Actions cache,
// live progress on stderr and a table on stdout — to reproduce a CI verdict on a laptop.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { oneLine } from './baseline/one-line.js';
import { runnerPlatform } from './baseline/platform.js';
import { fileStore } from './baseline/store.js';
import { REFRESH_ON_A_TERMINAL } from './baseline/schema.js';
import { cancelOnSignals, exitCodeFor } from './pipeline/cancel-on-signal.js';
import { CLI_DEFAULTS, CLI_INPUTS, helpText } from './cli/help.js';
import { terminalProgress } from './cli/progress.js';
import { bisectCommand } from './cli/bisect.js';
import { InputError } from './model/input-error.js';
import { readInputs, type InputName } from './config/inputs.js';
import { loadPlan } from './config/load-plan.js';
import { cliRunMode } from './config/mode.js';
import { historyStoreFor } from './history/branch-setup.js';
import type { Mode } from './model/plan.js';
import { cancelledBy } from './process/cancellation.js';
import { renderReport } from './report/render.js';
import { reproduceCommand } from './report/reproduce.js';
import { wantsColor } from './report/terminal-style.js';
import { runGate } from './pipeline/run-gate.js';
import { TOOL_VERSION } from './model/version.js';

const COMMANDS = ['run', 'compare', 'baseline', 'bisect'];
const USAGE = 'Usage: wasm-perf-gate <baseline|compare|run|bisect> [options]   (wasm-perf-gate --help for the options)';

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'V' },
      markdown: { type: 'string' },
      json: { type: 'string' },
      good: { type: 'string' },
      bad: { type: 'string' },
      ...Object.fromEntries(CLI_INPUTS.map((name) => [name, { type: 'string' as const }])),
    },
  });
}

async function main(argv: string[]): Promise<number> {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (e) {
    process.stderr.write(`wasm-perf-gate: ${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values['help']) return print(process.stdout, `${helpText(TOOL_VERSION)}\n`, 0);
  if (values['version']) return print(process.stdout, `${TOOL_VERSION}\n`, 0);
  const command = positionals[0];
  if (!command || !COMMANDS.includes(command) || positionals.length > 1) {
    const what = command && !COMMANDS.includes(command) ? `unknown command "${command}"\n` : '';
    return print(process.stderr, `${what}${USAGE}\n`, 2);
  }

  const workspace = process.cwd();
  const flags = values as Record<string, string | undefined>;
  const alias: Partial<Record<InputName, string>> = { 'bisect-good': 'good', 'bisect-bad': 'bad' };
  const given = (name: InputName) => flags[name] ?? flags[alias[name] ?? ''] ?? CLI_DEFAULTS[name];
  const inputs = readInputs(given);
  if (command === 'bisect') {
    cancelOnSignals((m) => process.stderr.write(`\n${m}\n`));
    return bisectCommand(inputs, workspace, { markdown: flags['markdown'], json: flags['json'] });
  }
  const mode: Mode = command === 'run' ? cliRunMode(inputs, workspace) : (command as Mode);
  const scratch = resolve(workspace, '.wasm-perf-gate');
  const plan = await loadPlan(inputs, {
    workspace,
    mode,
    defaultJsonPath: join(scratch, 'report.json'),
    warn: (m) => process.stderr.write(`warning: ${m}\n`),
  });
  const baselinePath = plan.settings.baselinePath ?? '';
  const store = fileStore(resolve(workspace, baselinePath), 'baseline-path', REFRESH_ON_A_TERMINAL);
  const color = wantsColor(process.env, process.stderr.isTTY);
  const progress = terminalProgress(plan, {
    write: (t) => process.stderr.write(t),
    isTTY: process.stderr.isTTY === true,
    columns: process.stderr.columns,
    color,
  });
  cancelOnSignals((m) => process.stderr.write(`\n${m}\n`));
  const { report, outcome, errors } = await runGate(plan, {
    log: progress.log,
    warn: (m) => progress.log(`warning: ${m}`),
    loadBaseline: () => store.load(),
    saveBaseline: (doc) => store.save(doc),
    tempDir: join(scratch, 'tmp'),
    reproduce: reproduceCommand(plan.settings, plan.mode, baselinePath),
    context: {},
    progress: progress.hooks,
    // `--history branch:NAME` from a laptop: the repository from GITHUB_REPOSITORY and GITHUB_SERVER_URL.
    ...(plan.baseline.historyBranch
      ? {
          history: historyStoreFor(plan.settings, plan.baseline.historyBranch, {
            platform: runnerPlatform(),
            tempDir: join(scratch, 'tmp'),
          }),
        }
      : {}),
  });
  for (const [format, file] of [
    ['markdown', values['markdown']],
    ['json', values['json']],
  ] as const) {
    if (!file) continue;
    const path = resolve(workspace, file);
    const error = writeReport(path, renderReport(format, report));
    if (error)
      errors.push(
        `--${format}: cannot write the report to ${path} (${error}). Point --${format} at a file in a writable folder.`,
      );
    else process.stderr.write(`${format} report: ${path}\n`);
  }
  process.stdout.write(
    `\n${renderReport('terminal', report, { color: wantsColor(process.env, process.stdout.isTTY) })}`,
  );
  if (outcome.shouldFail) process.stderr.write(`${outcome.reasons.join('\n')}\n`);
  for (const line of errors) process.stderr.write(`wasm-perf-gate: ${line}\n`);
  const cancelled = cancelledBy();
  if (cancelled !== undefined) return exitCodeFor(cancelled);
  return outcome.shouldFail || errors.length > 0 ? 1 : 0;
}

/** Undefined when written; else why not (the run itself was measured and is reported on stdout anyway). */
function writeReport(path: string, text: string): string | undefined {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, text);
    return undefined;
  } catch (e) {
    return oneLine(e);
  }
}

function print(stream: NodeJS.WriteStream, text: string, code: number): number {
  stream.write(text);
  return code;
}

// The @actions/* libraries speak workflow commands (`::debug::…`) on stdout; a terminal wants none of them.
const writeStdout = process.stdout.write.bind(process.stdout);
process.stdout.write = ((chunk: string | Uint8Array, ...rest: never[]) =>
  typeof chunk === 'string' && chunk.startsWith('::debug::')
    ? true
    : writeStdout(chunk, ...rest)) as typeof process.stdout.write;

// Exit once stdout has drained: a pipe would otherwise lose the end of the table.
main(process.argv.slice(2)).then(
  (code) => process.stdout.write('', () => process.exit(code)),
  (e: unknown) => {
    const input = e instanceof InputError;
    process.stderr.write(`wasm-perf-gate: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(input ? 2 : 3);
  },
);
