// A core module's byte layout: sections, function bodies, data segments and the names the `name` section
// gives them. Pure and linear: every count is checked against the bytes left before anything is kept, so
// a lying header costs nothing, and an error names the byte offset where the module stops making sense.
// No npm library walks code bodies and the name section without decoding (and holding) every instruction.
import { ByteReader } from './byte-reader.js';

/** Thrown for a module that is not WebAssembly or ends early; `offset` is where reading failed. */
export class WasmLayoutError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(`${message} at byte offset ${offset}`);
  }
}

export interface LayoutItem {
  /** function index (imports first, as the name section counts them) or data segment index */
  index: number;
  /** from the name section; undefined when it has none for this item */
  name?: string;
  /** bytes in the section, the body's (or segment's) length prefix included */
  bytes: number;
}

export interface WasmLayout {
  /** bytes per section in file order of first appearance (`custom:NAME` for custom sections, summed) */
  sections: { name: string; bytes: number }[];
  functions: LayoutItem[];
  data: LayoutItem[];
  /** whether a `name` section named at least one function */
  named: boolean;
  /** a name section that did not parse (names are then left out; sizes stand) */
  nameProblem?: string;
}

const SECTION_NAMES = [
  'custom',
  'type',
  'import',
  'function',
  'table',
  'memory',
  'global',
  'export',
  'start',
  'element',
  'code',
  'data',
  'datacount',
  'tag',
];
const IMPORT_SECTION = 2;
const CODE_SECTION = 10;
const DATA_SECTION = 11;
/** Names longer than this are cut: one absurd name must not fill a report. */
const MAX_NAME_BYTES = 1024;
const MAX_SECTION_LABELS = 200;

/** A cursor over `bytes[start, end)`; every read past `end` throws WasmLayoutError with the offset. */
class Reader extends ByteReader {
  fail(message: string, at = this.at): never {
    throw new WasmLayoutError(`${this.what}: ${message}`, at);
  }

  /** A count of items, each at least `minBytes` long: more than the bytes left can hold is a lie. */
  count(minBytes = 1): number {
    const start = this.at;
    const n = this.uleb();
    if (n * minBytes > this.left())
      throw new WasmLayoutError(`${this.what}: a count of ${n} cannot fit in the ${this.left()} bytes left`, start);
    return n;
  }

  name(): string {
    const len = this.uleb();
    const start = this.at;
    this.skip(len);
    const shown = Math.min(len, MAX_NAME_BYTES);
    const text = Buffer.from(this.bytes.buffer, this.bytes.byteOffset + start, shown).toString('utf8');
    return shown < len ? `${text}…` : text;
  }
}

const MAGIC = [0x00, 0x61, 0x73, 0x6d];

/** The layout of a core module; throws WasmLayoutError for anything else or a module that ends early. */
export function wasmLayout(bytes: Uint8Array): WasmLayout {
  if (bytes.length < 8 || MAGIC.some((b, i) => bytes[i] !== b))
    throw new WasmLayoutError('not a WebAssembly module (no \\0asm header)', 0);
  if (bytes[4] !== 1 || bytes[5] !== 0 || bytes[6] !== 0 || bytes[7] !== 0)
    throw new WasmLayoutError(
      `not a core module of binary version 1 (version bytes ${[...bytes.subarray(4, 8)].join(' ')}: a component?)`,
      4,
    );
  const sectionBytes = new Map<string, number>();
  const layout: WasmLayout = { sections: [], functions: [], data: [], named: false };
  let importedFunctions = 0;
  let nameSection: { at: number; end: number } | undefined;
  const file = new Reader(bytes, 8, bytes.length, 'the module');
  while (file.left() > 0) {
    const start = file.at;
    const id = file.byte();
    const size = file.uleb();
    const body = file.at;
    if (size > file.left())
      throw new WasmLayoutError(
        `truncated: section ${SECTION_NAMES[id] ?? id} announces ${size} bytes, only ${file.left()} follow`,
        start,
      );
    file.skip(size);
    const section = new Reader(bytes, body, body + size, `section ${SECTION_NAMES[id] ?? id}`);
    let label = SECTION_NAMES[id];
    if (label === undefined) throw new WasmLayoutError(`unknown section id ${id}`, start);
    if (id === 0) {
      const custom = section.name();
      label = `custom:${custom}`;
      if (custom === 'name') nameSection = { at: section.at, end: section.end };
    } else if (id === IMPORT_SECTION) importedFunctions = countImportedFunctions(section);
    else if (id === CODE_SECTION) layout.functions = items(section, importedFunctions, skipCodeBody);
    else if (id === DATA_SECTION) layout.data = items(section, 0, skipDataSegment);
    // Thousands of distinctly named custom sections would flood the report: past a bound they are summed.
    if (!sectionBytes.has(label) && sectionBytes.size >= MAX_SECTION_LABELS) label = 'custom:(others)';
    sectionBytes.set(label, (sectionBytes.get(label) ?? 0) + (file.at - start));
  }
  layout.sections = [...sectionBytes].map(([name, n]) => ({ name, bytes: n }));
  if (nameSection) applyNames(bytes, nameSection, layout);
  return layout;
}

