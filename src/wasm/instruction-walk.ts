// A core module's sections and the function indices inside them: every instruction of every code body is
// decoded by a table of immediates, so a rewrite can renumber `call`, `return_call` and `ref.func` (and
// exports, the start function, element segments, constant expressions) while every other byte stays as the
// compiler wrote it. binaryen would re-emit the code from its IR: the measured code would no longer be the
// program's bytes (docs/adrs/0020-region-on-native-runtimes.md).
import { ByteReader } from './byte-reader.js';

/** Thrown for bytes this walker cannot read: names the module (`what`), the byte offset and the opcode. */
export class WasmWalkError extends Error {}

export interface Section {
  id: number;
  /** the section's contents (after its size) */
  body: Uint8Array;
  /** bytes the size took in the file (linkers pad it); kept when the size still fits */
  sizeWidth?: number;
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];

/** A cursor over bytes; `what` names the module in errors, thrown as WasmWalkError. */
export class Cursor extends ByteReader {
  fail(message: string, at = this.at): never {
    throw new WasmWalkError(`${this.what}: ${message} at byte offset ${at}`);
  }

  /** A value type: one byte, or `ref null? heaptype` (0x63/0x64 and an s33). */
  valtype(): void {
    const t = this.byte();
    if (t === 0x63 || t === 0x64) this.sleb(5);
  }

  name(): string {
    const n = this.uleb();
    const start = this.at;
    this.skip(n);
    return Buffer.from(this.bytes.subarray(start, this.at)).toString('utf8');
  }
}

/** The sections of a core module, in file order; throws WasmWalkError for anything else. */
export function splitSections(bytes: Uint8Array, what: string): Section[] {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new WasmWalkError(`${what}: not a core WebAssembly module (binary version 1)`);
  const c = new Cursor(bytes, 8, bytes.length, what);
  const sections: Section[] = [];
  while (c.at < c.end) {
    const id = c.byte();
    const sizeAt = c.at;
    const size = c.uleb();
    const start = c.at;
    c.skip(size);
    sections.push({ id, body: bytes.subarray(start, start + size), sizeWidth: start - sizeAt });
  }
  return sections;
}

/** The module's bytes from its sections. */
export function joinSections(sections: readonly Section[]): Uint8Array {
  return concat([
    Uint8Array.from(MAGIC),
    ...sections.flatMap((s) => [Uint8Array.of(s.id), uleb(s.body.length, s.sizeWidth), s.body]),
  ]);
}

export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** An unsigned LEB128, padded to `width` bytes when it fits in them (compilers pad call indices to 5). */
export function uleb(value: number, width = 1): Uint8Array {
  const out: number[] = [];
  let v = value;
  do {
    out.push(v % 128);
    v = Math.floor(v / 128);
  } while (v > 0 || out.length < width);
  for (let i = 0; i < out.length - 1; i++) out[i]! |= 0x80;
  return Uint8Array.from(out);
}

/** A signed LEB128 of a 64-bit value. */
export function sleb(value: bigint): Uint8Array {
  const out: number[] = [];
  let v = BigInt.asIntN(64, value);
  for (;;) {
    const b = Number(v & 0x7fn);
    v >>= 7n;
    const done = (v === 0n && (b & 0x40) === 0) || (v === -1n && (b & 0x40) !== 0);
    out.push(done ? b : b | 0x80);
    if (done) return Uint8Array.from(out);
  }
}

/**
 * How many types a type section defines: its count is of recursive groups (GC), each of one or more types.
 * Only the rec/sub wrappers are read; a plain function type counts one.
 */
