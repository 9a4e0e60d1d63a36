// A real git repository for bisection tests: `count` commits of a small C program built to wasm by
// `BISECT_BUILD` (clang for wasm32-wasi). From commit `culprit` on, the program does 6× the work; commit
// `broken` does not compile (the next one fixes it). Commit subjects carry Markdown, as real ones may.
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { scratchDir } from './run-action.js';

export const BISECT_BUILD = 'mkdir -p build && clang --target=wasm32-wasi --sysroot=/usr -O2 -o build/w.wasm w.c';

export interface BisectRepo {
  dir: string;
  /** full SHAs, oldest first */
  shas: string[];
}

const program = (factor: number, broken: boolean) => `#include <stdio.h>
#include <stdint.h>
#define FACTOR ${factor}
int main(void) {
  uint64_t x = 88172645463325252ull, s = 0;
  for (long i = 0; i < 10000000L * FACTOR; i++) { x ^= x << 13; x ^= x >> 7; x ^= x << 17; s += x; }
  printf("%llu\\n", (unsigned long long)s)${broken ? '' : ';'}
  return 0;
}
`;

export function bisectRepo(o: { count: number; culprit?: number; broken?: number }): BisectRepo {
  const dir = scratchDir('bisect-repo-');
  const env = { ...process.env, GIT_AUTHOR_NAME: 'Eve *Dev* <x>', GIT_AUTHOR_EMAIL: 'eve@example.com' };
  const git = (...args: string[]) =>
    execFileSync('git', ['-C', dir, ...args], {
      encoding: 'utf8',
      env: { ...env, GIT_COMMITTER_NAME: 'ci', GIT_COMMITTER_EMAIL: 'ci@example.com' },
    }).trim();
  git('init', '--quiet', '--initial-branch=main');
  writeFileSync(join(dir, '.gitignore'), 'build/\n');
  const shas: string[] = [];
  for (let i = 0; i < o.count; i++) {
    const slow = o.culprit !== undefined && i >= o.culprit;
    writeFileSync(join(dir, 'w.c'), program(slow ? 6 : 1, i === o.broken));
    writeFileSync(join(dir, 'CHANGES.md'), `change ${i}\n`);
    git('add', '-A');
    const subject = i === o.culprit ? `Do *more* work | <b>${i}</b>` : `Change ${i}`;
    git('commit', '--quiet', '-m', subject, '--date', `2026-01-01T00:${String(i).padStart(2, '0')}:00Z`);
    shas.push(git('rev-parse', 'HEAD'));
  }
  return { dir, shas };
}

/** HEAD, the status and the worktree list: what a bisection must leave exactly as it found them. */
export function repoState(dir: string): { head: string; status: string; worktrees: string } {
  const git = (...args: string[]) => execFileSync('git', ['-C', dir, ...args], { encoding: 'utf8' });
  return {
    head: git('rev-parse', 'HEAD').trim(),
    status: git('status', '--porcelain', '--untracked-files=all'),
    worktrees: git('worktree', 'list', '--porcelain'),
  };
}
