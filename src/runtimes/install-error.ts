// What every install step throws: the runtime, the problem, the URL and the fix, in one sentence.

/** An install problem: names the runtime, the URL, and what to do. */
export class RuntimeInstallError extends Error {
  constructor(
    readonly runtime: string,
    problem: string,
    readonly url: string | undefined,
    readonly fix: string,
  ) {
    super(`${runtime}: ${problem}${url === undefined ? '' : ` (${url})`}. ${fix}`);
    this.name = 'RuntimeInstallError';
  }
}

export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