export function typeCount(body: Uint8Array, what: string): number {
  const c = new Cursor(body, 0, body.length, what);
  const groups = c.uleb();
  let types = 0;
  const comptype = () => {
    const form = c.byte();
    if (form === 0x60) {
      for (let k = 0; k < 2; k++) {
        const n = c.uleb();
        for (let i = 0; i < n; i++) c.valtype();
      }
    } else if (form === 0x5f) {
      const n = c.uleb();
      for (let i = 0; i < n; i++) {
        c.valtype();
        c.byte();
      }
    } else if (form === 0x5e) {
      c.valtype();
      c.byte();
    } else c.fail(`type form 0x${form.toString(16)} is unknown`);
  };
  const subtype = () => {
    const form = c.bytes[c.at];
    if (form === 0x50 || form === 0x4f) {
      c.byte();
      const n = c.uleb();
      for (let i = 0; i < n; i++) c.uleb();
    }
    comptype();
    types++;
  };
  for (let g = 0; g < groups; g++) {
    if (c.bytes[c.at] === 0x4e) {
      c.byte();
      const n = c.uleb();
      for (let i = 0; i < n; i++) subtype();
    } else subtype();
  }
  return types;
}

/** What a remap does to one function index. */
export type Remap = (index: number) => number;

/** Where a function index sits in the bytes: [at, end), and its value. */
interface FuncRef {
  at: number;
  end: number;
  index: number;
}

const BLOCKS = new Set([0x02, 0x03, 0x04, 0x06, 0x1f]);
/** Opcodes without immediates (besides the numeric range 0x45..0xc4). */
const BARE = new Set([0x00, 0x01, 0x05, 0x0a, 0x0b, 0x0f, 0x19, 0x1a, 0x1b, 0xd1, 0xd3, 0xd4]);
/** Opcodes with one u32 immediate (labels, tags, locals, globals, tables, types). */
const ONE_INDEX = new Set([
  0x07, 0x08, 0x09, 0x0c, 0x0d, 0x14, 0x15, 0x20, 0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0xd5, 0xd6,
]);

function memarg(c: Cursor): void {
  const align = c.uleb();
  if (align & 0x40) c.uleb(); // multi-memory: a memory index follows
  c.uleb(10); // offset (u64 for memory64)
}

function blocktype(c: Cursor): void {
  const t = c.bytes[c.at];
  if (t === 0x63 || t === 0x64) c.valtype();
  else c.sleb(5);
}

/** 0xFC: saturating truncation, bulk memory and table instructions. */
function prefixFC(c: Cursor, op: number, at: number): void {
  if (op <= 7) return;
  if (op === 8 || op === 10 || op === 12 || op === 14) {
    c.uleb();
    c.uleb();
  } else if (op === 9 || op === 11 || op === 13 || op === 15 || op === 16 || op === 17) c.uleb();
  else c.fail(`unknown opcode 0xfc ${op}`, at);
}

/** 0xFD: SIMD (and relaxed SIMD, which has no immediates). */
function prefixFD(c: Cursor, op: number, at: number): void {
  if (op <= 11 || op === 92 || op === 93) memarg(c);
  else if (op === 12 || op === 13) c.skip(16);
  else if (op >= 21 && op <= 34) c.skip(1);
  else if (op >= 84 && op <= 91) {
    memarg(c);
    c.skip(1);
  } else if (op > 0x113) c.fail(`unknown opcode 0xfd ${op}`, at);
}

/** 0xFB: the GC proposal's struct, array, cast and i31 instructions. */
function prefixFB(c: Cursor, op: number, at: number): void {
  const TWO = [2, 3, 4, 5, 8, 9, 10, 17, 18, 19];
  const ONE = [0, 1, 6, 7, 11, 12, 13, 14, 16];
  if (TWO.includes(op)) {
    c.uleb();
    c.uleb();
  } else if (ONE.includes(op)) c.uleb();
  else if (op >= 20 && op <= 23)
    c.sleb(5); // ref.test / ref.cast: a heap type
  else if (op === 24 || op === 25) {
    c.byte(); // cast flags
    c.uleb(); // label
    c.sleb(5);
    c.sleb(5);
  } else if (op !== 15 && !(op >= 26 && op <= 30)) c.fail(`unknown opcode 0xfb ${op}`, at);
}

