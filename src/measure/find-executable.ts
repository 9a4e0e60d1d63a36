// Looks an executable up on a PATH string, like `which`. Used for the optional helpers (hyperfine, taskset).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** Absolute path of `name` on `pathVar` (default: this process's PATH), or undefined. */
export function findExecutable(name: string, pathVar: string | undefined = process.env['PATH']): string | undefined {
  if (name.includes('/')) return isExecutableFile(name) ? name : undefined;
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const candidate = join(dir, name + ext);
      if (isExecutableFile(candidate)) return candidate;
    }
  }
  return undefined;
}
