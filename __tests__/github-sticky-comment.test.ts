// The sticky comment through the real @actions/github client, over HTTP, against the local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pickStickyComment, upsertStickyComment, type StickyCommentInput } from '../src/github/sticky-comment.js';
import { commentMarker } from '../src/report/comment-markdown.js';
import { startGitHubServer, type GitHubServerOptions, type CommentUser } from './helpers/github-server.js';

const MARKER = commentMarker('default');
const HUMAN: CommentUser = { login: 'alice', type: 'User' };
const BOT: CommentUser = { login: 'github-actions[bot]', type: 'Bot' };
const ISSUE = { owner: 'acme', repo: 'widgets', issueNumber: 7 };

/** `count` ordinary comments on the PR, with `special` ones placed at given positions (0-based). */
function thread(count: number, special: Record<number, { body: string; user: CommentUser }> = {}) {
  return Array.from({ length: count }, (_, i) => ({
    ...ISSUE,
    ...(special[i] ?? { body: `comment ${i}`, user: HUMAN }),
  }));
}

async function withServer(
  options: GitHubServerOptions,
  fn: (server: Awaited<ReturnType<typeof startGitHubServer>>, input: StickyCommentInput) => Promise<void>,
) {
  const server = await startGitHubServer({ token: 'test-token', ...options });
  try {
    await fn(server, {
      token: 'test-token',
      ...ISSUE,
      marker: MARKER,
      body: `${MARKER}\n### report v1`,
      apiUrl: server.url,
      policy: { maxRetryWaitMs: 50 },
    });
  } finally {
    await server.close();
  }
}

const summarize = (server: { requests: { method: string; path: string; query: Record<string, string> }[] }) =>
  server.requests.map((r) => `${r.method} ${r.path}${r.query['page'] ? `?page=${r.query['page']}` : ''}`);

test('first run: lists every page, ignores a human quoting the marker, creates the comment', async () => {
  const comments = thread(150, { 3: { body: `> ${MARKER}\n> why is this red?`, user: HUMAN } });
  await withServer({ comments }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'created');
    assert.equal(result.warning, undefined);
    assert.deepEqual(summarize(server), [
      'GET /repos/acme/widgets/issues/7/comments',
      'GET /repos/acme/widgets/issues/7/comments?page=2',
      'POST /repos/acme/widgets/issues/7/comments',
    ]);
    assert.equal(server.requests[0]!.query['per_page'], '100');
    for (const r of server.requests) assert.equal(r.headers.authorization, 'token test-token');
    assert.deepEqual(server.requests[2]!.body, { body: input.body });
    const created = server.comments.find((c) => c.id === result.commentId)!;
    assert.equal(created.body, input.body);
    assert.equal(created.user.type, 'Bot');
    assert.equal(server.comments[3]!.body, `> ${MARKER}\n> why is this red?`, "the human's comment is untouched");
  });
});

test('later run: updates the bot comment on page 2 in place instead of adding another', async () => {
  const comments = thread(150, {
    5: { body: `> ${MARKER}\n> quoted by a human`, user: HUMAN },
    139: { body: `${MARKER}\n### report v0`, user: BOT },
  });
  await withServer({ comments }, async (server, input) => {
    const result = await upsertStickyComment({ ...input, body: `${MARKER}\n### report v2` });
    assert.deepEqual(result, { action: 'updated', commentId: 140 });
    assert.deepEqual(summarize(server), [
      'GET /repos/acme/widgets/issues/7/comments',
      'GET /repos/acme/widgets/issues/7/comments?page=2',
      'PATCH /repos/acme/widgets/issues/comments/140',
    ]);
    assert.equal(server.comments.length, 150, 'no new comment');
    assert.equal(server.comments[139]!.body, `${MARKER}\n### report v2`);
    assert.equal(server.comments[5]!.body, `> ${MARKER}\n> quoted by a human`);
  });
});

test('two runs in a row leave exactly one comment, with the second body', async () => {
  await withServer({ comments: thread(120) }, async (server, input) => {
    const first = await upsertStickyComment(input);
    const second = await upsertStickyComment({ ...input, body: `${MARKER}\n### report v2` });
    assert.equal(first.action, 'created');
    assert.deepEqual(second, { action: 'updated', commentId: first.commentId });
    const ours = server.comments.filter((c) => c.body.includes(MARKER));
    assert.equal(ours.length, 1);
    assert.equal(ours[0]!.body, `${MARKER}\n### report v2`);
  });
});

test('a body without the marker gets it prepended, so the next run can find it', async () => {
  await withServer({}, async (server, input) => {
    await upsertStickyComment({ ...input, body: 'plain body' });
    assert.equal(server.comments[0]!.body, `${MARKER}\nplain body`);
  });
});

test('a read-only token (fork PR): 403 on write becomes a skipped result with a warning, not an exception', async () => {
  const failWrites = { status: 403, message: 'Resource not accessible by integration' };
  await withServer({ comments: thread(3), failWrites }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'skipped');
    assert.equal(
      result.warning,
      'could not post the PR comment (HTTP 403: Resource not accessible by integration): the token is read-only (fork PR?) — ' +
        'grant `pull-requests: write` or use the workflow_run pattern in docs/shards-and-forks.md; the job summary has the full report',
    );
    assert.equal(server.comments.length, 3);
    assert.equal(server.requests.filter((r) => r.method === 'POST').length, 1, 'a plain 403 is not retried');
  });
});

test('404 on listing (PR deleted, or no access) is worded as such, not as a read-only token', async () => {
  await withServer({ failReads: { status: 404, message: 'Not Found' } }, async (_server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'skipped');
    assert.match(
      result.warning!,
      /^could not post the PR comment \(HTTP 404: Not Found\): pull request #7 .*no longer exists/,
    );
    assert.doesNotMatch(result.warning!, /read-only/);
  });
});

