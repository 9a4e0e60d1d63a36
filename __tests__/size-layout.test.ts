// Issue 28: the module walker, the size metrics and their bad inputs, the "what grew" diff and byte
// thresholds. Modules are built with clang from __tests__/fixtures/size/sizes.c (name section kept: see
// helpers/build-size-fixture.ts); bad inputs are cut or patched copies of them.
import assert from 'node:assert/strict';
import { closeSync, ftruncateSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { requireTool } from './helpers/tools.js';
import { gunzipSync, brotliDecompressSync } from 'node:zlib';
import { parseThreshold } from '../src/config/threshold.js';
import { measureSizeCell } from '../src/measure/size-cell.js';
import { sizeDiff } from '../src/measure/size-diff.js';
import { moduleSize, SIZE_LIMIT_BYTES } from '../src/measure/size.js';
import { wasmLayout, WasmLayoutError } from '../src/wasm/wasm-sections.js';
import type { BenchmarkSpec } from '../src/model/plan.js';
import { buildSizeFixture } from './helpers/build-size-fixture.js';
import { scratchDir } from './helpers/run-action.js';

const ALL = ['size', 'size-gzip', 'size-brotli', 'code-size', 'data-size'];
let dir: string;
const file = (n: string) => join(dir, n);

// clang with wasi-libc builds the programs: without it these tests are skipped (a failure under CI=true).
const clang = requireTool('clang');
before(() => {
  if (clang.skip) return;
  dir = scratchDir('size-unit-');
  buildSizeFixture(file('main.wasm'), [], dir);
  buildSizeFixture(file('grown.wasm'), ['GROW', 'EXTRA'], dir);
});

/** The byte offset where section `id` starts (its id byte), walking the real module. */
function sectionStart(bytes: Uint8Array, wanted: (id: number, body: Uint8Array) => boolean): number {
  let at = 8;
  while (at < bytes.length) {
    const id = bytes[at]!;
    let size = 0;
    let shift = 0;
    let p = at + 1;
    for (;;) {
      const b = bytes[p++]!;
      size += (b & 0x7f) * 2 ** shift;
      shift += 7;
      if (!(b & 0x80)) break;
    }
    if (wanted(id, bytes.subarray(p, p + size))) return at;
    at = p + size;
  }
  throw new Error('section not found');
}

const bench = (artifact: string, metrics = ALL): BenchmarkSpec => ({
  id: 'app',
  artifact,
  artifactRel: 'build/app.wasm',
  args: [],
  env: {},
  runtimes: [],
  threshold: 0.01,
  metrics,
  programMetrics: [],
  thresholds: {},
});

describe('the layout of a clang-built module', clang, () => {
  test('sections add up to the file, and code/data match the metrics', async () => {
    const bytes = readFileSync(file('main.wasm'));
    const layout = wasmLayout(bytes);
    assert.equal(8 + layout.sections.reduce((s, x) => s + x.bytes, 0), bytes.length);
    const { values } = await moduleSize(file('main.wasm'), 'main.wasm', ALL);
    assert.equal(values['size'], bytes.length);
    assert.equal(values['code-size'], layout.sections.find((s) => s.name === 'code')!.bytes);
    assert.ok(values['data-size']! > 60, 'the string table is in the data section');
    assert.equal(layout.data.reduce((s, d) => s + d.bytes, 0) < values['data-size']!, true);
    // the compressed figures are real streams of that module
    assert.ok(values['size-gzip']! < bytes.length && values['size-brotli']! < values['size-gzip']!);
    const { gzipSync, brotliCompressSync } = await import('node:zlib');
    assert.deepEqual(gunzipSync(gzipSync(bytes, { level: 9 })), bytes);
    assert.equal(gzipSync(bytes, { level: 9 }).length, values['size-gzip']);
    assert.deepEqual(brotliDecompressSync(brotliCompressSync(bytes)), bytes);
  });

  test('function names come from the name section; imports are counted first', () => {
    const layout = wasmLayout(readFileSync(file('main.wasm')));
    assert.ok(layout.named);
    const names = layout.functions.map((f) => f.name);
    for (const n of ['steady_one', 'steady_two', 'grow_me', 'main']) assert.ok(names.includes(n), n);
    assert.ok(layout.functions[0]!.index > 0, 'WASI imports come before the first body');
    assert.ok(
      layout.data.some((d) => d.name === '.rodata'),
      'data segment names (name subsection 9)',
    );
  });

  test('the diff names the function that grew and the new one, and not the unchanged ones', () => {
    const d = sizeDiff(wasmLayout(readFileSync(file('main.wasm'))), wasmLayout(readFileSync(file('grown.wasm'))));
    assert.equal(d.names, 'names');
    assert.equal(d.grew[0]!.name, 'grow_me');
    assert.ok(d.grew[0]!.candidate! > d.grew[0]!.baseline! + 100);
    const added = d.grew.find((c) => c.name === 'brand_new');
    assert.ok(added && added.baseline === undefined, 'a new function is listed as new');
    assert.equal(d.counts.added, 1);
    const listed = [...d.grew, ...d.shrank].map((c) => c.name);
    assert.ok(!listed.includes('steady_one') && !listed.includes('steady_two'), listed.join(', '));
    assert.ok(
      d.sections.find((s) => s.name === 'code')!.candidate! > d.sections.find((s) => s.name === 'code')!.baseline!,
    );
  });

  test('without a name section, items are matched by index and the report says names were stripped', async () => {
    const bytes = readFileSync(file('grown.wasm'));
    const at = sectionStart(
      bytes,
      (id, body) => id === 0 && body[0] === 4 && Buffer.from(body.subarray(1, 5)).toString() === 'name',
    );
    const layout = wasmLayout(bytes);
    const nameBytes = layout.sections.find((s) => s.name === 'custom:name')!.bytes;
    const stripped = Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + nameBytes)]);
    writeFileSync(file('stripped.wasm'), stripped);
    const d = sizeDiff(wasmLayout(readFileSync(file('main.wasm'))), wasmLayout(stripped));
    assert.equal(d.names, 'stripped');
    assert.ok(
      d.grew.every((c) => /^(function|data)\[\d+\]$/.test(c.name)),
      d.grew.map((c) => c.name).join(),
    );
    const cell = await measureSizeCell(bench(file('stripped.wasm')), file('main.wasm'));
    assert.ok(
      cell.notes?.some((n) => /no name section/.test(n) && /keep names/.test(n)),
      String(cell.notes),
    );
  });

  test('identical builds: nothing grew or shrank', () => {
    const a = wasmLayout(readFileSync(file('main.wasm')));
    const d = sizeDiff(a, wasmLayout(readFileSync(file('main.wasm'))));
    assert.deepEqual([d.grew, d.shrank, d.counts], [[], [], { grew: 0, shrank: 0, added: 0, removed: 0 }]);
  });
});

