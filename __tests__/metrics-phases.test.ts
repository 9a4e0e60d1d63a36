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
  // Work of ≥ 30 ms, so that the launcher's fixed cost between phases (≈ 10 ms on deno) is a small share.
  ['examples/wasm/fibonacci.wasm', ['34']],
  ['examples/wasm/nbody.wasm', ['400000']],
];

for (const rt of runtimes) {
  describe(`phases on ${rt.name}`, { skip: !rt.present && `${rt.name} is not installed` }, () => {
    for (const [wasm, args] of programs) {
      // Phases cannot exceed the total; a missing phase would leave far less than half of it (no tight
      // bound: on a busy machine the time between phases grows).
      test(`${wasm}: compile + instantiate + execute account for the in-process total`, async () => {
        const file = join(mkdtempSync(join(tmpdir(), 'wpg-phases-')), 'timings.json');
        const [exe, ...pre] = rt.argv;
        await run(exe!, [...pre, '--timings', file, '--', resolve(wasm), ...args], {
          env: { PATH: process.env['PATH'] ?? '', HOME: tmpdir() },
        });
        const t = JSON.parse(readFileSync(file, 'utf8')) as Record<string, number>;
        const sum = t['compileMs']! + t['instantiateMs']! + t['executeMs']!;
        assert.ok(t['totalMs']! > 0 && sum > 0);
        assert.ok(
          sum <= t['totalMs']! * 1.001 + 0.01 && sum >= 0.5 * t['totalMs']!,
          `phases ${sum.toFixed(2)} ms vs in-process total ${t['totalMs']!.toFixed(2)} ms`,
        );
      });
    }
  });
}
