// Runtimes of the seed list the action does not install, each with a `custom` entry that measures it anyway.
/** Runtimes of the seed list that the action does not install, and how to measure them anyway. */
export interface UnsupportedRuntime {
  name: string;
  reason: string;
  /** a `custom` config entry that runs it once installed by an earlier step */
  instead: string;
}

export const unsupportedRuntimes: readonly UnsupportedRuntime[] = [
  {
    name: 'lucet',
    reason: 'end-of-life: archived by the Bytecode Alliance in 2022 in favour of wasmtime; no maintained releases',
    instead: 'measure on `wasmtime` (its successor)',
  },
  {
    name: 'wavm',
    reason: 'no maintained release binaries with WASI preview1 support to pin',
    instead:
      "build it in an earlier step, then `{ name: custom, id: wavm, command: ['wavm', 'run', '--abi=wasi', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'innative',
    reason: 'unmaintained; no current release binaries',
    instead:
      "build it in an earlier step, then `{ name: custom, id: innative, command: ['innative-cmd', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'fizzy',
    reason: 'inactive; its WASI runner (fizzy-wasi) is only built from source',
    instead:
      "build fizzy with WASI in an earlier step, then `{ name: custom, id: fizzy, command: ['fizzy-wasi', '{wasm}', '{args}'] }`",
  },
  {
    name: 'graalvm',
    reason: 'GraalWasm needs a GraalVM JDK plus the wasm language; no single release binary to pin',
    instead:
      "set it up with graalvm/setup-graalvm, then `{ name: custom, id: graalwasm, command: ['wasm', '--Builtins=wasi_snapshot_preview1', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'stitch',
    reason: 'research interpreter without release binaries',
    instead:
      "build it in an earlier step, then `{ name: custom, id: stitch, command: ['stitch', '{wasm}', '{args}'] }` (flags unverified)",
  },
  {
    name: 'wasm-interp',
    reason:
      'wabt release and Debian builds are compiled without WASI (WITH_WASI=OFF): `--wasi` fails with "wasi support not compiled in"',
    instead:
      "build wabt with -DWITH_WASI=ON in an earlier step, then `{ name: custom, id: wasm-interp, command: ['wasm-interp', '--wasi', '{wasm}', '{args}'] }`",
  },
  {
    name: 'wasm2c',
    reason: 'wasm2c output needs a WASI host written by the user (none ships with wabt) and a C compiler',
    instead:
      "write a script that translates, compiles (with your WASI host) and runs, then `{ name: custom, id: wasm2c, command: ['./wasm2c-run.sh', '{wasm}', '{args}'] }`",
  },
];
