// The one time-limit-and-retry helper (process/time-limit.ts) that downloads, the GitHub API, the Actions cache
// and git share. Limits are short and the slow work is 20x or more slower than them, so a busy machine cannot
// turn a pass into a fail; the fault tests (faults/bounds-downloads, platform-api, platform-cache,
// history-branch-push) check each caller's own messages against real local servers.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeLimit, withRetries, withTimeLimit } from '../src/process/time-limit.js';

const never = () => new Promise<never>(() => undefined);

test('withTimeLimit: work that finishes in time gives its value and leaves the signal unaborted', async () => {
  let seen: AbortSignal | undefined;
  const value = await withTimeLimit(
    5_000,
    async (signal) => {
      seen = signal;
      return 42;
    },
    () => new Error('late'),
  );
  assert.equal(value, 42);
  assert.equal(seen?.aborted, false);
});

test("withTimeLimit: work that never answers is rejected with the caller's error, and its signal aborts", async () => {
  let seen: AbortSignal | undefined;
  class Late extends Error {}
  await assert.rejects(
    withTimeLimit(
      50,
      (signal) => {
        seen = signal;
        return never();
      },
      () => new Late('no answer within 50 ms'),
    ),
    (e: unknown) => e instanceof Late && e.message === 'no answer within 50 ms',
  );
  assert.equal(seen?.aborted, true);
  assert.ok(seen?.reason instanceof Late);
});

test("withTimeLimit: the work's own failure in time is passed on unchanged", async () => {
  const own = new Error('HTTP 404');
  await assert.rejects(
    withTimeLimit(
      5_000,
      () => Promise.reject(own),
      () => new Error('late'),
    ),
    (e: unknown) => e === own,
  );
});

test("withTimeLimit: a failure the abort itself caused is reported as the limit's error", async () => {
  await assert.rejects(
    withTimeLimit(
      50,
      (signal) =>
        new Promise<never>((_, reject) =>
          signal.addEventListener('abort', () => reject(new Error('socket destroyed')), { once: true }),
        ),
      () => new Error('limit passed'),
    ),
    /limit passed/,
  );
});

test('timeLimit: clear() before the limit keeps the signal unaborted', async () => {
  const limit = timeLimit(30, () => new Error('late'));
  limit.clear();
  await new Promise((r) => setTimeout(r, 100));
  assert.equal(limit.signal.aborted, false);
});

test('withRetries: retries while waitMs says so, up to the attempts, and returns the first success', async () => {
  const tried: number[] = [];
  const value = await withRetries(
    3,
    async (attempt) => {
      tried.push(attempt);
      if (attempt < 3) throw new Error(`fail ${attempt}`);
      return 'ok';
    },
    () => 0,
  );
  assert.equal(value, 'ok');
  assert.deepEqual(tried, [1, 2, 3]);
});

test('withRetries: after the last attempt the last error is thrown', async () => {
  let calls = 0;
  await assert.rejects(
    withRetries(
      2,
      async (attempt) => {
        calls++;
        throw new Error(`fail ${attempt}`);
      },
      () => 0,
    ),
    /fail 2/,
  );
  assert.equal(calls, 2);
});

test('withRetries: undefined from waitMs ends at once with that error (a 404 is an answer, not a hiccup)', async () => {
  const asked: Array<[string, number]> = [];
  let calls = 0;
  await assert.rejects(
    withRetries(
      5,
      async () => {
        calls++;
        throw new Error('HTTP 404');
      },
      (e, attempt) => (asked.push([(e as Error).message, attempt]), undefined),
    ),
    /HTTP 404/,
  );
  assert.equal(calls, 1);
  assert.deepEqual(asked, [['HTTP 404', 1]]);
});

test('withRetries: waits the time waitMs gives before the next attempt', async () => {
  const started: number[] = [];
  await withRetries(
    2,
    async (attempt) => {
      started.push(Date.now());
      if (attempt === 1) throw new Error('503');
    },
    () => 60,
  );
  assert.equal(started.length, 2);
  assert.ok(started[1]! - started[0]! >= 55, `waited ${started[1]! - started[0]!} ms, asked for 60`);
});

test('withRetries: a synchronous throw in run counts as a failed attempt', async () => {
  let calls = 0;
  const value = await withRetries(
    2,
    (attempt) => {
      calls++;
      if (attempt === 1) throw new Error('budget');
      return Promise.resolve('second');
    },
    () => 0,
  );
  assert.equal(value, 'second');
  assert.equal(calls, 2);
});
