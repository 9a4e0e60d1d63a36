// @actions/cache swallows service failures: it logs "Failed to restore/save: <why>" and returns
// a miss (or an id). What it logged is the only way to tell "no baseline yet" from "the cache
// service is down", so we listen to our own stdout while it runs. Output still passes through.

/** Runs `fn` and collects the "Failed to save|restore: …" messages @actions/cache printed meanwhile. */
export async function withCacheFailures<T>(fn: () => Promise<T>): Promise<{ result: T; failures: string[] }> {
  const failures: string[] = [];
  const stdout = process.stdout;
  const original = stdout.write;
  stdout.write = function (this: typeof stdout, chunk: unknown, ...rest: unknown[]) {
    failures.push(
      ...cacheFailures(typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8')),
    );
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as typeof stdout.write;
  try {
    return { result: await fn(), failures };
  } finally {
    stdout.write = original;
  }
}

/** The failure messages in a piece of log output: plain lines (core.info) or workflow commands (warning/error). */
export function cacheFailures(text: string): string[] {
  const found: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const m = /^(?:::(?:warning|error)[^:]*::)?(Failed to (?:save|restore): .*)$/.exec(line);
    if (m?.[1]) found.push(unescapeCommandData(m[1]));
  }
  return found;
}

/** Workflow command data escapes %, CR and LF (@actions/core command.ts). */
function unescapeCommandData(s: string): string {
  return s.replaceAll('%0D', '\r').replaceAll('%0A', '\n').replaceAll('%25', '%');
}