/** 0xFE: threads' atomics. */
function prefixFE(c: Cursor, op: number, at: number): void {
  if (op === 3) c.skip(1);
  else if (op <= 2 || (op >= 0x10 && op <= 0x4e)) memarg(c);
  else c.fail(`unknown opcode 0xfe ${op}`, at);
}

/**
 * Reads one expression (a function body's instructions, or a constant expression) up to the `end` that
 * closes it, calling `onFunc` for each function index an instruction names. Returns when that `end` is read.
 */
export function walkExpr(c: Cursor, onFunc: (ref: FuncRef) => void): void {
  let depth = 0;
  for (;;) {
    const at = c.at;
    const op = c.byte();
    if (op === 0x0b) {
      if (depth-- === 0) return;
    } else if (op === 0x18) {
      // legacy exception handling: `delegate L` closes its `try` as `end` would
      c.uleb();
      depth--;
    } else if (BLOCKS.has(op)) {
      depth++;
      blocktype(c);
      if (op === 0x1f) {
        const n = c.uleb();
        for (let i = 0; i < n; i++) {
          const kind = c.byte();
          if (kind <= 1) c.uleb();
          else if (kind > 3) c.fail(`unknown catch kind ${kind} in try_table`);
          c.uleb();
        }
      }
    } else if (op === 0x10 || op === 0x12 || op === 0xd2) {
      const start = c.at;
      const index = c.uleb();
      onFunc({ at: start, end: c.at, index });
    } else if (BARE.has(op) || (op >= 0x45 && op <= 0xc4)) {
      // no immediates
    } else if (ONE_INDEX.has(op)) c.uleb();
    else if (op === 0x0e) {
      const n = c.uleb();
      for (let i = 0; i <= n; i++) c.uleb();
    } else if (op === 0x11 || op === 0x13) {
      c.uleb();
      c.uleb();
    } else if (op === 0x1c) {
      const n = c.uleb();
      for (let i = 0; i < n; i++) c.valtype();
    } else if (op >= 0x28 && op <= 0x3e) memarg(c);
    else if (op === 0x3f || op === 0x40) c.uleb();
    else if (op === 0x41) c.sleb(5);
    else if (op === 0x42) c.sleb(10);
    else if (op === 0x43) c.skip(4);
    else if (op === 0x44) c.skip(8);
    else if (op === 0xd0) c.sleb(5);
    else if (op === 0xfb) prefixFB(c, c.uleb(), at);
    else if (op === 0xfc) prefixFC(c, c.uleb(), at);
    else if (op === 0xfd) prefixFD(c, c.uleb(), at);
    else if (op === 0xfe) prefixFE(c, c.uleb(), at);
    else c.fail(`unknown opcode 0x${op.toString(16)}`, at);
  }
}

/** Copies [from, to) of `c.bytes` with each function index remapped; a changed index keeps its width when it fits. */
class Patcher {
  private parts: Uint8Array[] = [];
  private copied: number;
  changed = false;

  constructor(
    private readonly bytes: Uint8Array,
    from: number,
    private readonly remap: Remap,
  ) {
    this.copied = from;
  }

  readonly visit = (ref: FuncRef): void => {
    const next = this.remap(ref.index);
    if (next === ref.index) return;
    this.parts.push(this.bytes.subarray(this.copied, ref.at), uleb(next, ref.end - ref.at));
    this.copied = ref.end;
    this.changed = true;
  };

  finish(to: number): Uint8Array {
    this.parts.push(this.bytes.subarray(this.copied, to));
    return concat(this.parts);
  }
}

/** A vector section (`count item*`) rewritten item by item; `item` reads one and calls `p.visit` for indices. */
function patchVector(body: Uint8Array, what: string, remap: Remap, item: (c: Cursor, p: Patcher) => void): Uint8Array {
  const c = new Cursor(body, 0, body.length, what);
  const p = new Patcher(body, 0, remap);
  const n = c.uleb();
  for (let i = 0; i < n; i++) item(c, p);
  if (c.at !== c.end) c.fail('the section has bytes after its last item');
  return p.changed ? p.finish(body.length) : body;
}