const QUICK = { timeoutMs: 300, attempts: 2, maxRetryWaitMs: 50, budgetMs: 5_000 };

test(
  'an API that accepts the connection and never answers: each attempt times out, one retry, then a warning',
  { timeout: 30_000 },
  async () => {
    await withServer({ delayAll: Infinity }, async (server, input) => {
      const started = Date.now();
      const result = await upsertStickyComment({ ...input, policy: QUICK });
      assert.equal(result.action, 'skipped');
      assert.match(
        result.warning!,
        /^could not post the PR comment \(no answer within 300 ms\): the GitHub API did not answer in time/,
      );
      assert.equal(server.requests.length, 2, 'the listing was tried twice, nothing else');
      assert.ok(Date.now() - started >= 2 * QUICK.timeoutMs, 'both attempts waited their full limit');
    });
  },
);

test('a request that hangs once is retried and the comment is still posted', { timeout: 30_000 }, async () => {
  await withServer({ delayNext: [Infinity] }, async (server, input) => {
    const result = await upsertStickyComment({ ...input, policy: QUICK });
    assert.equal(result.action, 'created', result.warning);
    assert.deepEqual(summarize(server), [
      'GET /repos/acme/widgets/issues/7/comments',
      'GET /repos/acme/widgets/issues/7/comments',
      'POST /repos/acme/widgets/issues/7/comments',
    ]);
  });
});

test('a slow answer within the limit is waited for, not retried', { timeout: 30_000 }, async () => {
  await withServer({ delayAll: 100 }, async (server, input) => {
    const result = await upsertStickyComment({ ...input, policy: { ...QUICK, timeoutMs: 5_000 } });
    assert.equal(result.action, 'created', result.warning);
    assert.equal(server.requests.length, 2, 'list, create');
  });
});

test(
  'the shared budget ends the retries: a later request is not started once it is spent',
  { timeout: 30_000 },
  async () => {
    await withServer({ delayAll: Infinity }, async (server, input) => {
      const result = await upsertStickyComment({ ...input, policy: { ...QUICK, attempts: 10, budgetMs: 700 } });
      assert.equal(result.action, 'skipped');
      assert.ok(
        server.requests.length <= 3,
        `${server.requests.length} attempts within a 700 ms budget of 300 ms each`,
      );
    });
  },
);

test('a 5xx is retried once and then succeeds', async () => {
  await withServer({ failNext: [{ status: 502, message: 'Bad Gateway' }] }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'created');
    assert.deepEqual(summarize(server), [
      'GET /repos/acme/widgets/issues/7/comments',
      'GET /repos/acme/widgets/issues/7/comments',
      'POST /repos/acme/widgets/issues/7/comments',
    ]);
  });
});

// An uncapped wait would honour retry-after: 60 and hit the test's timeout.
test('a secondary rate limit is retried after retry-after, capped small', { timeout: 30_000 }, async () => {
  const limited = {
    status: 403,
    message: 'You have exceeded a secondary rate limit',
    headers: { 'retry-after': '60' },
  };
  await withServer({ failNext: [limited] }, async (server, input) => {
    const started = Date.now();
    const result = await upsertStickyComment(input);
    const elapsed = Date.now() - started;
    assert.equal(result.action, 'created');
    assert.equal(server.requests.length, 3, 'list, list again, create');
    assert.ok(elapsed >= 40, `waited ${elapsed} ms`);
  });
});

test('a persistent server error is retried once, then skipped with a warning', async () => {
  const down = { status: 503, message: 'Service Unavailable' };
  await withServer({ failNext: [down, down, down] }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'skipped');
    assert.equal(
      result.warning,
      'could not post the PR comment (HTTP 503: Service Unavailable); the job summary has the full report',
    );
    assert.equal(server.requests.length, 2);
  });
});

test("with a personal token, the token's own (human) comment is found through GET /user", async () => {
  const comments = thread(4, { 2: { body: `${MARKER}\nold`, user: HUMAN } });
  await withServer({ comments, viewer: HUMAN, author: HUMAN }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.deepEqual(result, { action: 'updated', commentId: 3 });
    assert.ok(server.requests.some((r) => r.method === 'GET' && r.path === '/user'));
  });
  // the same thread with GITHUB_TOKEN (GET /user → 403): a human's marked comment is never taken over
  await withServer({ comments }, async (server, input) => {
    const result = await upsertStickyComment(input);
    assert.equal(result.action, 'created');
    assert.equal(server.comments[2]!.body, `${MARKER}\nold`);
  });
});

test('no token: skipped with a warning, no request made', async () => {
  await withServer({}, async (server, input) => {
    const result = await upsertStickyComment({ ...input, token: '' });
    assert.equal(result.action, 'skipped');
    assert.match(result.warning!, /no GitHub token/);
    assert.equal(server.requests.length, 0);
  });
});

test('pickStickyComment prefers a bot comment that starts with the marker', () => {
  const comments = [
    { id: 1, body: `quoting ${MARKER}`, user: BOT },
    { id: 2, body: `${MARKER}\nreal`, user: HUMAN },
    { id: 3, body: `${MARKER}\nreal`, user: BOT },
    { id: 4, body: `${MARKER}\nduplicate`, user: BOT },
    { id: 5, body: null, user: BOT },
  ];
  assert.equal(pickStickyComment(comments, MARKER)?.id, 3);
  assert.equal(pickStickyComment(comments.slice(0, 2), MARKER)?.id, 1);
  assert.equal(pickStickyComment([comments[1]!], MARKER), undefined);
  assert.equal(pickStickyComment([comments[1]!], MARKER, 'alice')?.id, 2);
});
