// A zip archive with one highly compressible entry (zeros), built here so the test needs no zip tool:
// ~0.1% of its unpacked size. `deferSize` writes the sizes only in a trailing data descriptor (flag bit 3),
// as streaming zippers do, so a reader cannot learn the size before inflating.
import { crc32, deflateRawSync } from 'node:zlib';

export function zipBomb(name: string, unpackedBytes: number, deferSize = false): Buffer {
  const plain = Buffer.alloc(unpackedBytes);
  const data = deflateRawSync(plain, { level: 9 });
  const crc = crc32(plain);
  const file = Buffer.from(name, 'utf8');
  const sizes = (b: Buffer, at: number, known: boolean) => {
    b.writeUInt32LE(known ? crc : 0, at);
    b.writeUInt32LE(known ? data.length : 0, at + 4);
    b.writeUInt32LE(known ? unpackedBytes : 0, at + 8);
  };
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(deferSize ? 0x08 : 0, 6);
  local.writeUInt16LE(8, 8); // deflate
  sizes(local, 14, !deferSize);
  local.writeUInt16LE(file.length, 26);
  const descriptor = Buffer.alloc(deferSize ? 16 : 0);
  if (deferSize) {
    descriptor.writeUInt32LE(0x08074b50, 0);
    sizes(descriptor, 4, true);
  }
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(deferSize ? 0x08 : 0, 8);
  central.writeUInt16LE(8, 10);
  sizes(central, 16, true);
  central.writeUInt16LE(file.length, 28);
  const body = Buffer.concat([local, file, data, descriptor]);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + file.length, 12);
  end.writeUInt32LE(body.length, 16);
  return Buffer.concat([body, central, file, end]);
}
