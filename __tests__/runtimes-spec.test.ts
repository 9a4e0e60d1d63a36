// Parsing the `runtimes` input and config entries into RuntimeRefs.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { InputError } from '../src/model/input-error.js';
import { parseRuntimeEntries, parseRuntimeSpec, runtimeRefFromEntry } from '../src/runtimes/spec.js';

function inputError(pattern: RegExp, input = 'runtimes') {
  return (e: unknown) => e instanceof InputError && e.input === input && pattern.test(e.message);
}

describe('runtime specs', () => {
  test('name, name@version, name:variant, name:variant@version, name@path, name@/exe', () => {
    assert.deepEqual(parseRuntimeSpec('wasmtime'), { name: 'wasmtime', flags: [], id: 'wasmtime' });
    assert.deepEqual(parseRuntimeSpec('wasmtime@48.0.0'), {
      name: 'wasmtime',
      version: '48.0.0',
      flags: [],
      id: 'wasmtime',
    });
    assert.deepEqual(parseRuntimeSpec('wasmtime:winch'), {
      name: 'wasmtime',
      variant: 'winch',
      flags: [],
      id: 'wasmtime:winch',
    });
    assert.deepEqual(parseRuntimeSpec('iwasm:fast-jit@2.4.5'), {
      name: 'iwasm',
      variant: 'fast-jit',
      version: '2.4.5',
      flags: [],
      id: 'iwasm:fast-jit',
    });
    assert.deepEqual(parseRuntimeSpec('wasmer@path'), { name: 'wasmer', version: 'path', flags: [], id: 'wasmer' });
    assert.deepEqual(parseRuntimeSpec('wasmer@/opt/wasmer/bin/wasmer'), {
      name: 'wasmer',
      path: '/opt/wasmer/bin/wasmer',
      flags: [],
      id: 'wasmer',
    });
  });

  test('a leading v is dropped; prereleases are kept', () => {
    assert.equal(parseRuntimeSpec('wasmtime@v48.0.0').version, '48.0.0');
    assert.equal(parseRuntimeSpec('wasmi:eager@2.0.0-beta.9').version, '2.0.0-beta.9');
  });

  test('unknown runtime lists the known ones', () => {
    assert.throws(
      () => parseRuntimeSpec('v8'),
      inputError(
        /unknown runtime "v8".*Known runtimes: node, bun, deno, wasmtime, wasmer, wasmedge, wasm3, iwasm, wazero, wasmi, custom\./,
      ),
    );
  });

  test('unknown variant lists the variants; a runtime without variants says so', () => {
    assert.throws(
      () => parseRuntimeSpec('wasmtime:turbo'),
      inputError(/unknown wasmtime variant "turbo".*Known variants: cranelift, winch\./),
    );
    assert.throws(() => parseRuntimeSpec('wasmer:v8'), inputError(/Known variants: cranelift, singlepass, llvm\./));
    assert.throws(() => parseRuntimeSpec('wasmedge:lazyjit'), inputError(/Known variants: interpreter, jit, aot\./));
    assert.throws(
      () => parseRuntimeSpec('iwasm:fast-interp'),
      inputError(/Known variants: interpreter, fast-jit, llvm-jit, multi-tier, aot\./),
    );
    assert.throws(() => parseRuntimeSpec('wazero:jit'), inputError(/Known variants: compiler, interpreter\./));
    assert.throws(() => parseRuntimeSpec('wasmi:fast'), inputError(/Known variants: eager, lazy, lazy-translation\./));
    assert.throws(() => parseRuntimeSpec('wasm3:jit'), inputError(/wasm3 has no variants/));
  });

  test('unsupported seed runtimes say why and what to do instead', () => {
    assert.throws(
      () => parseRuntimeSpec('lucet'),
      inputError(/lucet is not supported: end-of-life.*Instead: measure on `wasmtime`/),
    );
    assert.throws(
      () => parseRuntimeSpec('wasm-interp'),
      inputError(/wasm-interp is not supported: wabt release and Debian builds are compiled without WASI/),
    );
  });

  test('tools are not runtimes', () => {
    assert.throws(() => parseRuntimeSpec('hyperfine'), inputError(/hyperfine is a tool.*engine: hyperfine/));
  });

  test('bad versions and too-old deno', () => {
    assert.throws(
      () => parseRuntimeSpec('wasmtime@latest'),
      inputError(/wasmtime@latest: not a version.*wasmtime@48\.0\.0.*wasmtime@path/),
    );
    assert.throws(() => parseRuntimeSpec('deno@2.7.14'), inputError(/deno@2\.7\.14 is too old: node:wasi is a stub/));
    assert.equal(parseRuntimeSpec('deno@2.8.0').version, '2.8.0');
  });

  test('garbage is refused with the accepted forms', () => {
    assert.throws(
      () => parseRuntimeSpec('wasmtime winch'),
      inputError(/cannot read "wasmtime winch".*name:variant@version/),
    );
  });

  test('errors name the input they came from', () => {
    assert.throws(
      () => parseRuntimeSpec('nope', 'config: benchmarks[0].runtimes'),
      inputError(/unknown runtime/, 'config: benchmarks[0].runtimes'),
    );
  });
});

