// The size cell (docs/size.md): a benchmark's size metrics read from its .wasm file and main's, with no
// runtime installed and nothing run. Compression levels are fixed so that figures compare across runs:
// gzip level 9 (zlib defaults otherwise: window 15, memLevel 8) and brotli quality 11 (window 22, generic
// mode), what static hosting precompresses with.
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { constants, brotliCompress, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { RunFailure, Sample } from '../model/measurement.js';
import { wasmLayout, WasmLayoutError, type WasmLayout } from '../wasm/wasm-sections.js';

/** Largest module the size metrics read: brotli at quality 11 runs at ~1 MiB/s, so this bounds a cell to about a minute. */
export const SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
export const GZIP_LEVEL = 9;
export const BROTLI_QUALITY = 11;

const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

export interface ModuleSize {
  values: Record<string, number>;
  layout: WasmLayout;
}

/** Figures by content (sha256 + metrics) within one run: an unchanged module is the same bytes on main and in the PR. */
export type SizeMemo = Map<string, ModuleSize>;

/**
 * The size metrics asked for (`metrics`) of one file; throws SizeError naming the file and what is wrong.
 * Bytes already measured in this run (`memo`) are not compressed again.
 */
export async function moduleSize(
  file: string,
  label: string,
  metrics: readonly string[],
  memo?: SizeMemo,
): Promise<ModuleSize> {
  const info = await stat(file);
  if (!info.isFile()) throw new SizeError(`${label} is not a regular file`);
  if (info.size > SIZE_LIMIT_BYTES)
    throw new SizeError(
      `${label} is ${(info.size / 1024 / 1024).toFixed(1)} MiB, over the ${SIZE_LIMIT_BYTES / 1024 / 1024} MiB limit of the size metrics`,
    );
  const bytes = await readFile(file);
  if (bytes.length > SIZE_LIMIT_BYTES) throw new SizeError(`${label} grew past the size limit while being read`);
  const key = `${createHash('sha256').update(bytes).digest('hex')} ${metrics.join(',')}`;
  const known = memo?.get(key);
  if (known) return known;
  const measured = await measureBytes(bytes, label, metrics);
  memo?.set(key, measured);
  return measured;
}

async function measureBytes(bytes: Buffer, label: string, metrics: readonly string[]): Promise<ModuleSize> {
  let layout: WasmLayout;
  try {
    layout = wasmLayout(bytes);
  } catch (e) {
    if (e instanceof WasmLayoutError) throw new SizeError(`${label}: ${e.message}`);
    throw e;
  }
  const section = (name: string) => layout.sections.find((s) => s.name === name)?.bytes ?? 0;
  const values: Record<string, number> = {};
  if (metrics.includes('size')) values['size'] = bytes.length;
  if (metrics.includes('code-size')) values['code-size'] = section('code');
  if (metrics.includes('data-size')) values['data-size'] = section('data');
  if (metrics.includes('size-gzip')) values['size-gzip'] = (await gzipAsync(bytes, { level: GZIP_LEVEL })).length;
  if (metrics.includes('size-brotli'))
    values['size-brotli'] = (
      await brotliAsync(bytes, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY,
          [constants.BROTLI_PARAM_LGWIN]: 22,
          [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC,
          [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
        },
      })
    ).length;
  return { values, layout };
}

export class SizeError extends Error {}

/** The one sample of a size arm (round 0): sizes are exact, one reading is all there is. */
export function sizeSample(values: Record<string, number>): Sample {
  return { values, exitCode: 0, round: 0 };
}

export function sizeFailure(message: string): RunFailure {
  return { kind: 'load', message, stdoutHead: '', stderrTail: '' };
}