function codeSection(body: Uint8Array, what: string, remap: Remap): Uint8Array {
  const c = new Cursor(body, 0, body.length, what);
  const parts: Uint8Array[] = [];
  const n = c.uleb();
  parts.push(body.subarray(0, c.at));
  let changed = false;
  for (let i = 0; i < n; i++) {
    const sizeAt = c.at;
    const size = c.uleb();
    const start = c.at;
    const end = start + size;
    if (end > body.length) c.fail(`function body ${i} runs past the code section`, sizeAt);
    const fc = new Cursor(body, start, end, what);
    const locals = fc.uleb();
    for (let k = 0; k < locals; k++) {
      fc.uleb();
      fc.valtype();
    }
    const p = new Patcher(body, start, remap);
    walkExpr(fc, p.visit);
    if (fc.at !== end) fc.fail(`function body ${i} has bytes after its final end`);
    if (p.changed) {
      const code = p.finish(end);
      parts.push(uleb(code.length, c.at - sizeAt), code);
      changed = true;
    } else parts.push(body.subarray(sizeAt, end));
    c.at = end;
  }
  if (c.at !== c.end) c.fail('the code section has bytes after its last body');
  return changed ? concat(parts) : body;
}

function indexRef(c: Cursor, p: Patcher): void {
  const at = c.at;
  const index = c.uleb();
  p.visit({ at, end: c.at, index });
}

function elementSegment(c: Cursor, p: Patcher): void {
  const flags = c.uleb();
  if (flags > 7) c.fail(`element segment flags ${flags} are not 0..7`);
  if (flags === 2 || flags === 6) c.uleb(); // table index
  if ((flags & 1) === 0) walkExpr(c, p.visit); // active: the offset
  const exprs = (flags & 4) !== 0;
  if (flags & 3) {
    if (exprs) c.valtype();
    else c.byte(); // elemkind 0x00
  }
  const n = c.uleb();
  for (let i = 0; i < n; i++) {
    if (exprs) walkExpr(c, p.visit);
    else indexRef(c, p);
  }
}

function exportEntry(c: Cursor, p: Patcher): void {
  c.name();
  const kind = c.byte();
  if (kind === 0) indexRef(c, p);
  else c.uleb();
}

function globalEntry(c: Cursor, p: Patcher): void {
  c.valtype();
  c.byte();
  walkExpr(c, p.visit);
}

export const SECTION = {
  custom: 0,
  type: 1,
  import: 2,
  function: 3,
  table: 4,
  memory: 5,
  global: 6,
  export: 7,
  start: 8,
  element: 9,
  code: 10,
  data: 11,
  datacount: 12,
  tag: 13,
} as const;

/**
 * One section with every function index in it remapped: code bodies, exports, the start function, element
 * segments and global initialisers. Other sections are returned as they are. Walks the whole section even
 * when nothing changes, so an opcode it cannot read is reported either way.
 */
export function remapSection(section: Section, what: string, remap: Remap): Section {
  const { id, body } = section;
  const remapped = (b: Uint8Array): Section => (b === body ? section : { ...section, body: b });
  if (id === SECTION.code) return remapped(codeSection(body, what, remap));
  if (id === SECTION.export) return remapped(patchVector(body, what, remap, exportEntry));
  if (id === SECTION.element) return remapped(patchVector(body, what, remap, elementSegment));
  if (id === SECTION.global) return remapped(patchVector(body, what, remap, globalEntry));
  if (id === SECTION.start) {
    const c = new Cursor(body, 0, body.length, what);
    const p = new Patcher(body, 0, remap);
    indexRef(c, p);
    return remapped(p.changed ? p.finish(body.length) : body);
  }
  return section;
}

/** The module with every function index remapped (an identity remap gives back the same bytes). */
export function remapFunctionIndices(bytes: Uint8Array, what: string, remap: Remap): Uint8Array {
  return joinSections(splitSections(bytes, what).map((s) => remapSection(s, what, remap)));
}
