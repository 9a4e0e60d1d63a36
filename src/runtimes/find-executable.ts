// Looks an executable up like `which` (@actions/io), for the optional helpers (hyperfine, taskset, perf).
import { which } from '@actions/io';
import { isAbsolute, resolve } from 'node:path';

/** Absolute path of `name` (a command on PATH, or a path to an executable file), or undefined. */
export async function findExecutable(name: string): Promise<string | undefined> {
  // io.which searches PATH only for bare names and returns '' for a relative path: make such a path absolute.
  const tool = name.includes('/') || name.includes('\\') ? (isAbsolute(name) ? name : resolve(name)) : name;
  return (await which(tool, false)) || undefined;
}
