// The sightglass convention, detected from a core module's imports: `bench.start` and `bench.end`, both
// `() -> ()`, mark the measured region (sightglass and Shopify's wasm-bench use the same two). Read from the
// type and import sections only, which come first in a module.
import { open, type FileHandle } from 'node:fs/promises';
import { readU32 } from './start-export.js';

const CORE_MODULE_HEADER = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const TYPE_SECTION = 1;
const IMPORT_SECTION = 2;
/** Past these the module is not one a compiler emits: it is read as having no markers. */
const MAX_SECTION_BYTES = 16 * 1024 * 1024;
const MAX_SECTIONS = 100_000;

export const MARKER_MODULE = 'bench';

/** A function signature as value-type names (`i32`, `f64`, …). */
export interface Signature {
  params: string[];
  results: string[];
}

export interface ModuleImport {
  module: string;
  name: string;
  /** 0 function, 1 table, 2 memory, 3 global, 4 tag */
  kind: number;
  /** for a function import */
  signature?: Signature;
}

const VALTYPES: Record<number, string> = {
  0x7f: 'i32',
  0x7e: 'i64',
  0x7d: 'f32',
  0x7c: 'f64',
  0x7b: 'v128',
  0x70: 'funcref',
  0x6f: 'externref',
  // the GC proposal's abbreviated reference types
  0x6e: 'anyref',
  0x6d: 'eqref',
  0x6c: 'i31ref',
  0x6b: 'structref',
  0x6a: 'arrayref',
  0x71: 'nullref',
  0x72: 'nullexternref',
  0x73: 'nullfuncref',
  0x69: 'exnref',
  0x74: 'nullexnref',
};
/** GC type forms: a recursion group, a subtype (final or not), an array, a struct, a function. */
const REC = 0x4e;
const SUB = 0x50;
const SUB_FINAL = 0x4f;
const ARRAY = 0x5e;
const STRUCT = 0x5f;
const FUNC = 0x60;
/** Packed field types of structs and arrays (i8, i16). */
const PACKED = [0x78, 0x77];

/** A LEB128 number of up to 10 bytes (u64 limits), skipped. */
function skipLeb(bytes: Uint8Array, at: number): number | undefined {
  for (let i = 0; i < 10; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    if ((b & 0x80) === 0) return at + i + 1;
  }
  return undefined;
}

function readName(bytes: Uint8Array, at: number): { value: string; next: number } | undefined {
  const len = readU32(bytes, at);
  if (!len || len.next + len.value > bytes.length) return undefined;
  return {
    value: Buffer.from(bytes.subarray(len.next, len.next + len.value)).toString('utf8'),
    next: len.next + len.value,
  };
}

/** One value type: a one-byte type, or `(ref null? heaptype)` with its s33 heap type (shown as `ref`). */
function readValtype(bytes: Uint8Array, at: number): { value: string; next: number } | undefined {
  const t = bytes[at];
  if (t === undefined) return undefined;
  if (t === 0x63 || t === 0x64) {
    const next = skipLeb(bytes, at + 1);
    return next === undefined ? undefined : { value: 'ref', next };
  }
  const name = VALTYPES[t];
  return name ? { value: name, next: at + 1 } : undefined;
}

function readValtypes(bytes: Uint8Array, at: number): { value: string[]; next: number } | undefined {
  const count = readU32(bytes, at);
  if (!count) return undefined;
  const types: string[] = [];
  let p = count.next;
  for (let i = 0; i < count.value; i++) {
    const t = readValtype(bytes, p);
    if (!t) return undefined;
    types.push(t.value);
    p = t.next;
  }
  return { value: types, next: p };
}

/** A struct or array field: a value type or a packed type, then its mutability byte. */
function skipFieldType(bytes: Uint8Array, at: number): number | undefined {
  if (PACKED.includes(bytes[at] ?? -1)) return at + 2;
  const t = readValtype(bytes, at);
  return t && t.next + 1;
}

