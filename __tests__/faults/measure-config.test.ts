// Fault catalogue, measured-process side: hostile or unreadable config for stdin, args, env and timeout.
// Each case runs dist/index.js on a PR over a workspace with a real previous baseline, and checks the exit
// code, the one error line (input + fix), the summary, and that the previous baseline is byte-identical.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { assertInputFault, FAST_INPUTS, faultWorkspace, PR, runFault } from '../helpers/fault-case.js';

const T = { timeout: 180_000 };
const withConfig = { ...FAST_INPUTS, config: 'perf.yml' };

/** A config file with one benchmark of build/add-one.wasm carrying `benchmark` keys (YAML lines). */
function config(ws: string, benchmark: string, top = ''): void {
  writeFileSync(join(ws, 'perf.yml'), `${top}benchmarks:\n  - artifact: build/add-one.wasm\n${benchmark}`);
}

const stdinCases: [string, (ws: string) => string, RegExp][] = [
  [
    'stdin is a FIFO (would block for ever)',
    (ws) => (execFileSync('mkfifo', [join(ws, 'in.fifo')]), 'in.fifo'),
    /named pipe \(FIFO\), not a regular file/,
  ],
  ['stdin is /dev/zero (endless)', () => '/dev/zero', /outside the workspace|a device/],
  [
    'stdin is a symlink to /dev/zero inside the workspace',
    (ws) => (symlinkSync('/dev/zero', join(ws, 'zero')), 'zero'),
    /outside the workspace|a device/,
  ],
  ['stdin is a missing file', () => 'missing/input.txt', /no such file/],
  [
    'stdin is a symlink leaving the workspace',
    (ws) => (symlinkSync('/etc/hostname', join(ws, 'host')), 'host'),
    /lies outside the workspace/,
  ],
  ['stdin is a directory', (ws) => (mkdirSync(join(ws, 'inputs')), 'inputs'), /a directory, not a regular file/],
  [
    'stdin is over the size limit',
    (ws) => {
      writeFileSync(join(ws, 'big.bin'), '');
      truncateSync(join(ws, 'big.bin'), 65 * 1024 * 1024);
      return 'big.bin';
    },
    /is 65 MiB, over the 64 MiB limit/,
  ],
];

describe('config stdin: only regular files of bounded size inside the workspace', () => {
  for (const [name, make, problem] of stdinCases) {
    test(name, T, async (t) => {
      const ws = await faultWorkspace();
      config(ws, `    stdin: ${make(ws)}\n`);
      const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
      await assertInputFault(r, ws, {
        input: 'config: benchmarks[0].stdin',
        fix: new RegExp(`${problem.source}.*Point stdin at a regular file in the repository`),
        summary: /did not run[\s\S]*stdin/,
      });
    });
  }
});

describe('config args and env: bounded before anything is spawned', () => {
  test('300,000 args (E2BIG) are an input error naming the args', T, async (t) => {
    const ws = await faultWorkspace();
    const args = Array.from({ length: 300_000 }, (_, i) => String(i % 10)).join(', ');
    config(ws, `    args: [${args}]\n`);
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config: benchmarks[0].args',
      fix: /300000 args .*\(E2BIG\).*Pass large inputs through a file instead/,
    });
  });

  test('one 200 KiB argument is an input error naming the args', T, async (t) => {
    const ws = await faultWorkspace();
    config(ws, `    args: ['${'x'.repeat(200 * 1024)}']\n`);
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config: benchmarks[0].args',
      fix: /entry 0 is 200 KiB.*Pass large inputs through a file instead/,
    });
  });

  test('an 800 KiB env is an input error naming the env', T, async (t) => {
    const ws = await faultWorkspace();
    const env = Array.from({ length: 8 }, (_, i) => `      V${i}: '${'e'.repeat(100 * 1024)}'`).join('\n');
    config(ws, `    env:\n${env}\n`);
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config: benchmarks[0].env',
      fix: /0 args and 8 env entries take.*Pass large inputs through a file instead/,
    });
  });
});

describe('timeout: validated before measuring', () => {
  test('timeout: 0 in the config is refused (it would fail every run)', T, async (t) => {
    const ws = await faultWorkspace();
    config(ws, '', 'measure:\n  timeout: 0\n');
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, {
      input: 'config: measure.timeout',
      fix: /'0' would kill every run at once.*positive time limit/,
    });
  });

  test('the timeout input 0ms is refused', T, async (t) => {
    const ws = await faultWorkspace();
    const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, timeout: '0ms' }, ...PR });
    await assertInputFault(r, ws, { input: 'timeout', fix: /'0ms'.*positive time limit/ });
  });

  test('a timeout that is not a duration names the input', T, async (t) => {
    const ws = await faultWorkspace();
    config(ws, '', 'measure:\n  timeout: soon\n');
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, { input: 'config: measure.timeout', fix: /'soon' is not a duration.*Write e\.g\./ });
  });
});

describe('the config file itself: a regular file of bounded size', () => {
  test('a config that is a FIFO does not hang', T, async (t) => {
    const ws = await faultWorkspace();
    execFileSync('mkfifo', [join(ws, 'perf.yml')]);
    const r = await runFault(t, { workspace: ws, inputs: withConfig, ...PR });
    await assertInputFault(r, ws, { input: 'config', fix: /perf\.yml: is a named pipe.*Point `config` at the YAML/ });
  });

  test('a config that is /dev/zero does not exhaust memory', T, async (t) => {
    const ws = await faultWorkspace();
    const r = await runFault(t, { workspace: ws, inputs: { ...FAST_INPUTS, config: '/dev/zero' }, ...PR });
    await assertInputFault(r, ws, { input: 'config', fix: /\/dev\/zero: is a device.*Point `config` at the YAML/ });
  });
});