describe('bad input: a clear error naming the file, nothing lost', clang, () => {
  test('a file that is not WebAssembly', async () => {
    writeFileSync(file('text.wasm'), 'hello, this is not a module\n');
    const cell = await measureSizeCell(bench(file('text.wasm')), undefined);
    assert.equal(cell.candidate.failure?.kind, 'load');
    assert.match(cell.candidate.failure!.message, /build\/app\.wasm: not a WebAssembly module .* at byte offset 0/);
  });

  test('a truncated module: the error names the file and the byte offset of the cut section', async () => {
    const bytes = readFileSync(file('main.wasm'));
    const codeAt = sectionStart(bytes, (id) => id === 10);
    writeFileSync(file('cut.wasm'), bytes.subarray(0, codeAt + 100));
    await assert.rejects(moduleSize(file('cut.wasm'), 'build/cut.wasm', ['size']), (e: Error) => {
      assert.match(
        e.message,
        new RegExp(
          `^build/cut\\.wasm: truncated: section code announces \\d+ bytes, only \\d+ follow at byte offset ${codeAt}$`,
        ),
      );
      return true;
    });
  });

  test('a name section that lies about its length: names left out with a note, sizes stand', async () => {
    const bytes = Buffer.from(readFileSync(file('main.wasm')));
    const at = sectionStart(bytes, (id, body) => id === 0 && Buffer.from(body.subarray(1, 5)).toString() === 'name');
    // the first subsection's size LEB right after "name": claim 0x7f7f7f7f bytes (5-byte LEB kept in place? patch 1st byte)
    let p = at + 1;
    while (bytes[p]! & 0x80) p++;
    p += 1 + 1 + 4; // size LEB end, name length byte, "name"
    const subId = bytes[p]!;
    assert.equal(subId === 0 || subId === 1, true, 'first subsection is module or function names');
    bytes[p + 1] = 0xff; // the subsection length now continues into the next bytes: far past the section
    bytes[p + 2] = 0xff;
    bytes[p + 3] = 0xff;
    bytes[p + 4] = 0x7f;
    writeFileSync(file('liar.wasm'), bytes);
    const layout = wasmLayout(bytes);
    assert.equal(layout.named, false);
    assert.match(
      layout.nameProblem!,
      /name subsection \d+ announces \d+ bytes, only \d+ are left in the section at byte offset \d+/,
    );
    const cell = await measureSizeCell(bench(file('liar.wasm')), undefined);
    assert.equal(cell.candidate.failure, undefined);
    assert.equal(cell.candidate.samples[0]!.values['size'], bytes.length);
    assert.ok(cell.notes?.some((n) => n.startsWith('build/app.wasm: the name section is malformed')));
  });

  test('a count that cannot fit in its section is refused before anything is allocated for it', () => {
    // header, then a code section of 6 bytes claiming 2^32-1 function bodies
    const bytes = Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0, 10, 6, 0xff, 0xff, 0xff, 0xff, 0x0f, 0]);
    assert.throws(
      () => wasmLayout(bytes),
      (e: Error) => e instanceof WasmLayoutError && /a count of 4294967295 cannot fit/.test(e.message),
    );
  });

  test('a component is named as such', () => {
    const bytes = Buffer.from([0, 0x61, 0x73, 0x6d, 0x0d, 0, 1, 0]);
    assert.throws(() => wasmLayout(bytes), /not a core module of binary version 1 .*a component\?/);
  });

  test(`a module over ${SIZE_LIMIT_BYTES / 1024 / 1024} MiB is refused from its size alone (sparse file, nothing read)`, async () => {
    const big = file('huge.wasm');
    writeFileSync(big, readFileSync(file('main.wasm')));
    const fd = openSync(big, 'r+');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    const before = process.memoryUsage().rss;
    const started = Date.now();
    const cell = await measureSizeCell(bench(big), undefined);
    assert.match(
      cell.candidate.failure!.message,
      /^build\/app\.wasm is 300\.0 MiB, over the 64 MiB limit of the size metrics$/,
    );
    assert.ok(process.memoryUsage().rss - before < 50 * 1024 * 1024, 'the file was not read');
    assert.ok(Date.now() - started < 5000);
  });

  test("main's build failing to parse fails only the baseline arm: the PR's sizes are still measured", async () => {
    const cell = await measureSizeCell(bench(file('main.wasm')), file('text.wasm'));
    assert.equal(cell.candidate.failure, undefined);
    assert.match(cell.baseline!.failure!.message, /^main's build of build\/app\.wasm: not a WebAssembly module/);
  });
});

