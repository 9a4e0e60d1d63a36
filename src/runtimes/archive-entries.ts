// What an unpacked runtime archive may hold before anything in it is chmod-ed, cached or run: regular files
// and folders, and symlinks between them (WasmEdge's lib64/libwasmedge.so → libwasmedge.so.0). Refused: a
// symlink that leads out of the extraction folder (or nowhere), a hard link to a file outside it, a device,
// FIFO or socket. A sha256 pin says the bytes are the ones someone checked, not that they are harmless.
import { lstatSync, readdirSync, readlinkSync, realpathSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';

/** Why `root` (an extraction folder) may not be used, naming the first bad entry; undefined when it may. */
export function unsafeArchiveEntry(root: string): string | undefined {
  const top = realpathSync(root);
  const inside = (p: string) => p === top || p.startsWith(top + sep);
  // inode → [links seen inside, st_nlink]: a regular file with more links than the tree holds has one outside
  const links = new Map<string, { seen: number; nlink: number; path: string }>();
  const walk = (dir: string): string | undefined => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const rel = relative(root, path);
      const st = lstatSync(path);
      if (st.isDirectory()) {
        const bad = walk(path);
        if (bad) return bad;
      } else if (st.isSymbolicLink()) {
        const target = readlinkSync(path);
        let real: string;
        try {
          real = realpathSync(path);
        } catch {
          return `${rel} is a symlink to ${target}, which does not exist in the archive`;
        }
        if (!inside(real)) return `${rel} is a symlink to ${target}, outside the archive`;
        const to = statSync(real);
        if (!to.isFile() && !to.isDirectory()) return `${rel} is a symlink to ${target}, not a file or folder`;
      } else if (st.isFile()) {
        if (st.nlink > 1) {
          const key = `${st.dev}:${st.ino}`;
          const entry = links.get(key) ?? { seen: 0, nlink: st.nlink, path: rel };
          entry.seen += 1;
          links.set(key, entry);
        }
      } else {
        return `${rel} is ${st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device'}, not a regular file`;
      }
    }
    return undefined;
  };
  const bad = walk(root);
  if (bad) return bad;
  for (const { seen, nlink, path } of links.values()) {
    if (seen < nlink) return `${path} is a hard link to a file outside the archive`;
  }
  return undefined;
}
