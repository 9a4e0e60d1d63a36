// The measured region on runtimes without the JS launcher (wasmtime, wasmer, wasmi, wazero, wasm3, iwasm,
// wasmedge): a rewrite of the module they run. bench.start/bench.end become functions of the module that read
// WASI's monotonic clock into 8 bytes of linear memory they save first and restore after (the program cannot
// observe it; single-threaded) and add start→end to globals. When the program ends (its `_start` returns, or
// it calls proc_exit) one line goes to stderr: `<nonce> region <ns> <count> <flags> [<result bits>...]`, all
// hex. The nonce is random per measurement and lives only in the code, which the program cannot read, so it
// cannot forge the line. An exported-function kernel gets a `_start` that calls `_initialize` (if exported),
// then the export `iterations` times between two clock reads, and reports the last result's bits.
// Only function indices change in the program's code (instruction-walk.ts); see docs/adrs/0020.
import {
  concat,
  Cursor,
  joinSections,
  remapSection,
  SECTION,
  sleb,
  splitSections,
  typeCount,
  uleb,
  WasmWalkError,
  type Section,
} from './instruction-walk.js';

export { WasmWalkError };

/** An exported-function kernel as the rewrite calls it. */
export interface KernelCall {
  export: string;
  params: string[];
  results: string[];
  args: string[];
  iterations: number;
}

export interface RegionRewriteOptions {
  /** 32 lowercase hex digits: the report line starts with it */
  nonce: string;
  kernel?: KernelCall;
}

const WASI = 'wasi_snapshot_preview1';
const MONOTONIC = 1;
/** Where the clock writes its 8 bytes (saved and restored around it). */
const CLOCK_AT = 8;
/** Where the report line is built at exit: an iovec at 0, the written count at 8, the text from 16. */
const TEXT_AT = 16;
/** Report flags: bench.end without bench.start, bench.start twice, a region still open at exit. */
export const FLAG = { endWithoutStart: 1, startTwice: 2, neverEnded: 4 } as const;

// Opcodes used by the generated functions.
const OP = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  brIf: 0x0d,
  return: 0x0f,
  call: 0x10,
  drop: 0x1a,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  globalGet: 0x23,
  globalSet: 0x24,
  i64Load: 0x29,
  i32Store: 0x36,
  i64Store: 0x37,
  i32Store8: 0x3a,
  i32Const: 0x41,
  i64Const: 0x42,
  f32Const: 0x43,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtU: 0x49,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32And: 0x71,
  i32Or: 0x72,
  i32Shl: 0x74,
  i64Add: 0x7c,
  i64Sub: 0x7d,
  i64Shl: 0x86,
  i64ShrU: 0x88,
  i32WrapI64: 0xa7,
  i64ExtendI32U: 0xad,
  i32ReinterpretF32: 0xbc,
  i64ReinterpretF64: 0xbd,
} as const;
const VOID = 0x40;
const T = { i32: 0x7f, i64: 0x7e, f32: 0x7d, f64: 0x7c } as const;
type NumType = keyof typeof T;

/** A function body being assembled: instructions as bytes, LEB immediates written by the helpers. */
class Code {
  private parts: number[] = [];
  op(...bytes: number[]): this {
    this.parts.push(...bytes);
    return this;
  }
  u(...values: number[]): this {
    for (const v of values) this.parts.push(...uleb(v));
    return this;
  }
  i32(v: number): this {
    return this.op(OP.i32Const, ...sleb(BigInt(v | 0)));
  }
  i64(v: bigint): this {
    return this.op(OP.i64Const, ...sleb(v));
  }
  call(f: number): this {
    return this.op(OP.call).u(f);
  }
  get(g: number): this {
    return this.op(OP.globalGet).u(g);
  }
  set(g: number): this {
    return this.op(OP.globalSet).u(g);
  }
  /** A body: local declarations (one group per type), the code, the final end. */
  body(locals: number[]): Uint8Array {
    const decl = [...uleb(locals.length), ...locals.flatMap((t) => [...uleb(1), t])];
    const code = Uint8Array.from([...decl, ...this.parts, OP.end]);
    return concat([uleb(code.length), code]);
  }
}

