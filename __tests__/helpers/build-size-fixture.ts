// Builds __tests__/fixtures/size/sizes.c with Debian's clang for wasm32-wasi, keeping the name section.
// Debian's clang runs `wasm-opt` from PATH after linking when it finds one, and wasm-opt strips the name
// section; so clang runs with a PATH holding only the linker (wasm-ld-14), and the caller checks for names.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

export const SIZE_SOURCE = resolve('__tests__/fixtures/size/sizes.c');

/** `defines`: e.g. ['GROW'] (grow_me gets larger), ['EXTRA'] (a new function). */
export function buildSizeFixture(out: string, defines: readonly string[], scratch: string): void {
  const bin = join(scratch, 'clang-bin');
  if (!existsSync(bin)) {
    mkdirSync(bin, { recursive: true });
    for (const ld of ['wasm-ld-14', 'wasm-ld']) {
      const real = ['/usr/bin', '/usr/lib/llvm-14/bin'].map((d) => join(d, ld)).find(existsSync);
      if (real) symlinkSync(real, join(bin, ld));
    }
  }
  mkdirSync(dirname(out), { recursive: true });
  execFileSync(
    '/usr/bin/clang',
    ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...defines.map((d) => `-D${d}`), '-o', out, SIZE_SOURCE],
    { env: { PATH: bin, HOME: process.env['HOME'] ?? '/' }, stdio: 'pipe' },
  );
}