describe('thresholds in bytes', () => {
  test('parseThreshold reads percentages and sizes', () => {
    assert.deepEqual(parseThreshold('1%', 't'), { relative: 0.01 });
    assert.deepEqual(parseThreshold('5', 't'), { relative: 0.05 });
    assert.deepEqual(parseThreshold('2KiB', 't'), { bytes: 2048 });
    assert.deepEqual(parseThreshold('1.5 kB', 't'), { bytes: 1500 });
    assert.deepEqual(parseThreshold('500B', 't'), { bytes: 500 });
    assert.deepEqual(parseThreshold('1MiB', 't'), { bytes: 1048576 });
    assert.throws(() => parseThreshold('2 KiBs', 't'), /t: '2 KiBs' is not a percentage/);
    assert.throws(() => parseThreshold('0B', 't'), /no bytes at all/);
  });
});

describe('the plan of a size gate', () => {
  const planFrom = async (yaml: string) => {
    const { buildPlan } = await import('../src/config/plan.js');
    const { parseConfigFile } = await import('../src/config/config-file.js');
    const { readInputs } = await import('../src/config/inputs.js');
    const { exampleWasm, repoRoot } = await import('./helpers/measure-env.js');
    return buildPlan({
      inputs: readInputs(() => undefined),
      config: parseConfigFile(yaml, 'test.yml'),
      workspace: repoRoot,
      mode: 'compare',
      matches: new Map([['examples/wasm/score.wasm', [exampleWasm('score')]]]),
      defaultJsonPath: '/tmp/r.json',
    });
  };

  test('a size-only benchmark has no runtime: the plan installs nothing', async () => {
    const p = await planFrom(
      'runtimes: [node, wasmtime]\nmetrics: [size, size-gzip]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n',
    );
    assert.deepEqual(p.benchmarks[0]!.runtimes, []);
    assert.deepEqual(p.runtimes, []);
    const mixed = await planFrom(
      'runtimes: [node]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n    metrics: [wall, size]\n',
    );
    assert.deepEqual(
      mixed.runtimes.map((r) => r.id),
      ['node'],
      'wall still needs its runtime',
    );
  });

  test('thresholds in bytes per benchmark and per metric; a size for a metric not in bytes is refused', async () => {
    const p = await planFrom(
      'threshold: 2%\nruntimes: [node]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n    metrics: [wall, size, code-size, size-gzip]\n    threshold: 1KiB\n    thresholds: { code-size: 300B, size-gzip: 3% }\n',
    );
    const b = p.benchmarks[0]!;
    assert.equal(b.threshold, 0.02, 'wall keeps the run-wide percentage');
    assert.equal(b.thresholdBytes, 1024);
    assert.deepEqual(b.thresholdsBytes, { 'code-size': 300 });
    assert.deepEqual(b.thresholds, { 'size-gzip': 0.03 });
    const { bytesThresholdFor } = await import('../src/compare/compare.js');
    assert.equal(bytesThresholdFor(b, 'size', 'bytes'), 1024);
    assert.equal(bytesThresholdFor(b, 'code-size', 'bytes'), 300);
    assert.equal(bytesThresholdFor(b, 'size-gzip', 'bytes'), undefined, 'its own percentage wins');
    assert.equal(bytesThresholdFor(b, 'wall', 'ms'), undefined);
    await assert.rejects(
      planFrom(
        'runtimes: [node]\nbenchmarks:\n  - artifact: examples/wasm/score.wasm\n    thresholds: { wall: 2KiB }\n',
      ),
      /thresholds\.wall: '2KiB' is a size, but wall is not measured in bytes/,
    );
  });
});