interface Import {
  module: string;
  name: string;
  kind: number;
  /** for a function */
  type?: number;
  raw: Uint8Array;
}

function limits(c: Cursor): { flags: number; min: number } {
  const flags = c.byte();
  const min = c.uleb(10);
  if (flags & 1) c.uleb(10);
  return { flags, min };
}

/** The maximum of the limits at `at` (flags byte first), which has one. */
function maxOf(body: Uint8Array, at: number): number {
  const c = new Cursor(body, at + 1, body.length, 'limits');
  c.uleb(10);
  return c.uleb(10);
}

function readImports(body: Uint8Array, what: string): Import[] {
  const c = new Cursor(body, 0, body.length, what);
  const n = c.uleb();
  const out: Import[] = [];
  for (let i = 0; i < n; i++) {
    const start = c.at;
    const module = c.name();
    const name = c.name();
    const kind = c.byte();
    let type: number | undefined;
    if (kind === 0) type = c.uleb();
    else if (kind === 1) {
      c.valtype();
      limits(c);
    } else if (kind === 2) limits(c);
    else if (kind === 3) {
      c.valtype();
      c.byte();
    } else if (kind === 4) {
      c.byte();
      c.uleb();
    } else c.fail(`import kind ${kind} is unknown`);
    out.push({ module, name, kind, ...(type === undefined ? {} : { type }), raw: body.subarray(start, c.at) });
  }
  return out;
}

interface Export {
  name: string;
  kind: number;
  index: number;
}

function readExports(body: Uint8Array, what: string): Export[] {
  const c = new Cursor(body, 0, body.length, what);
  const n = c.uleb();
  const out: Export[] = [];
  for (let i = 0; i < n; i++) {
    const name = c.name();
    const kind = c.byte();
    out.push({ name, kind, index: c.uleb() });
  }
  return out;
}

const nameBytes = (s: string) => {
  const b = Buffer.from(s, 'utf8');
  return concat([uleb(b.length), b]);
};

const vector = (items: readonly Uint8Array[]) => concat([uleb(items.length), ...items]);

/** The count at the start of a vector section and the bytes after it. */
function countOf(body: Uint8Array | undefined, what: string): { n: number; rest: Uint8Array } {
  if (!body) return { n: 0, rest: new Uint8Array() };
  const c = new Cursor(body, 0, body.length, what);
  const n = c.uleb();
  return { n, rest: body.subarray(c.at) };
}

const funcType = (params: number[], results: number[]) =>
  Uint8Array.from([0x60, ...uleb(params.length), ...params, ...uleb(results.length), ...results]);

/** Where each section goes (the binary format's order; tag sits between memory and global). */
const ORDER = [1, 2, 3, 4, 5, 13, 6, 7, 8, 9, 12, 10, 11];

function place(sections: Section[], section: Section): void {
  const rank = ORDER.indexOf(section.id);
  const i = sections.findIndex((s) => s.id !== 0 && ORDER.indexOf(s.id) > rank);
  if (i < 0) sections.push(section);
  else sections.splice(i, 0, section);
}

/** 8 ASCII characters as the i64 whose little-endian bytes they are. */
function eightChars(text: string): bigint {
  return Buffer.from(text, 'latin1').readBigInt64LE(0);
}

/** The constant instruction for one kernel argument, as the JS launcher converts it (Number / BigInt). */
function argConst(code: Code, type: string, arg: string): void {
  if (type === 'i32') code.i32(Number(arg));
  else if (type === 'i64') code.i64(BigInt(arg));
  else if (type === 'f32') {
    const b = Buffer.alloc(4);
    b.writeFloatLE(Number(arg));
    code.op(OP.f32Const, ...b);
  } else {
    const b = Buffer.alloc(8);
    b.writeDoubleLE(Number(arg));
    code.op(OP.f64Const, ...b);
  }
}

const isNumType = (t: string): t is NumType => t in T;

