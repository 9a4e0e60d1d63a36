// Whether a core wasm module exports `_start`, read from section headers and the export section only.
// wasmtime and wazero run a module without `_start` as a reactor: exit 0 having run nothing (docs/real-runtimes.md).
import { open, type FileHandle } from 'node:fs/promises';

/** `\0asm` and binary version 1: a core module. A component (version 0x0d…) has no core `_start` to look for. */
const CORE_MODULE_HEADER = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
const WASM_MAGIC = CORE_MODULE_HEADER.subarray(0, 4);
/** A component-model binary: the magic, a 2-byte version (0x0d while the format is pre-1.0), layer 1. */
const COMPONENT_LAYER = Buffer.from([0x01, 0x00]);
/** Runtimes whose run command takes a component (`wasmtime run` does); every other one runs core modules only. */
const COMPONENT_RUNTIMES: readonly string[] = ['wasmtime'];
const EXPORT_SECTION = 7;
const FUNCTION_EXPORT = 0;
/** Past these the module is not one a compiler emits; the check gives up and the runtime decides. */
const MAX_SECTIONS = 100_000;
const MAX_EXPORT_SECTION_BYTES = 16 * 1024 * 1024;

export interface WasmExport {
  name: string;
  /** 0 function, 1 table, 2 memory, 3 global, 4 tag */
  kind: number;
}

/** A LEB128 u32 at `at`, or undefined when the bytes end first or it runs past 5 bytes. Pure. */
export function readU32(bytes: Uint8Array, at: number): { value: number; next: number } | undefined {
  let value = 0;
  for (let i = 0; i < 5; i++) {
    const b = bytes[at + i];
    if (b === undefined) return undefined;
    value += (b & 0x7f) * 2 ** (7 * i);
    if ((b & 0x80) === 0) return { value, next: at + i + 1 };
  }
  return undefined;
}

/** The entries of an export section's contents; undefined when they are malformed. Pure. */
export function parseExports(section: Uint8Array): WasmExport[] | undefined {
  const count = readU32(section, 0);
  if (!count) return undefined;
  const exports: WasmExport[] = [];
  let at = count.next;
  for (let i = 0; i < count.value; i++) {
    const len = readU32(section, at);
    if (!len || len.next + len.value >= section.length) return undefined;
    const name = Buffer.from(section.subarray(len.next, len.next + len.value)).toString('utf8');
    const kind = section[len.next + len.value]!;
    const index = readU32(section, len.next + len.value + 1);
    if (!index) return undefined;
    exports.push({ name, kind });
    at = index.next;
  }
  return exports;
}

/** Why the module cannot run as a WASI command (in the wasi-launcher's words), or undefined. Pure. */
export function missingStartReason(exports: readonly WasmExport[]): string | undefined {
  if (exports.some((e) => e.name === '_start' && e.kind === FUNCTION_EXPORT)) return undefined;
  const reactor = exports.some((e) => e.name === '_initialize')
    ? ' (a reactor/library module: it exports _initialize)'
    : '';
  return `it exports no _start function${reactor}`;
}

async function readAt(handle: FileHandle, at: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await handle.read(buffer, 0, length, at);
  return buffer.subarray(0, bytesRead);
}

/** A module the check could not parse: where and why, for a load error. */
export interface Malformed {
  malformed: string;
}

/** The module's exports ([] when it has no export section); undefined for a component or a malformed file. */
export async function readExports(file: string): Promise<WasmExport[] | undefined> {
  const scanned = await scanExports(file);
  return Array.isArray(scanned) ? scanned : undefined;
}

/**
 * The module's exports, or where it stops being a module (a section running past the end of the file, a bad
 * LEB128, a malformed export section), or undefined for a component or an unreadable file (the runtime decides).
 */
