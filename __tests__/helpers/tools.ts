// The external tools some tests need beyond node and npm (the full CI, `bash .ci/run`, installs them all).
// `requireTool(name)` is the node:test option of such a test: nothing when the tool works here; when it is
// missing, a skip whose one-line reason names the tool and how to get it (scripts/test.mjs lists every such
// skip in its last line), and under CI=true one failing test instead, so CI can never pass without them.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

const CI_RUN = 'bash .ci/run installs everything';

/** Runs `exe args…` and says whether it exited 0 (a missing executable does not). */
function runs(exe: string, args: string[]): boolean {
  return spawnSync(exe, args, { stdio: 'ignore', timeout: 60_000 }).status === 0;
}

/** clang can build C for wasm32-wasi against wasi-libc (what the bisection e2e and `make -C examples` do). */
function clangBuildsWasi(): boolean {
  const dir = mkdtempSync(join(tmpdir(), 'wpg-clang-probe-'));
  try {
    writeFileSync(join(dir, 'p.c'), '#include <stdio.h>\nint main(void) { puts("ok"); return 0; }\n');
    return runs('clang', [
      '--target=wasm32-wasi',
      '--sysroot=/usr',
      '-O2',
      '-o',
      join(dir, 'p.wasm'),
      join(dir, 'p.c'),
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The tools tests need: what the tool is (as the skip line names it), how to get it, and the default probe. */
export const TOOLS = {
  clang: {
    what: 'clang with wasi-libc (C to wasm32-wasi)',
    get: 'apt-get install clang lld wasi-libc libclang-rt-14-dev-wasm32',
    probe: clangBuildsWasi,
  },
  hyperfine: { what: 'hyperfine', get: 'apt-get install hyperfine', probe: () => runs('hyperfine', ['--version']) },
  /** The Debian binary itself: the installer tests pack /usr/bin/hyperfine into release archives. */
  'debian-hyperfine': {
    what: "Debian's /usr/bin/hyperfine",
    get: 'apt-get install hyperfine',
    probe: () => runs('/usr/bin/hyperfine', ['--version']),
  },
  'gnu-time': { what: 'GNU time', get: 'apt-get install time', probe: () => runs('/usr/bin/time', ['--version']) },
  valgrind: { what: 'valgrind', get: 'apt-get install valgrind', probe: () => runs('valgrind', ['--version']) },
  chromium: {
    what: 'chromium',
    get: 'apt-get install chromium (or CHROMIUM_PATH=/path/to/chrome)',
    probe: () => existsSync(process.env['CHROMIUM_PATH'] || '/usr/bin/chromium'),
  },
  script: {
    what: '`script` (a pseudo-terminal)',
    get: 'apt-get install bsdutils',
    probe: () => runs('script', ['-V']),
  },
  zip: {
    what: 'zip and unzip',
    get: 'apt-get install zip unzip',
    probe: () => runs('zip', ['-v']) && runs('unzip', ['-v']),
  },
  xz: { what: 'xz', get: 'apt-get install xz-utils', probe: () => runs('xz', ['--version']) },
} satisfies Record<string, { what: string; get: string; probe: () => boolean }>;

export type ToolName = keyof typeof TOOLS;

/** The prefix of every missing-tool skip reason: scripts/test.mjs collects the skips by it. */
export const MISSING = 'missing tool:';

const verdicts = new Map<string, { skip: string | false }>();

/**
 * `{ skip }` for node:test. `probe` replaces the tool's default one (e.g. a detector from src/); `what`/`get`
 * describe a tool the table does not hold (the real runtimes, helpers/real-runtimes.ts).
 */
export function requireTool(
  name: ToolName | string,
  probe?: () => boolean,
  about?: { what: string; get: string },
): { skip: string | false } {
  const known = (TOOLS as Record<string, (typeof TOOLS)[ToolName]>)[name];
  const what = about?.what ?? known?.what ?? name;
  const get = about?.get ?? known?.get ?? 'see CONTRIBUTING.md';
  const key = `${name}\0${what}`;
  const seen = verdicts.get(key);
  if (seen) return seen;
  const ok = (probe ?? known?.probe ?? (() => false))();
  let verdict: { skip: string | false } = { skip: false };
  if (!ok) {
    const reason = `${MISSING} ${what}: ${get} (${CI_RUN})`;
    verdict = { skip: reason };
    if (process.env['CI'] === 'true') {
      // In CI the tool is part of the machine: its absence is a failure, said once per test file.
      test(`needs ${what} (CI=true: a missing tool fails)`, () => {
        throw new Error(`${what} not found, so the tests that need it cannot run: ${get} (${CI_RUN})`);
      });
    }
  }
  verdicts.set(key, verdict);
  return verdict;
}

/** The first missing one of several tools (each missing one is named in the skip summary and fails in CI). */
export function requireTools(...names: ToolName[]): { skip: string | false } {
  const verdicts = names.map((n) => requireTool(n));
  return verdicts.find((v) => v.skip !== false) ?? { skip: false };
}
