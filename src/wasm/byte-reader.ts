// The byte and LEB128 reading the module walkers share (wasm-sections.ts reads a module's layout,
// instruction-walk.ts walks and rewrites its code): each subclass says how a failure is thrown, so each walker
// keeps its own error type, and every message names the module and the byte offset.

/** A cursor over `bytes[at, end)`; every read past `end` fails through the subclass's `fail`. */
export abstract class ByteReader {
  constructor(
    readonly bytes: Uint8Array,
    public at: number,
    readonly end: number,
    /** names the module (or the part of it) in errors */
    readonly what: string,
  ) {}

  /** Throws the walker's error for `message` at byte offset `at` (default: where the reader stands). */
  abstract fail(message: string, at?: number): never;

  left(): number {
    return this.end - this.at;
  }

  byte(): number {
    if (this.at >= this.end) this.fail('the bytes end early');
    return this.bytes[this.at++]!;
  }

  /** An unsigned LEB128 of at most `maxBytes` bytes (5 for u32, 10 for u64); past 2^53 the value is not exact. */
  uleb(maxBytes = 5): number {
    const start = this.at;
    let value = 0;
    for (let i = 0; i < maxBytes; i++) {
      const b = this.byte();
      value += (b & 0x7f) * 2 ** (7 * i);
      if ((b & 0x80) === 0) return value;
    }
    return this.fail(`an integer runs past ${maxBytes} bytes`, start);
  }

  /** A signed LEB128: only its length matters to the walkers. */
  sleb(maxBytes: number): void {
    this.uleb(maxBytes);
  }

  skip(n: number): void {
    if (n > this.left()) this.fail(`${n} bytes announced, ${this.left()} left`);
    this.at += n;
  }
}
