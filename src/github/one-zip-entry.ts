// The one file of a zipped artifact, read in memory under a byte cap and never written to disk: a fork
// controls the archive, and a few hundred KiB can inflate to gigabytes. The central directory's declared
// size is checked first; inflating stops at the cap whatever was declared (zlib's maxOutputLength).
// The whole archive is already in memory (within the cap), so nothing here waits on a stream.
import { inflateRawSync } from 'node:zlib';
import { formatBytes } from '../model/format.js';

const LOCAL = 0x04034b50;
const CENTRAL = 0x02014b50;
const END = 0x06054b50;

export function isZip(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && Buffer.from(bytes.buffer, bytes.byteOffset, 4).readUInt32LE(0) === LOCAL;
}

/** The single file's bytes, or why not (not one file, more than `maxBytes` unpacked, unreadable). */
export function oneZipEntry(zip: Buffer, maxBytes: number): { bytes?: Buffer; problem?: string } {
  const entry = onlyEntry(zip);
  if (typeof entry === 'string') return { problem: entry };
  if (entry.size > maxBytes) return { problem: `unpacks to ${formatBytes(entry.size)} (declared)` };
  if (zip.length < entry.offset + 30 || zip.readUInt32LE(entry.offset) !== LOCAL) return { problem: 'is damaged' };
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return { bytes: Buffer.from(data) };
  if (entry.method !== 8) return { problem: `uses compression method ${entry.method} (only deflate is read)` };
  try {
    return { bytes: inflateRawSync(data, { maxOutputLength: maxBytes }) };
  } catch (e) {
    const tooBig = (e as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError;
    return { problem: tooBig ? `unpacks to more than ${formatBytes(maxBytes)}` : 'is damaged' };
  }
}

interface Entry {
  method: number;
  compressedSize: number;
  size: number;
  offset: number;
}

/** The central directory's only file entry (directories skipped), or what is wrong. */
function onlyEntry(zip: Buffer): Entry | string {
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (end < 0 || zip.length < end + 22 || zip.readUInt32LE(end) !== END) return 'is damaged (no central directory)';
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const files: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (zip.length < at + 46 || zip.readUInt32LE(at) !== CENTRAL) return 'is damaged (central directory)';
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    if (!name.endsWith('/')) {
      files.push({
        method: zip.readUInt16LE(at + 10),
        compressedSize: zip.readUInt32LE(at + 20),
        size: zip.readUInt32LE(at + 24),
        offset: zip.readUInt32LE(at + 42),
      });
    }
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return files.length === 1 ? files[0]! : `holds ${files.length} files`;
}