/**
 * The module rewritten to report its measured region (or to run a kernel) on any WASI runtime. Pure; throws
 * WasmWalkError naming `what` for a module it cannot read or rewrite.
 */
export function rewriteForRegion(bytes: Uint8Array, what: string, opts: RegionRewriteOptions): Uint8Array {
  if (!/^[0-9a-f]{32}$/.test(opts.nonce)) throw new Error('rewriteForRegion: the nonce must be 32 hex digits');
  const kernel = opts.kernel;
  for (const t of [...(kernel?.params ?? []), ...(kernel?.results ?? [])])
    if (!isNumType(t)) throw new WasmWalkError(`${what}: the kernel's signature has a ${t}, not a number`);
  const sections = splitSections(bytes, what);
  const find = (id: number) => sections.find((s) => s.id === id);
  const imports = find(SECTION.import) ? readImports(find(SECTION.import)!.body, what) : [];
  const exports = find(SECTION.export) ? readExports(find(SECTION.export)!.body, what) : [];
  const types = countOf(find(SECTION.type)?.body, what);
  const defined = countOf(find(SECTION.function)?.body, what);
  const globals = countOf(find(SECTION.global)?.body, what);

  // Imports: the markers leave, the WASI calls the report needs arrive (unless imported already).
  const funcImports = imports.filter((i) => i.kind === 0);
  const isMarker = (i: Import) => i.kind === 0 && i.module === 'bench' && (i.name === 'start' || i.name === 'end');
  const kept = imports.filter((i) => !isMarker(i));
  const wasiFunc = (name: string) => kept.find((i) => i.kind === 0 && i.module === WASI && i.name === name);
  const newTypes: Uint8Array[] = [];
  // GC modules group types: the next type index is the number of types, not of groups
  const typesDefined = find(SECTION.type) ? typeCount(find(SECTION.type)!.body, what) : 0;
  const addType = (t: Uint8Array) => typesDefined + newTypes.push(t) - 1;
  const tVoid = addType(funcType([], []));
  const tNow = addType(funcType([], [T.i64]));
  const tHex = addType(funcType([T.i32, T.i64], []));
  const added: Import[] = [];
  const addImport = (name: string, type: Uint8Array) => {
    const raw = concat([nameBytes(WASI), nameBytes(name), Uint8Array.of(0), uleb(addType(type))]);
    added.push({ module: WASI, name, kind: 0, raw });
  };
  if (!wasiFunc('clock_time_get')) addImport('clock_time_get', funcType([T.i32, T.i64, T.i32], [T.i32]));
  if (!wasiFunc('fd_write')) addImport('fd_write', funcType([T.i32, T.i32, T.i32, T.i32], [T.i32]));
  const allImports = [...kept, ...added];
  const newFuncImports = allImports.filter((i) => i.kind === 0);
  const importIndex = (i: Import | undefined) => (i ? newFuncImports.indexOf(i) : -1);
  const clock = importIndex(allImports.find((i) => i.kind === 0 && i.module === WASI && i.name === 'clock_time_get'));
  const fdWrite = importIndex(allImports.find((i) => i.kind === 0 && i.module === WASI && i.name === 'fd_write'));
  const procExit = wasiFunc('proc_exit');

  // The functions appended after the program's own.
  const base = newFuncImports.length + defined.n;
  const F = { now: base, start: base + 1, end: base + 2, hex: base + 3, report: base + 4, entry: base + 5 };
  const exitWrapper = procExit ? base + 6 : undefined;
  const oldImports = funcImports.length;
  const remap = (old: number): number => {
    if (old >= oldImports) return old - oldImports + newFuncImports.length;
    const imp = funcImports[old]!;
    if (isMarker(imp)) return imp.name === 'start' ? F.start : F.end;
    if (imp === procExit) return exitWrapper!;
    return newFuncImports.indexOf(imp);
  };

  // Globals appended after the program's own (imported ones come first in the index space).
  const G0 = imports.filter((i) => i.kind === 3).length + globals.n;
  const G = { total: G0, count: G0 + 1, t0: G0 + 2, open: G0 + 3, flags: G0 + 4, result: G0 + 5 };
  const results = kernel?.results ?? [];
  const newGlobals = [
    ...[0, 1, 2].map(() => Uint8Array.of(T.i64, 1, OP.i64Const, 0, OP.end)),
    ...[0, 1].map(() => Uint8Array.of(T.i32, 1, OP.i32Const, 0, OP.end)),
    ...results.map(() => Uint8Array.of(T.i64, 1, OP.i64Const, 0, OP.end)),
  ];

  // Memory: WASI writes through memory 0, exported as "memory"; at least one page for the clock and the report.
  const memoryImported = imports.some((i) => i.kind === 2);
  const memorySection = find(SECTION.memory);
  let memories = countOf(memorySection?.body, what).n;
  if (!memoryImported && memories === 0) {
    place(sections, { id: SECTION.memory, body: vector([Uint8Array.of(0, 1)]) });
    memories = 1;
  } else if (!memoryImported) {
    const c = new Cursor(memorySection!.body, 0, memorySection!.body.length, what);
    c.uleb();
    const first = c.at;
    const { flags, min } = limits(c);
    if (flags & 4)
      throw new WasmWalkError(`${what}: a 64-bit memory (memory64) is not supported by the region rewrite`);
    if (min === 0) {
      if (flags & 1 && maxOf(memorySection!.body, first) === 0)
        throw new WasmWalkError(`${what}: its memory has a maximum of 0 pages`);
      // min 0 → 1, the rest of the limits as they were
      const minAt = first + 1;
      const afterMin = new Cursor(memorySection!.body, minAt, c.at, what);
      afterMin.uleb(10);
      memorySection!.body = concat([
        memorySection!.body.subarray(0, minAt),
        uleb(1),
        memorySection!.body.subarray(afterMin.at),
      ]);
      memorySection!.sizeWidth = undefined;
    }
  }

  // Exports: remapped; `_start` is the wrapper (or the kernel's entry); a kernel's `_initialize` is called by the
  // entry only (wasmtime calls an exported `_initialize` itself before `_start`).
  const start = exports.find((e) => e.name === '_start' && e.kind === 0);
  if (!kernel && !start) throw new WasmWalkError(`${what}: it exports no _start function`);
  const target = kernel && exports.find((e) => e.name === kernel.export && e.kind === 0);
  if (kernel && !target) throw new WasmWalkError(`${what}: it exports no function ${kernel.export}`);
  const init = kernel && exports.find((e) => e.name === '_initialize' && e.kind === 0);
  const newExports = exports
    .filter((e) => !(kernel && e.name === '_initialize' && e.kind === 0))
    .map((e) => (e.kind === 0 ? { ...e, index: remap(e.index) } : e))
    .map((e) => (e.name === '_start' && e.kind === 0 ? { ...e, index: F.entry } : e));
  if (!newExports.some((e) => e.name === '_start')) newExports.push({ name: '_start', kind: 0, index: F.entry });
  if (!newExports.some((e) => e.name === 'memory') && !memoryImported && memories > 0)
    newExports.push({ name: 'memory', kind: 2, index: 0 });

  // The appended functions.
  const now = new Code()
    .i32(CLOCK_AT)
    .op(OP.i64Load, 3, 0, OP.localSet, 0)
    .i32(MONOTONIC)
    .i64(1n)
    .i32(CLOCK_AT)
    .call(clock)
    .op(OP.drop)
    .i32(CLOCK_AT)
    .op(OP.i64Load, 3, 0)
    .i32(CLOCK_AT)
    .op(OP.localGet, 0, OP.i64Store, 3, 0);
  const markStart = new Code()
    .get(G.open)
    .op(OP.if, VOID)
    .get(G.flags)
    .i32(FLAG.startTwice)
    .op(OP.i32Or)
    .set(G.flags)
    .op(OP.return, OP.end)
    .i32(1)
    .set(G.open)
    .call(F.now)
    .set(G.t0);
  const markEnd = new Code()
    .call(F.now)
    .op(OP.localSet, 0)
    .get(G.open)
    .op(OP.i32Eqz, OP.if, VOID)
    .get(G.flags)
    .i32(FLAG.endWithoutStart)
    .op(OP.i32Or)
    .set(G.flags)
    .op(OP.return, OP.end)
    .get(G.total)
    .op(OP.localGet, 0)
    .get(G.t0)
    .op(OP.i64Sub, OP.i64Add)
    .set(G.total)
    .get(G.count)
    .i64(1n)
    .op(OP.i64Add)
    .set(G.count)
    .i32(0)
    .set(G.open);
  // hex(ptr, v): 16 lowercase hex digits of v at ptr
  const hex = new Code()
    .op(OP.loop, VOID)
    .op(OP.localGet, 0, OP.localGet, 2, OP.i32Add)
    .op(OP.localGet, 1)
    .i64(60n)
    .op(OP.localGet, 2, OP.i64ExtendI32U)
    .i64(2n)
    .op(OP.i64Shl, OP.i64Sub, OP.i64ShrU, OP.i32WrapI64)
    .i32(15)
    .op(OP.i32And, OP.localTee, 3)
    .i32(48)
    .op(OP.i32Add, OP.localGet, 3)
    .i32(87)
    .op(OP.i32Add, OP.localGet, 3)
    .i32(10)
    .op(OP.i32LtU, OP.select, OP.i32Store8, 0, 0)
    .op(OP.localGet, 2)
    .i32(1)
    .op(OP.i32Add, OP.localTee, 2)
    .i32(16)
    .op(OP.i32LtU, OP.brIf, 0, OP.end);
  const report = new Code();
  const text = `${opts.nonce} region `;
  for (let k = 0; k < text.length; k += 8)
    report
      .i32(TEXT_AT + k)
      .i64(eightChars(text.slice(k, k + 8)))
      .op(OP.i64Store, 3, 0);
  let at = TEXT_AT + text.length;
  const field = (push: (c: Code) => void, first = false) => {
    if (!first) report.i32(at++).i32(0x20).op(OP.i32Store8, 0, 0);
    report.i32(at);
    push(report);
    report.call(F.hex);
    at += 16;
  };
  field((c) => c.get(G.total), true);
  field((c) => c.get(G.count));
  field((c) => c.get(G.flags).get(G.open).i32(2).op(OP.i32Shl, OP.i32Or, OP.i64ExtendI32U));
  results.forEach((_, k) => field((c) => c.get(G.result + k)));
  report.i32(at++).i32(0x0a).op(OP.i32Store8, 0, 0);
  report
    .i32(0)
    .i32(TEXT_AT)
    .op(OP.i32Store, 2, 0)
    .i32(4)
    .i32(at - TEXT_AT)
    .op(OP.i32Store, 2, 0);
  report.i32(2).i32(0).i32(1).i32(8).call(fdWrite).op(OP.drop);

  const entry = new Code();
  const entryLocals: number[] = [];
  if (kernel) {
    entryLocals.push(T.i32, ...results.map((t) => T[t as NumType]));
    if (init) entry.call(remap(init.index));
    entry.i32(kernel.iterations).op(OP.localSet, 0);
    entry.call(F.now).set(G.t0);
    entry.op(OP.loop, VOID);
    kernel.params.forEach((t, i) => argConst(entry, t, kernel.args[i] ?? '0'));
    entry.call(remap(target!.index));
    for (let k = results.length - 1; k >= 0; k--) entry.op(OP.localSet).u(1 + k);
    entry.op(OP.localGet, 0).i32(1).op(OP.i32Sub, OP.localTee, 0, OP.brIf, 0, OP.end);
    entry.call(F.now).get(G.t0).op(OP.i64Sub).set(G.total);
    entry.i64(BigInt(kernel.iterations)).set(G.count);
    results.forEach((t, k) => {
      entry.op(OP.localGet).u(1 + k);
      if (t === 'i32') entry.op(OP.i64ExtendI32U);
      else if (t === 'f32') entry.op(OP.i32ReinterpretF32, OP.i64ExtendI32U);
      else if (t === 'f64') entry.op(OP.i64ReinterpretF64);
      entry.set(G.result + k);
    });
    entry.call(F.report);
  } else entry.call(remap(start!.index)).call(F.report);

  const bodies = [
    now.body([T.i64]),
    markStart.body([]),
    markEnd.body([T.i64]),
    hex.body([T.i32, T.i32]),
    report.body([]),
    entry.body(entryLocals),
  ];
  const funcTypes = [tNow, tVoid, tVoid, tHex, tVoid, tVoid];
  if (procExit) {
    bodies.push(new Code().call(F.report).op(OP.localGet, 0).call(importIndex(procExit)).body([]));
    funcTypes.push(procExit.type!);
  }

  // Reassembly: remapped sections, extended vectors, new sections in their places, names dropped.
  const extend = (id: number, counted: { n: number; rest: Uint8Array }, items: readonly Uint8Array[]) => {
    const body = concat([uleb(counted.n + items.length), counted.rest, ...items]);
    const existing = find(id);
    if (existing) {
      existing.body = body;
      existing.sizeWidth = undefined;
    } else place(sections, { id, body });
  };
  const out = sections
    .filter((s) => !(s.id === SECTION.custom && droppedCustom(s.body, what)))
    .map((s) => (s.id === SECTION.export ? s : remapSection(s, what, remap)));
  sections.splice(0, sections.length, ...out);
  extend(SECTION.type, types, newTypes);
  const importBody = vector(allImports.map((i) => i.raw));
  if (find(SECTION.import)) find(SECTION.import)!.body = importBody;
  else place(sections, { id: SECTION.import, body: importBody });
  extend(
    SECTION.function,
    defined,
    funcTypes.map((t) => uleb(t)),
  );
  extend(SECTION.global, countOf(find(SECTION.global)?.body, what), newGlobals);
  const exportBody = vector(newExports.map((e) => concat([nameBytes(e.name), Uint8Array.of(e.kind), uleb(e.index)])));
  if (find(SECTION.export)) find(SECTION.export)!.body = exportBody;
  else place(sections, { id: SECTION.export, body: exportBody });
  extend(SECTION.code, countOf(find(SECTION.code)?.body, what), bodies);
  for (const s of sections) if (s.id === SECTION.import || s.id === SECTION.export) s.sizeWidth = undefined;
  return joinSections(sections);
}

