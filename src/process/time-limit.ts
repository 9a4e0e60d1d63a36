// The one time-limit-and-retry helper of every network and git step (runtime and artifact downloads, the GitHub
// API, the Actions cache, git): a limit that aborts a signal and rejects with the caller's own error, and a
// bounded retry whose caller decides what is worth retrying and how long to wait. Each caller keeps its own
// attempts, waits and error messages; this file holds only the mechanics, which each used to have its own copy of.

/** A running time limit: `signal` aborts with `expired()` once `ms` have passed, unless `clear()` came first. */
export interface TimeLimit {
  signal: AbortSignal;
  clear(): void;
}

export function timeLimit(ms: number, expired: () => Error): TimeLimit {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(expired()), ms);
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

/**
 * `work(signal)`, or a rejection with `expired()` once `ms` have passed: the signal aborts then, so the work
 * can stop what it started (a request, a response stream). A work that fails after the limit passed fails
 * with the limit's error, whatever its own.
 */
export async function withTimeLimit<T>(
  ms: number,
  work: (signal: AbortSignal) => Promise<T>,
  expired: () => Error,
): Promise<T> {
  const limit = timeLimit(ms, expired);
  const running = work(limit.signal);
  const lost = new Promise<never>((_, reject) => {
    limit.signal.addEventListener('abort', () => reject(limit.signal.reason as Error), { once: true });
  });
  try {
    return await Promise.race([running, lost]);
  } catch (error) {
    throw limit.signal.aborted ? (limit.signal.reason as Error) : error;
  } finally {
    limit.clear();
    running.catch(() => undefined); // the loser of the race may still reject once its work is stopped
    lost.catch(() => undefined);
  }
}

/**
 * `run(attempt)` up to `attempts` times (the first included). After a failure, `waitMs(error, attempt)` says
 * how long to wait before the next attempt, or undefined when retrying cannot help: the error is thrown then,
 * as it is after the last attempt.
 */
export async function withRetries<T>(
  attempts: number,
  run: (attempt: number) => Promise<T>,
  waitMs: (error: unknown, attempt: number) => number | undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      const wait = attempt < attempts ? waitMs(error, attempt) : undefined;
      if (wait === undefined) throw error;
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }
}