function items(section: Reader, firstIndex: number, skipItem: (r: Reader) => void): LayoutItem[] {
  const n = section.count();
  const out: LayoutItem[] = [];
  for (let i = 0; i < n; i++) {
    const start = section.at;
    skipItem(section);
    out.push({ index: firstIndex + i, bytes: section.at - start });
  }
  return out;
}

function skipCodeBody(r: Reader): void {
  r.skip(r.uleb());
}

function skipDataSegment(r: Reader): void {
  const flags = r.uleb();
  if (flags === 2) r.uleb(); // memory index
  if (flags === 0 || flags === 2) skipConstExpr(r);
  else if (flags !== 1) throw new WasmLayoutError(`data segment flags ${flags} are not 0, 1 or 2`, r.at);
  r.skip(r.uleb());
}

/** A constant expression up to its `end`: the opcodes data offsets use (extended-const included). */
function skipConstExpr(r: Reader): void {
  for (;;) {
    const at = r.at;
    const op = r.byte();
    if (op === 0x0b) return;
    if (op === 0x41) r.sleb(5);
    else if (op === 0x42) r.sleb(10);
    else if (op === 0x43) r.skip(4);
    else if (op === 0x44) r.skip(8);
    else if (op === 0x23 || op === 0xd2) r.uleb();
    else if (op === 0xd0) r.sleb(5);
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op))
      throw new WasmLayoutError(`opcode 0x${op.toString(16)} in a constant expression is not supported`, at);
  }
}

function countImportedFunctions(r: Reader): number {
  const n = r.count(3);
  let functions = 0;
  for (let i = 0; i < n; i++) {
    r.name();
    r.name();
    const at = r.at;
    const kind = r.byte();
    if (kind === 0) {
      r.uleb();
      functions++;
    } else if (kind === 1) {
      skipRefType(r);
      skipLimits(r);
    } else if (kind === 2) skipLimits(r);
    else if (kind === 3) {
      skipValType(r);
      r.byte();
    } else if (kind === 4) {
      r.byte();
      r.uleb();
    } else throw new WasmLayoutError(`import kind ${kind} is unknown`, at);
  }
  return functions;
}

function skipLimits(r: Reader): void {
  const flags = r.byte();
  r.uleb(10);
  if (flags & 1) r.uleb(10);
}

/** A value type: one byte, or a GC reference type with its heap type (an s33). */
function skipValType(r: Reader): void {
  const t = r.byte();
  if (t === 0x63 || t === 0x64) r.sleb(5);
}

function skipRefType(r: Reader): void {
  skipValType(r);
}

/**
 * Function names (subsection 1) and data segment names (subsection 9). A name section whose subsections or
 * names run past its end is reported and ignored: the sizes do not depend on it.
 */
function applyNames(bytes: Uint8Array, where: { at: number; end: number }, layout: WasmLayout): void {
  const r = new Reader(bytes, where.at, where.end, 'the name section');
  const functionNames = new Map<number, string>();
  const dataNames = new Map<number, string>();
  try {
    while (r.left() > 0) {
      const start = r.at;
      const id = r.byte();
      const size = r.uleb();
      if (size > r.left())
        throw new WasmLayoutError(
          `name subsection ${id} announces ${size} bytes, only ${r.left()} are left in the section`,
          start,
        );
      const sub = new Reader(bytes, r.at, r.at + size, `name subsection ${id}`);
      r.skip(size);
      if (id === 1) readNameMap(sub, functionNames);
      else if (id === 9) readNameMap(sub, dataNames);
    }
  } catch (e) {
    if (!(e instanceof WasmLayoutError)) throw e;
    layout.nameProblem = `the name section is malformed (${e.message}); names are left out`;
    return;
  }
  for (const f of layout.functions) f.name = functionNames.get(f.index);
  for (const d of layout.data) d.name = dataNames.get(d.index);
  layout.named = functionNames.size > 0;
}

function readNameMap(r: Reader, into: Map<number, string>): void {
  const n = r.count(2);
  for (let i = 0; i < n; i++) {
    const index = r.uleb();
    into.set(index, r.name());
  }
}
