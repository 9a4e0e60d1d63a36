// The `_start` check that refuses a reactor before any run (wasmtime and wazero exit 0 on one, having run nothing):
// the section walk agrees with V8's own parse on every module in the repository, and gives up rather than guess.
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  componentImportsBench,
  componentProblem,
  isComponent,
  missingStartReason,
  readExports,
  startExportProblem,
} from '../src/wasm/start-export.js';

const KINDS: Record<string, number> = { function: 0, table: 1, memory: 2, global: 3, tag: 4 };

function wasmFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.wasm'))
    .map((e) => join(e.parentPath, e.name));
}

const scratch = mkdtempSync(join(tmpdir(), 'start-export-'));
const write = (name: string, bytes: number[] | Buffer) => {
  const file = join(scratch, name);
  writeFileSync(file, Buffer.from(bytes));
  return file;
};
const HEADER = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

test('reads the same exports as V8 from every module in the repository', async () => {
  const files = [...wasmFiles('examples/wasm'), ...wasmFiles('__tests__/fixtures')];
  let compared = 0;
  for (const file of files) {
    const bytes = readFileSync(file);
    let module: WebAssembly.Module;
    try {
      module = new WebAssembly.Module(bytes);
    } catch {
      continue; // deliberately broken fixtures: V8 has no answer to compare with
    }
    const v8 = WebAssembly.Module.exports(module).map((e) => ({ name: e.name, kind: KINDS[e.kind] }));
    assert.deepEqual(await readExports(file), v8, file);
    compared++;
  }
  assert.ok(compared >= 10, `only ${compared} modules compared`);
});

test('a reactor is refused by name, a command passes', async () => {
  const reactor = await startExportProblem('__tests__/fixtures/faults/reactor.wasm');
  assert.match(reactor ?? '', /exports no _start function \(a reactor\/library module: it exports _initialize\)/);
  assert.equal(await startExportProblem('examples/wasm/fibonacci.wasm'), undefined);
});

test('a module with no export section has no _start; a global named _start is not one', async () => {
  assert.match((await startExportProblem(write('empty.wasm', HEADER))) ?? '', /exports no _start function$/);
  assert.match(missingStartReason([{ name: '_start', kind: 3 }]) ?? '', /no _start function/);
});

test('gives up (the runtime decides) on a component, a truncated section and a bad LEB', async () => {
  const component = write('component.wasm', [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00]);
  assert.equal(await readExports(component), undefined);
  assert.equal(await startExportProblem(component), undefined);
  // an export section that claims 9 bytes and holds 3
  assert.equal(await readExports(write('truncated.wasm', [...HEADER, 7, 9, 1, 1, 0x61])), undefined);
  assert.equal(await readExports(write('leb.wasm', [...HEADER, 1, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), undefined);
  assert.equal(await startExportProblem(join(scratch, 'missing.wasm')), undefined);
});

test('a component is told from a core module by its header; only wasmtime runs one', async () => {
  assert.equal(await isComponent('__tests__/fixtures/component/hello.wasm'), true);
  assert.equal(await isComponent(write('component-h.wasm', [0x00, 0x61, 0x73, 0x6d, 0x0d, 0x00, 0x01, 0x00])), true);
  assert.equal(await isComponent('examples/wasm/fibonacci.wasm'), false);
  assert.equal(await isComponent(write('short.wasm', [0x00, 0x61, 0x73, 0x6d])), false);
  assert.equal(await isComponent(join(scratch, 'missing.wasm')), false);
  assert.equal(componentProblem('wasmtime'), undefined);
  assert.equal(componentProblem('wazero'), 'a component: wazero runs core modules only');
});

test("sightglass's component benchmark imports its `bench` instance; a plain component does not", () => {
  const cm = readFileSync('__tests__/fixtures/sightglass-real/cm-online-stats/cm-online-stats.wasm');
  assert.equal(componentImportsBench(cm), true);
  assert.equal(componentImportsBench(readFileSync('__tests__/fixtures/component/hello.wasm')), false);
  // the same bytes with every `bench` name renamed `bencx` (same length): no longer the bench instance
  const renamed = Buffer.from(cm);
  for (let at = renamed.indexOf('\x05bench'); at >= 0; at = renamed.indexOf('\x05bench', at + 1))
    renamed[at + 5] = 'x'.charCodeAt(0);
  assert.notDeepEqual(renamed, cm);
  assert.equal(componentImportsBench(renamed), false);
  // cut short: no throw, just no
  assert.equal(componentImportsBench(cm.subarray(0, 12)), false);
  assert.match(componentProblem('wasmtime', true)!, /^a component importing bench\.start\/bench\.end/);
  assert.equal(componentProblem('wazero', true), 'a component: wazero runs core modules only');
});