/** One subtype into `types` (a function's signature, or undefined for a struct or array: indices stay aligned). */
function readSubtype(bytes: Uint8Array, at: number, types: (Signature | undefined)[]): number | undefined {
  let p: number | undefined = at;
  if (bytes[p] === SUB || bytes[p] === SUB_FINAL) {
    const supers = readU32(bytes, p + 1);
    if (!supers) return undefined;
    p = supers.next;
    for (let i = 0; i < supers.value && p !== undefined; i++) p = readU32(bytes, p)?.next;
    if (p === undefined) return undefined;
  }
  const form = bytes[p];
  if (form === FUNC) {
    const params = readValtypes(bytes, p + 1);
    const results = params && readValtypes(bytes, params.next);
    if (!params || !results) return undefined;
    types.push({ params: params.value, results: results.value });
    return results.next;
  }
  if (form === STRUCT) {
    const fields = readU32(bytes, p + 1);
    if (!fields) return undefined;
    p = fields.next;
    for (let i = 0; i < fields.value && p !== undefined; i++) p = skipFieldType(bytes, p);
  } else if (form === ARRAY) p = skipFieldType(bytes, p + 1);
  else return undefined;
  types.push(undefined);
  return p;
}

/**
 * The type section's types by index: a function's signature, undefined for a GC struct or array type (each
 * type of a recursion group has its own index). Undefined when the section is malformed. Pure.
 */
export function parseTypes(section: Uint8Array): (Signature | undefined)[] | undefined {
  const count = readU32(section, 0);
  if (!count) return undefined;
  const types: (Signature | undefined)[] = [];
  let at: number | undefined = count.next;
  for (let i = 0; i < count.value && at !== undefined; i++) {
    if (section[at] !== REC) {
      at = readSubtype(section, at, types);
      continue;
    }
    const group = readU32(section, at + 1);
    if (!group) return undefined;
    at = group.next;
    for (let j = 0; j < group.value && at !== undefined; j++) at = readSubtype(section, at, types);
  }
  return at === undefined ? undefined : types;
}

/** The entries of an import section; undefined when malformed. Pure. */
export function parseImports(
  section: Uint8Array,
  types: readonly (Signature | undefined)[],
): ModuleImport[] | undefined {
  const count = readU32(section, 0);
  if (!count) return undefined;
  const imports: ModuleImport[] = [];
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const module = readName(section, at);
    const name = module && readName(section, module.next);
    if (!module || !name) return undefined;
    const kind = section[name.next];
    let p: number | undefined = name.next + 1;
    let signature: Signature | undefined;
    if (kind === 0) {
      const index = readU32(section, p);
      if (!index) return undefined;
      signature = types[index.value];
      p = index.next;
    } else if (kind === 1) {
      const ref = readValtypes(Uint8Array.of(1, ...section.subarray(p, p + 6)), 0);
      if (!ref) return undefined;
      p = skipLimits(section, p + (ref.next - 1));
    } else if (kind === 2) p = skipLimits(section, p);
    else if (kind === 3) {
      const t = readValtypes(Uint8Array.of(1, ...section.subarray(p, p + 6)), 0);
      if (!t) return undefined;
      p = p + (t.next - 1) + 1;
    } else if (kind === 4) {
      const index = readU32(section, p + 1);
      p = index?.next;
    } else return undefined;
    if (p === undefined) return undefined;
    imports.push({ module: module.value, name: name.value, kind, ...(signature ? { signature } : {}) });
    at = p;
  }
  return imports;
}

function skipLimits(bytes: Uint8Array, at: number): number | undefined {
  const flags = bytes[at];
  if (flags === undefined) return undefined;
  const min = skipLeb(bytes, at + 1);
  if (min === undefined) return undefined;
  return flags & 1 ? skipLeb(bytes, min) : min;
}

async function readAt(handle: FileHandle, at: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, at);
  return buffer.subarray(0, bytesRead);
}