describe('config entries', () => {
  test('object entries keep flags, path and id', () => {
    assert.deepEqual(
      runtimeRefFromEntry({ name: 'wasmtime', variant: 'winch', flags: ['-O', 'opt-level=0'], id: 'winch-O0' }),
      {
        name: 'wasmtime',
        variant: 'winch',
        flags: ['-O', 'opt-level=0'],
        id: 'winch-O0',
      },
    );
    assert.deepEqual(runtimeRefFromEntry({ name: 'wasmer', path: './bin/wasmer' }), {
      name: 'wasmer',
      path: './bin/wasmer',
      flags: [],
      id: 'wasmer',
    });
  });

  test('custom requires a command with {wasm}, and an executable first', () => {
    assert.deepEqual(
      runtimeRefFromEntry({ name: 'custom', command: ['/opt/wavm/bin/wavm', 'run', '--abi=wasi', '{wasm}', '{args}'] }),
      {
        name: 'custom',
        flags: [],
        command: ['/opt/wavm/bin/wavm', 'run', '--abi=wasi', '{wasm}', '{args}'],
        id: 'custom:wavm',
      },
    );
    assert.throws(() => runtimeRefFromEntry({ name: 'custom' }), inputError(/custom needs a command/));
    assert.throws(() => parseRuntimeSpec('custom'), inputError(/custom needs a command/));
    assert.throws(
      () => runtimeRefFromEntry({ name: 'custom', command: ['wavm', 'run'] }),
      inputError(/has no \{wasm\} placeholder/),
    );
    assert.throws(
      () => runtimeRefFromEntry({ name: 'custom', command: ['{wasm}'] }),
      inputError(/first element of a custom command must be the executable/),
    );
    assert.throws(
      () => runtimeRefFromEntry({ name: 'wasmtime', command: ['x', '{wasm}'] }),
      inputError(/`command` is only for the custom runtime/),
    );
  });
});

describe('lists and unique ids', () => {
  test('the same runtime at two versions gets version-qualified ids', () => {
    assert.deepEqual(
      parseRuntimeEntries(['wasmtime@47.0.4', 'wasmtime@48.0.0', 'wasmtime:winch']).map((r) => r.id),
      ['wasmtime@47.0.4', 'wasmtime@48.0.0', 'wasmtime:winch'],
    );
  });

  test('a runtime listed twice is an error', () => {
    assert.throws(() => parseRuntimeEntries(['wasmtime', 'wasmtime']), inputError(/"wasmtime" is listed twice/));
  });

  test('config lists mix strings and objects; two customs need distinct ids', () => {
    const refs = parseRuntimeEntries([
      'node',
      { name: 'custom', id: 'a', command: ['x', '{wasm}'] },
      { name: 'custom', id: 'b', command: ['x', '{wasm}'] },
    ]);
    assert.deepEqual(
      refs.map((r) => r.id),
      ['node', 'a', 'b'],
    );
    assert.throws(
      () =>
        parseRuntimeEntries([
          { name: 'custom', command: ['x', '{wasm}'] },
          { name: 'custom', command: ['x', '--fast', '{wasm}'] },
        ]),
      inputError(/"custom:x" is listed twice/),
    );
  });
});
