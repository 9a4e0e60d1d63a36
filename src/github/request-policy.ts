// Every GitHub API request made through an Octokit client gets a time limit and a bounded retry, and
// all of a client's requests share one budget: an API that accepts the connection and never answers
// costs at most `budgetMs`, never the runner's ten-minute socket wait.
import type { getOctokit } from '@actions/github';
import { withRetries, withTimeLimit } from '../process/time-limit.js';

type Octokit = ReturnType<typeof getOctokit>;

export interface RequestPolicy {
  /** one request (headers and body) must finish within this */
  timeoutMs: number;
  /** attempts per request, the first included */
  attempts: number;
  /** upper bound for one wait before a retry (retry-after, rate-limit reset) */
  maxRetryWaitMs: number;
  /** all requests of the client together, waits included */
  budgetMs: number;
}

export const DEFAULT_POLICY: RequestPolicy = {
  timeoutMs: 10_000,
  attempts: 2,
  maxRetryWaitMs: 5_000,
  budgetMs: 45_000,
};

const DEFAULT_RETRY_WAIT_MS = 1_000;

/** What went wrong with a request, read structurally from Octokit's RequestError or our timeout. */
export interface HttpFailure {
  /** HTTP status; undefined when no answer came (timeout, refused connection) */
  status?: number;
  message: string;
  headers: Record<string, string | number | undefined>;
  timedOut?: boolean;
}

/** Thrown when a request got no (complete) answer in time. */
export class RequestTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`no answer within ${formatSeconds(timeoutMs)}`);
    this.name = 'RequestTimeoutError';
  }
}

function formatSeconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 100) / 10} s` : `${ms} ms`;
}

/**
 * The failure behind `error`, or undefined for anything that is not an HTTP problem (a bug). Octokit
 * reports a connection that failed as status 500 without a response; that is "no answer", not a 500.
 */
export function httpFailure(error: unknown): HttpFailure | undefined {
  if (error instanceof RequestTimeoutError) return { message: error.message, headers: {}, timedOut: true };
  if (!(error instanceof Error) || typeof (error as { status?: unknown }).status !== 'number') return undefined;
  const { status, response } = error as Error & {
    status: number;
    response?: { headers?: Record<string, string | number | undefined>; data?: unknown };
  };
  const data = response?.data as { message?: unknown } | undefined;
  const message = (typeof data?.message === 'string' ? data.message : error.message).split('\n')[0]!.slice(0, 200);
  return { status: response ? status : undefined, message, headers: response?.headers ?? {} };
}

export function isRateLimited(f: HttpFailure): boolean {
  if (f.status === 429) return true;
  return (
    f.status === 403 &&
    (f.headers['retry-after'] !== undefined ||
      String(f.headers['x-ratelimit-remaining']) === '0' ||
      /rate limit/i.test(f.message))
  );
}

/** How long to wait before a retry, or undefined when retrying cannot help (4xx other than rate limits). */
export function retryWaitMs(error: unknown, maxWaitMs: number, now = Date.now()): number | undefined {
  const f = httpFailure(error);
  if (!f) return undefined;
  if (f.timedOut) return 0; // the time limit already waited
  if (f.status !== undefined && !(f.status >= 500 || isRateLimited(f))) return undefined;
  const retryAfter = Number(f.headers['retry-after']);
  const reset = Number(f.headers['x-ratelimit-reset']);
  const wait =
    Number.isFinite(retryAfter) && f.headers['retry-after'] !== undefined
      ? retryAfter * 1000
      : Number.isFinite(reset) && f.headers['x-ratelimit-reset'] !== undefined
        ? reset * 1000 - now
        : DEFAULT_RETRY_WAIT_MS;
  return Math.min(Math.max(0, wait), maxWaitMs);
}

/** Wraps every request of `octokit`: a time limit per attempt, retries while the shared budget lasts. */
export function applyRequestPolicy(octokit: Octokit, policy: RequestPolicy): void {
  const deadline = Date.now() + policy.budgetMs;
  octokit.hook.wrap('request', (request, options) =>
    withRetries(
      policy.attempts,
      () => {
        const left = deadline - Date.now();
        if (left <= 0) throw new RequestTimeoutError(policy.budgetMs);
        const limit = Math.min(policy.timeoutMs, left);
        // Inner hooks (auth) were bound to this very `options` object: the signal must go on it, not on a copy.
        return withTimeLimit(
          limit,
          async (signal) => {
            options.request = { ...options.request, signal };
            return request(options);
          },
          () => new RequestTimeoutError(limit),
        );
      },
      (error) => {
        const wait = retryWaitMs(error, policy.maxRetryWaitMs);
        return wait === undefined || Date.now() + wait >= deadline ? undefined : wait;
      },
    ),
  );
}

/** The policy with `timeoutMs` (and a budget scaled to it) taken from a duration in ms, when given. */
export function policyWithTimeout(timeoutMs: number | undefined): RequestPolicy {
  if (timeoutMs === undefined) return DEFAULT_POLICY;
  return { ...DEFAULT_POLICY, timeoutMs, budgetMs: Math.max(timeoutMs * 4, timeoutMs * 2 + 2_000) };
}