/** A core module's imports with their signatures; undefined for a component or what it cannot read. */
export async function readImports(file: string): Promise<ModuleImport[] | undefined> {
  const handle = await open(file, 'r');
  try {
    if (!(await readAt(handle, 0, 8)).equals(CORE_MODULE_HEADER)) return undefined;
    let at = 8;
    let types: (Signature | undefined)[] = [];
    for (let n = 0; n < MAX_SECTIONS; n++) {
      const head = await readAt(handle, at, 6);
      if (head.length === 0) return [];
      const size = readU32(head, 1);
      if (!size) return undefined;
      const body = at + size.next;
      const id = head[0];
      if (id === TYPE_SECTION || id === IMPORT_SECTION) {
        if (size.value > MAX_SECTION_BYTES) return undefined;
        const section = await readAt(handle, body, size.value);
        if (section.length !== size.value) return undefined;
        if (id === IMPORT_SECTION) return parseImports(section, types);
        const parsed = parseTypes(section);
        if (!parsed) return undefined;
        types = parsed;
      } else if (id !== undefined && id !== 0 && id > IMPORT_SECTION) return []; // past where imports would be
      at = body + size.value;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

const showSignature = (s: Signature | undefined) =>
  s ? `(${s.params.join(', ')}) -> (${s.results.join(', ')})` : 'an unreadable signature';

/**
 * Whether the imports mark a region: `marks` when both markers are imported as `() -> ()`, a problem (one
 * sentence, naming the import and the fix) when they are imported wrongly, nothing otherwise. Pure.
 */
export function markerUse(imports: readonly ModuleImport[]): { marks: boolean; problem?: string } {
  const find = (name: string) => imports.find((i) => i.module === MARKER_MODULE && i.name === name);
  const start = find('start');
  const end = find('end');
  if (!start && !end) return { marks: false };
  for (const [name, imp] of [
    ['start', start],
    ['end', end],
  ] as const) {
    if (!imp) continue;
    const sig = imp.signature;
    if (imp.kind !== 0 || !sig || sig.params.length > 0 || sig.results.length > 0)
      return {
        marks: false,
        problem: `it imports bench.${name} as ${imp.kind === 0 ? showSignature(sig) : 'something other than a function'}: the sightglass markers bench.start and bench.end take no arguments and return nothing, () -> ()`,
      };
  }
  if (!start || !end)
    return {
      marks: false,
      problem: `it imports bench.${start ? 'start' : 'end'} but not bench.${start ? 'end' : 'start'}: a measured region needs both markers`,
    };
  return { marks: true };
}

const FUNCTION_SECTION = 3;
const EXPORT_SECTION = 7;

/** Function section: the type index of each function the module defines. Pure. */
function parseFunctionTypes(section: Uint8Array): number[] | undefined {
  const count = readU32(section, 0);
  if (!count) return undefined;
  const out: number[] = [];
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const t = readU32(section, at);
    if (!t) return undefined;
    out.push(t.value);
    at = t.next;
  }
  return out;
}

/** Export section: function exports as name → function index. Pure. */
function parseFunctionExports(section: Uint8Array): Map<string, number> | undefined {
  const count = readU32(section, 0);
  if (!count) return undefined;
  const out = new Map<string, number>();
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const name = readName(section, at);
    if (!name) return undefined;
    const kind = section[name.next];
    const index = readU32(section, name.next + 1);
    if (!index) return undefined;
    if (kind === 0) out.set(name.value, index.value);
    at = index.next;
  }
  return out;
}

/** A core module's exported functions with their signatures; undefined when it cannot read them. */
export async function readExportedFunctions(file: string): Promise<Map<string, Signature> | undefined> {
  const handle = await open(file, 'r');
  try {
    if (!(await readAt(handle, 0, 8)).equals(CORE_MODULE_HEADER)) return undefined;
    let at = 8;
    let types: (Signature | undefined)[] = [];
    let imported = 0;
    let defined: number[] = [];
    for (let n = 0; n < MAX_SECTIONS; n++) {
      const head = await readAt(handle, at, 6);
      if (head.length === 0) return new Map();
      const size = readU32(head, 1);
      if (!size) return undefined;
      const body = at + size.next;
      const id = head[0];
      if (id === TYPE_SECTION || id === IMPORT_SECTION || id === FUNCTION_SECTION || id === EXPORT_SECTION) {
        if (size.value > MAX_SECTION_BYTES) return undefined;
        const section = await readAt(handle, body, size.value);
        if (section.length !== size.value) return undefined;
        if (id === TYPE_SECTION) types = parseTypes(section) ?? [];
        else if (id === IMPORT_SECTION)
          imported = (parseImports(section, types) ?? []).filter((i) => i.kind === 0).length;
        else if (id === FUNCTION_SECTION) defined = parseFunctionTypes(section) ?? [];
        else {
          const exports = parseFunctionExports(section);
          if (!exports) return undefined;
          const out = new Map<string, Signature>();
          for (const [name, index] of exports) {
            const sig = index < imported ? undefined : types[defined[index - imported] ?? -1];
            if (sig) out.set(name, sig);
          }
          return out;
        }
      }
      at = body + size.value;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

export { showSignature };
