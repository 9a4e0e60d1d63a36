// One runtime download (an archive or a checksum file) with a time limit on the whole transfer: a server
// that accepts the connection and never answers, or trickles, costs at most `download-timeout` per attempt.
// The HTTP client is the one @actions/tool-cache uses (it honours the runner's proxy settings).
// A GET of a release asset is idempotent and the file is written afresh, so a timeout, a refused connection,
// a 5xx, 408 or 429 is retried once; any other 4xx is an answer, not a hiccup, and is not. A size limit is
// kept on the bytes as they arrive (and on a Content-Length that announces more): the stream stops there, the
// partial file is deleted and the error is not retried.
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { mkdir, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { HttpClient, type HttpClientResponse } from '@actions/http-client';
import { formatMs } from '../model/format.js';
import { withRetries, withTimeLimit } from '../process/time-limit.js';

export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 5 * 60_000;
const ATTEMPTS = 2;

export class DownloadError extends Error {
  constructor(
    message: string,
    /** HTTP status of the answer; undefined when none came */
    readonly status?: number,
    readonly timedOut = false,
    /** the size limit that was passed, in bytes */
    readonly overLimit?: number,
  ) {
    super(message);
    this.name = 'DownloadError';
  }
}

/** Downloads `url` to `dest` (replacing it), at most `maxBytes`; throws DownloadError after the last attempt. */
export async function downloadFile(
  url: string,
  dest: string,
  timeoutMs = DEFAULT_DOWNLOAD_TIMEOUT_MS,
  maxBytes = Number.POSITIVE_INFINITY,
): Promise<void> {
  await mkdir(dirname(dest), { recursive: true });
  await withRetries(
    ATTEMPTS,
    async () => {
      try {
        await transfer(url, dest, timeoutMs, maxBytes);
      } catch (e) {
        await rm(dest, { force: true });
        throw asDownloadError(e);
      }
    },
    (error) => (retryable(error as DownloadError) ? 0 : undefined),
  );
}

function retryable(e: DownloadError): boolean {
  if (e.overLimit !== undefined) return false;
  return e.status === undefined || e.status >= 500 || e.status === 408 || e.status === 429;
}

function asDownloadError(e: unknown): DownloadError {
  if (e instanceof DownloadError) return e;
  const message = e instanceof Error ? e.message : String(e);
  // the client's own socket limit (set to the same timeout) reports an idle connection this way
  return new DownloadError(message, undefined, /^Request timeout/.test(message));
}

/** One attempt: headers and body within `timeoutMs`, or the response is destroyed and a timeout thrown. */
async function transfer(url: string, dest: string, timeoutMs: number, maxBytes: number): Promise<void> {
  const client = new HttpClient('wasm-perf-gate', [], { allowRetries: false, socketTimeout: timeoutMs });
  let response: HttpClientResponse | undefined;
  const expired = () => new DownloadError(`no complete answer within ${formatMs(timeoutMs)}`, undefined, true);
  await withTimeLimit(
    timeoutMs,
    (signal) => {
      signal.addEventListener('abort', () => response?.message.destroy(), { once: true });
      return receive();
    },
    expired,
  );

  async function receive(): Promise<void> {
    response = await client.get(url);
    const status = response.message.statusCode ?? 0;
    if (status < 200 || status > 299) {
      response.message.destroy();
      throw new DownloadError(`HTTP ${status}`, status);
    }
    const tooBig = () => new DownloadError(`more than ${formatMiB(maxBytes)}`, status, false, maxBytes);
    const announced = Number(response.message.headers['content-length']);
    if (Number.isFinite(announced) && announced > maxBytes) {
      response.message.destroy();
      throw tooBig();
    }
    let seen = 0;
    const cap = new Transform({
      transform(chunk: Buffer, _encoding, next) {
        seen += chunk.length;
        next(seen > maxBytes ? tooBig() : null, chunk);
      },
    });
    await pipeline(response.message, cap, createWriteStream(dest));
  }
}

function formatMiB(bytes: number): string {
  return `${Math.round(bytes / 2 ** 20)} MiB`;
}
