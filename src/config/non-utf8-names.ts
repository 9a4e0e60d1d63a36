// @actions/glob reads directory entries as UTF-8 strings: a name that is not UTF-8 comes back with U+FFFD in
// it, names no file, and is dropped without a word. This walk reads the same directories as bytes, to name
// (escaped) every such file the patterns would have matched, so a module is never skipped silently.
import { isUtf8 } from 'node:buffer';
import { readdir } from 'node:fs/promises';
import { Minimatch } from 'minimatch';

/** Entries read at most, so a huge tree costs a bounded walk (the glob itself already walked it once). */
const MAX_ENTRIES = 200_000;

// The options @actions/glob gives minimatch, so both agree on what a pattern matches.
const OPTIONS = { dot: true, nobrace: true, nocomment: true, noext: true, nonegate: true };

/** Files under `roots` whose path is not UTF-8 and that the rooted `patterns` match once decoded: escaped, relative to `base`. */
export async function nonUtf8Matches(
  roots: readonly string[],
  patterns: readonly string[],
  base: string,
): Promise<string[]> {
  if (process.platform === 'win32') return []; // names are UTF-16 there: node reads every one
  const prefix = Buffer.from(`${base.replace(/\/+$/, '')}/`);
  const rules = patterns.map((p) => ({
    negate: p.startsWith('!'),
    mm: new Minimatch(p.startsWith('!') ? p.slice(1) : p, OPTIONS),
  }));
  const positive = rules.filter((r) => !r.negate);
  const matches = (path: string) => rules.reduce((hit, r) => (r.mm.match(path) ? !r.negate : hit), false);
  const found: string[] = [];
  const stack = roots.map((r) => Buffer.from(r));
  let seen = 0;
  while (stack.length > 0 && seen < MAX_ENTRIES) {
    const dir = stack.pop()!;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue; // not a directory, or unreadable: the glob saw nothing there either
    }
    for (const entry of entries) {
      seen += 1;
      const path = Buffer.concat([dir, Buffer.from('/'), entry.name as Buffer]);
      const decoded = path.toString('utf8');
      if (entry.isDirectory()) {
        if (positive.some((r) => r.mm.match(decoded, true))) stack.push(path);
      } else if (!isUtf8(path) && matches(decoded))
        found.push(escapeBytes(startsWith(path, prefix) ? path.subarray(prefix.length) : path));
    }
  }
  return found.sort();
}

const startsWith = (b: Buffer, prefix: Buffer) => b.subarray(0, prefix.length).equals(prefix);

/** The path with every byte outside printable ASCII shown as \xNN: unambiguous, and safe in any log line. */
export function escapeBytes(path: Buffer): string {
  return [...path]
    .map((b) =>
      b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).padStart(2, '0')}`,
    )
    .join('');
}