describe('shards', clang, () => {
  test('a size cell is planned once and measured by exactly one shard, beside its runtime cells', async () => {
    const { plannedCells, partitionCells, shardPlan } = await import('../src/pipeline/partition.js');
    const { cellJobs } = await import('../src/measure/measuring-loop.js');
    const { STATIC } = await import('../src/measure/size-cell.js');
    const node = { name: 'node', id: 'node', flags: [] };
    const wasmtime = { name: 'wasmtime', id: 'wasmtime', flags: [] };
    const b = { ...bench(file('main.wasm'), ['wall', 'size']), runtimes: [node, wasmtime] };
    const plan = {
      benchmarks: [b],
      runtimes: [node, wasmtime],
      measure: { engine: 'builtin', cache: 'warm' },
    } as never;
    const cells = plannedCells(plan);
    assert.deepEqual(
      cells.map((c) => c.runtime),
      ['static', 'node', 'wasmtime'],
    );
    const shards = partitionCells(cells, 2);
    const resolved = new Map([
      ['node', { ...STATIC, id: 'node', ref: node, codeCache: STATIC.codeCache }],
      ['wasmtime', { ...STATIC, id: 'wasmtime', ref: wasmtime }],
    ]);
    const sizeJobs = shards.map(
      (mine) => cellJobs(shardPlan(plan, mine), resolved as never, new Map()).filter((j) => j.size).length,
    );
    assert.deepEqual(sizeJobs.sort(), [0, 1], 'one shard measures the size cell');
  });
});

describe('the size verdict', () => {
  const verdictsFor = async (base: number, pr: number, spec: Partial<BenchmarkSpec> = {}) => {
    const { compareAll } = await import('../src/compare/compare.js');
    const { metricDef } = await import('../src/model/metrics.js');
    const b = { ...bench('/x.wasm', ['data-size']), ...spec };
    const arm = (name: 'candidate' | 'baseline', v: number) => ({
      arm: name,
      samples: [{ values: { 'data-size': v }, exitCode: 0, round: 0 }],
      warmups: 0,
    });
    const [v] = compareAll({
      measurements: [
        {
          benchmark: 'app',
          runtime: 'static',
          runtimeKey: 'static',
          runtimeVersion: '',
          candidate: arm('candidate', pr),
          baseline: arm('baseline', base),
          schedule: 'single',
          elapsedMs: 1,
        },
      ],
      benchmarks: [b],
      machine: {} as never,
      metricInfo: (id) => {
        const d = metricDef(id)!;
        return { unit: d.unit, direction: d.direction, deterministic: d.deterministic };
      },
    });
    return v!;
  };

  test('exact: beyond the threshold regresses, within it is unchanged, no interval to wait for', async () => {
    assert.equal((await verdictsFor(1000, 1011)).kind, 'regressed'); // +1.1% over 1%
    assert.equal((await verdictsFor(1000, 1010)).kind, 'unchanged'); // at the threshold
    assert.equal((await verdictsFor(1000, 980)).kind, 'improved');
    assert.equal((await verdictsFor(1000, 1100, { thresholdBytes: 200 })).kind, 'unchanged', '+100 B within 200 B');
    assert.equal((await verdictsFor(1000, 1300, { thresholdBytes: 200 })).kind, 'regressed');
  });

  test('a data section that did not exist on main', async () => {
    assert.equal((await verdictsFor(0, 0)).kind, 'unchanged');
    assert.equal((await verdictsFor(0, 40)).kind, 'regressed');
    assert.equal((await verdictsFor(0, 40, { thresholdBytes: 64 })).kind, 'unchanged');
  });
});