export async function scanExports(file: string): Promise<WasmExport[] | Malformed | undefined> {
  const handle = await open(file, 'r');
  try {
    const fileSize = (await handle.stat()).size;
    const header = await readAt(handle, 0, 8);
    if (header.length < 8 && CORE_MODULE_HEADER.subarray(0, header.length).equals(header))
      return { malformed: `it ends at byte ${header.length}, inside the 8-byte module header` };
    if (!header.equals(CORE_MODULE_HEADER)) return undefined;
    let at = 8;
    for (let n = 0; n < MAX_SECTIONS; n++) {
      const head = await readAt(handle, at, 6);
      if (head.length === 0) return [];
      const size = readU32(head, 1);
      if (!size) return { malformed: `the section header at byte ${at} is cut short or has a bad size` };
      const body = at + size.next;
      if (body + size.value > fileSize) {
        return {
          malformed: `section ${head[0]} at byte ${at} claims ${size.value} bytes, past the end of the ${fileSize}-byte file`,
        };
      }
      if (head[0] === EXPORT_SECTION) {
        if (size.value > MAX_EXPORT_SECTION_BYTES) return undefined;
        const section = await readAt(handle, body, size.value);
        return parseExports(section) ?? { malformed: `the export section at byte ${at} is malformed` };
      }
      at = body + size.value;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

/**
 * Why `file` cannot run as a WASI command, or undefined (also when it cannot tell: the runtime decides then).
 * A module that does not parse is a load error with the byte offset, never "no _start".
 */
export async function startExportProblem(file: string): Promise<string | undefined> {
  const scanned = await scanExports(file).catch(() => undefined);
  if (scanned === undefined) return undefined;
  if (!Array.isArray(scanned)) return `it is not a valid WebAssembly module: ${scanned.malformed}`;
  return missingStartReason(scanned);
}

/** Whether `file` is a component-model binary (a WASI preview 2 component), read from its 8-byte header. */
export async function isComponent(file: string): Promise<boolean> {
  const handle = await open(file, 'r').catch(() => undefined);
  if (!handle) return false;
  try {
    const head = await readAt(handle, 0, 8);
    return head.length === 8 && head.subarray(0, 4).equals(WASM_MAGIC) && head.subarray(6, 8).equals(COMPONENT_LAYER);
  } finally {
    await handle.close();
  }
}

/** A component's top-level import section (component binary format; a core module's is 2). */
const COMPONENT_IMPORT_SECTION = 10;
/** An import named `bench` (0x00 or 0x01 name form, length 5) followed by an externdesc sort byte (0x00–0x05). */
const BENCH_IMPORT = Buffer.from('bench');

/**
 * Whether a component's top-level imports include `bench`: sightglass's bench.start/bench.end as an instance a
 * component imports. Read from the top-level sections' headers; the import names are matched as they are
 * encoded (a name form byte, the length, the bytes, then the kind of what is imported). Pure.
 */
export function componentImportsBench(bytes: Uint8Array): boolean {
  let at = 8;
  for (let n = 0; n < MAX_SECTIONS && at < bytes.length; n++) {
    const size = readU32(bytes, at + 1);
    if (!size) return false;
    const body = bytes.subarray(size.next, Math.min(bytes.length, size.next + size.value));
    if (bytes[at] === COMPONENT_IMPORT_SECTION) {
      for (let i = 0; i + 8 <= body.length; i++) {
        const named = (body[i] === 0x00 || body[i] === 0x01) && body[i + 1] === BENCH_IMPORT.length;
        if (named && BENCH_IMPORT.equals(body.subarray(i + 2, i + 7)) && body[i + 7]! <= 0x05) return true;
      }
    }
    at = size.next + size.value;
  }
  return false;
}

/** Why a component cannot run on `runtime` (a registry name), or undefined where it can. Pure. */
export function componentProblem(runtime: string, importsBench = false): string | undefined {
  if (!COMPONENT_RUNTIMES.includes(runtime)) return `a component: ${runtime} runs core modules only`;
  if (importsBench)
    return `a component importing bench.start/bench.end (an instance \`bench\`, as sightglass's component benchmarks do): ${runtime}'s command line cannot provide it to a component, and wasm-perf-gate measures the region of core modules only`;
  return undefined;
}
