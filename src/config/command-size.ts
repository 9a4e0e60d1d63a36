// The kernel refuses a command line (argv + environment) over ARG_MAX, about 2 MiB on Linux, and any one
// string over 128 KiB (E2BIG). Config args and env become the runtime's argv, so they are bounded up front.
import { InputError } from '../model/input-error.js';

/** Room left for args + env after the runtime, its flags and the host environment. */
export const COMMAND_LIMIT_BYTES = 512 * 1024;
/** Linux MAX_ARG_STRLEN (including the terminating NUL). */
export const STRING_LIMIT_BYTES = 128 * 1024;

/** Bytes the kernel counts for a list of strings: each string, its NUL, and its pointer. */
function cost(strings: readonly string[]): number {
  return strings.reduce((sum, s) => sum + Buffer.byteLength(s) + 1 + 8, 0);
}

const kib = (n: number) => `${Math.ceil(n / 1024)} KiB`;

/** Throws an InputError naming `where` when args or env could not be passed to a process. */
export function checkCommandSize(args: readonly string[], env: Record<string, string>, where: string): void {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  const fix = 'Pass large inputs through a file instead (`stdin:` or a file in `dir:`).';
  for (const [key, list] of [
    ['args', args],
    ['env', pairs],
  ] as const) {
    const long = list.findIndex((s) => Buffer.byteLength(s) + 1 > STRING_LIMIT_BYTES);
    if (long >= 0) {
      throw new InputError(
        `${where}.${key}`,
        `entry ${long} is ${kib(Buffer.byteLength(list[long]!))}; the kernel refuses any single argument over 128 KiB (E2BIG)`,
        fix,
      );
    }
  }
  const total = cost(args) + cost(pairs);
  if (total > COMMAND_LIMIT_BYTES) {
    const key = cost(args) >= cost(pairs) ? 'args' : 'env';
    throw new InputError(
      `${where}.${key}`,
      `${args.length} args and ${pairs.length} env entries take ${kib(total)}, over the ${kib(COMMAND_LIMIT_BYTES)} a runtime's command line can carry (E2BIG)`,
      fix,
    );
  }
}
