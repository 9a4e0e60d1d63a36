// Builds a C test program to wasm with the Debian clang + wasi-libc the machine has (docs/development.md):
// tests build their programs from source, so what they run is what the source says.
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

/** Compiles `source` to `out` (wasm32-wasi, -O2 unless `flags` says otherwise); returns `out`. */
export function buildC(source: string, out: string, flags: readonly string[] = []): string {
  mkdirSync(dirname(out), { recursive: true });
  execFileSync('clang', ['--target=wasm32-wasi', '--sysroot=/usr', '-O2', ...flags, '-o', out, source], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  return out;
}