/** The `name` section (its function indices would be wrong) and DWARF (its code offsets would be). */
function droppedCustom(body: Uint8Array, what: string): boolean {
  const name = new Cursor(body, 0, body.length, what).name();
  return name === 'name' || name.startsWith('.debug_') || name === 'sourceMappingURL';
}

/** What a report line says; undefined when `line` is not one with this nonce. Pure. */
export interface RegionReport {
  ns: bigint;
  count: bigint;
  flags: number;
  /** a kernel's results, as 64-bit patterns */
  results: bigint[];
}

const REPORT_LINE = /^([0-9a-f]{32}) region ([0-9a-f]{16}) ([0-9a-f]{16}) ([0-9a-f]{16})((?: [0-9a-f]{16})*)$/;

export function parseReportLine(line: string, nonce: string): RegionReport | undefined {
  const m = REPORT_LINE.exec(line);
  if (!m || m[1] !== nonce) return undefined;
  const hexes = m[5]!.trim() ? m[5]!.trim().split(' ') : [];
  return {
    ns: BigInt(`0x${m[2]}`),
    count: BigInt(`0x${m[3]}`),
    flags: Number(BigInt(`0x${m[4]}`)),
    results: hexes.map((h) => BigInt(`0x${h}`)),
  };
}

/** A result's bits as the JS launcher prints the value (`${result}`): signed integers, JS number text. Pure. */
export function formatResult(type: string, bits: bigint): string {
  if (type === 'i32') return String(BigInt.asIntN(32, bits));
  if (type === 'i64') return String(BigInt.asIntN(64, bits));
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt.asUintN(64, bits));
  return String(type === 'f32' ? b.readFloatLE(0) : b.readDoubleLE(0));
}
