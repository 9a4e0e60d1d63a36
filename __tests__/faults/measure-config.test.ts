// Fault catalogue, measured-process side: hostile or unreadable config for stdin, args, env and timeout.
// Each case runs dist/index.js on a PR over a workspace with a real previous baseline, and checks the exit
// code, the one error line (input + fix), the summary, and that the previous baseline is byte-identical.
import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { assertFault, faultWorkspace, printTimings, runCase, type FaultWorkspace } from './measure-fault.js';

after(() => printTimings('measure-config'));

/** A config file with one benchmark of build/fibonacci.wasm carrying `extra` keys (YAML lines). */
function config(f: FaultWorkspace, benchmark: string, top = ''): void {
  writeFileSync(join(f.ws, 'perf.yml'), `${top}benchmarks:\n  - artifact: build/fibonacci.wasm\n${benchmark}`);
}

const stdinCases: [string, (f: FaultWorkspace) => string, RegExp][] = [
  [
    'stdin is a FIFO (would block for ever)',
    (f) => (execFileSync('mkfifo', [join(f.ws, 'in.fifo')]), 'in.fifo'),
    /named pipe \(FIFO\), not a regular file/,
  ],
  ['stdin is /dev/zero (endless)', () => '/dev/zero', /outside the workspace|a device/],
  [
    'stdin is a symlink to /dev/zero inside the workspace',
    (f) => (symlinkSync('/dev/zero', join(f.ws, 'zero')), 'zero'),
    /outside the workspace|a device/,
  ],
  ['stdin is a missing file', () => 'missing/input.txt', /no such file/],
  [
    'stdin is a symlink leaving the workspace',
    (f) => (symlinkSync('/etc/hostname', join(f.ws, 'host')), 'host'),
    /lies outside the workspace/,
  ],
  ['stdin is a directory', (f) => (mkdirSync(join(f.ws, 'inputs')), 'inputs'), /a directory, not a regular file/],
  [
    'stdin is over the size limit',
    (f) => {
      writeFileSync(join(f.ws, 'big.bin'), '');
      truncateSync(join(f.ws, 'big.bin'), 65 * 1024 * 1024);
      return 'big.bin';
    },
    /is 65 MiB, over the 64 MiB limit/,
  ],
];

describe('config stdin: only regular files of bounded size inside the workspace', () => {
  for (const [name, make, problem] of stdinCases) {
    test(name, async () => {
      const f = await faultWorkspace();
      config(f, `    stdin: ${make(f)}\n`);
      const r = await runCase(name, f, { config: 'perf.yml' });
      assertFault(r, f, {
        code: 1,
        input: /::error::config: benchmarks\[0\]\.stdin: /,
        fix: new RegExp(`${problem.source}.*Point stdin at a regular file in the repository`),
        summary: /did not run[\s\S]*stdin/,
      });
    });
  }
});

describe('config args and env: bounded before anything is spawned', () => {
  test('300,000 args (E2BIG) are an input error naming the args', async () => {
    const f = await faultWorkspace();
    const args = Array.from({ length: 300_000 }, (_, i) => String(i % 10)).join(', ');
    config(f, `    args: [${args}]\n`);
    const r = await runCase('300,000 config args', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: benchmarks\[0\]\.args: 300000 args .*\(E2BIG\)/,
      fix: /Pass large inputs through a file instead/,
    });
  });

  test('one 200 KiB argument is an input error naming the args', async () => {
    const f = await faultWorkspace();
    config(f, `    args: ['${'x'.repeat(200 * 1024)}']\n`);
    const r = await runCase('one 200 KiB arg', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: benchmarks\[0\]\.args: entry 0 is 200 KiB/,
      fix: /Pass large inputs through a file instead/,
    });
  });

  test('an 800 KiB env is an input error naming the env', async () => {
    const f = await faultWorkspace();
    const env = Array.from({ length: 8 }, (_, i) => `      V${i}: '${'e'.repeat(100 * 1024)}'`).join('\n');
    config(f, `    env:\n${env}\n`);
    const r = await runCase('an 800 KiB env', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: benchmarks\[0\]\.env: 0 args and 8 env entries take/,
      fix: /Pass large inputs through a file instead/,
    });
  });
});

describe('timeout: validated before measuring', () => {
  test('timeout: 0 in the config is refused (it would fail every run)', async () => {
    const f = await faultWorkspace();
    config(f, '', 'measure:\n  timeout: 0\n');
    const r = await runCase('config timeout: 0', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: measure\.timeout: '0' would kill every run at once/,
      fix: /positive time limit/,
    });
  });

  test('the timeout input 0ms is refused', async () => {
    const f = await faultWorkspace();
    const r = await runCase('input timeout: 0ms', f, { timeout: '0ms' });
    assertFault(r, f, { code: 1, input: /::error::timeout: '0ms'/, fix: /positive time limit/ });
  });

  test('a timeout that is not a duration names the input', async () => {
    const f = await faultWorkspace();
    config(f, '', 'measure:\n  timeout: soon\n');
    const r = await runCase('config timeout: soon', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: measure\.timeout: 'soon' is not a duration/,
      fix: /Write e\.g\./,
    });
  });
});

describe('the config file itself: a regular file of bounded size', () => {
  test('a config that is a FIFO does not hang', async () => {
    const f = await faultWorkspace();
    execFileSync('mkfifo', [join(f.ws, 'perf.yml')]);
    const r = await runCase('config is a FIFO', f, { config: 'perf.yml' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: perf\.yml: is a named pipe/,
      fix: /Point `config` at the YAML/,
    });
  });

  test('a config that is /dev/zero does not exhaust memory', async () => {
    const f = await faultWorkspace();
    const r = await runCase('config is /dev/zero', f, { config: '/dev/zero' });
    assertFault(r, f, {
      code: 1,
      input: /::error::config: \/dev\/zero: is a device/,
      fix: /Point `config` at the YAML/,
    });
  });
});
