// The launcher's phases (compile, instantiate, execute) account for the whole wasm work in the process.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, test } from 'node:test';
import { promisify } from 'node:util';
import { wasiLauncherPath } from '../src/runtimes/launcher-path.js';

const run = promisify(execFile);
const BUN = resolve('node_modules/@oven/bun-linux-x64/bin/bun');
const DENO = resolve('node_modules/@deno/linux-x64-glibc/deno');
const runtimes = [
  { name: 'node', argv: [process.execPath, '--no-warnings', wasiLauncherPath], present: true },
  { name: 'bun', argv: [BUN, wasiLauncherPath], present: existsSync(BUN) },
  {
    name: 'deno',
    argv: [DENO, 'run', '--allow-read', '--allow-write', '--no-prompt', wasiLauncherPath],
    present: existsSync(DENO),
  },
];
const programs: [string, string[]][] = [
  ['examples/wasm/fibonacci.wasm', ['30']],
  ['examples/wasm/nbody.wasm', ['100000']],
];

for (const rt of runtimes) {
  describe(`phases on ${rt.name}`, { skip: !rt.present && `${rt.name} is not installed` }, () => {
    for (const [wasm, args] of programs) {
      test(`${wasm}: compile + instantiate + execute within 10% of the in-process total`, async () => {
        const file = join(mkdtempSync(join(tmpdir(), 'wpg-phases-')), 'timings.json');
        const [exe, ...pre] = rt.argv;
        await run(exe!, [...pre, '--timings', file, '--', resolve(wasm), ...args], {
          env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() },
        });
        const t = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
        const sum = t['compileMs']! + t['instantiateMs']! + t['executeMs']!;
        assert.ok(t['totalMs']! > 0 && sum > 0);
        assert.ok(
          Math.abs(sum - t['totalMs']!) <= 0.1 * t['totalMs']!,
          `phases ${sum.toFixed(2)} ms vs in-process total ${t['totalMs']!.toFixed(2)} ms`,
        );
      });
    }
  });
}
