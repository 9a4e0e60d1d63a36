// Change-point tracking issues through the real @actions/github client, over HTTP, against the local server.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CHANGE_POINT_LABEL, changePointMarker, upsertChangePointIssues } from '../src/github/change-point-issues.js';
import type { ChangePoint } from '../src/history/change-points.js';
import { startGitHubServer } from './helpers/github-server.js';

const CP: ChangePoint = {
  benchmark: 'nbody <script>',
  fromCommit: '1'.repeat(40),
  commit: '2'.repeat(40),
  date: '2026-01-07T00:00:00.000Z',
  cells: [
    {
      runtime: 'node',
      metric: 'wall',
      ratio: 1.081,
      interval: [1.06, 1.1],
      pValue: 0.002,
      before: { median: 100, points: 6 },
      after: { median: 108.1, points: 6 },
    },
  ],
};
const OTHER: ChangePoint = { ...CP, benchmark: 'fib', commit: '3'.repeat(40) };
const REPO = { owner: 'acme', repo: 'widgets' };

test('one issue per change point: created once, updated on the next refresh, never duplicated', async () => {
  const server = await startGitHubServer({
    token: 't',
    issues: [
      // a human's issue quoting nothing, and a pull request: both ignored
      { ...REPO, title: 'slow', body: 'it is slow', state: 'open', labels: [], user: { login: 'al', type: 'User' } },
      {
        ...REPO,
        title: 'PR',
        body: '',
        state: 'open',
        labels: [CHANGE_POINT_LABEL],
        user: { login: 'al', type: 'User' },
        pullRequest: true,
      },
    ],
  });
  try {
    const input = { token: 't', ...REPO, baselineKey: 'wpg', apiUrl: server.url };
    const first = await upsertChangePointIssues({ ...input, changePoints: [CP] });
    assert.deepEqual(first, [{ action: 'created', number: 3 }]);
    const created = server.issues[2]!;
    assert.deepEqual(created.labels, [CHANGE_POINT_LABEL]);
    assert.ok(created.body.startsWith(changePointMarker('wpg', CP)), created.body);
    assert.match(created.title, /^Performance change in nbody <script>: \+8\.1% wall on node at 1111111\.\.2222222$/);
    assert.match(created.body, /\*\*nbody &lt;script&gt;\*\*/, 'names are escaped in the Markdown body');
    assert.match(created.body, /\+8\.1% \\\[\+6\.0%, \+10\.0%\\\]/);

    created.state = 'closed'; // a maintainer closed it; the next refresh still finds it
    const second = await upsertChangePointIssues({ ...input, changePoints: [CP, OTHER] });
    assert.deepEqual(second, [
      { action: 'updated', number: 3 },
      { action: 'created', number: 4 },
    ]);
    assert.equal(server.issues.length, 4, 'no duplicate issue');
    const lists = server.requests.filter((r) => r.method === 'GET');
    assert.ok(lists.every((r) => r.query['state'] === 'all' && r.query['labels'] === CHANGE_POINT_LABEL));
  } finally {
    await server.close();
  }
});

test('a read-only token gives one actionable warning, not a failure', async () => {
  const server = await startGitHubServer({
    failWrites: { status: 403, message: 'Resource not accessible by integration' },
  });
  try {
    const out = await upsertChangePointIssues({
      token: 't',
      ...REPO,
      baselineKey: 'k',
      changePoints: [CP],
      apiUrl: server.url,
    });
    assert.equal(out.length, 1);
    assert.equal(out[0]!.action, 'skipped');
    assert.match(
      out[0]!.warning ?? '',
      /HTTP 403: Resource not accessible by integration\): grant the workflow `issues: write`/,
    );
  } finally {
    await server.close();
  }
});

test("a person's labelled issue quoting the marker is left as it is; the change point gets an issue of its own", async () => {
  const marker = changePointMarker('wpg', CP);
  const human = `${marker}\nI copied this from the bot's issue: my own notes, keep them`;
  const server = await startGitHubServer({
    issues: [
      {
        ...REPO,
        title: 'my notes',
        body: human,
        state: 'open',
        labels: [CHANGE_POINT_LABEL],
        user: { login: 'al', type: 'User' },
      },
    ],
  });
  try {
    const input = { token: 't', ...REPO, baselineKey: 'wpg', apiUrl: server.url };
    const first = await upsertChangePointIssues({ ...input, changePoints: [CP] });
    assert.deepEqual(first, [{ action: 'created', number: 2 }], "the person's issue is not taken for the action's");
    assert.equal(server.issues[0]!.body, human, "the person's issue body is unchanged");
    assert.equal(server.issues[0]!.title, 'my notes');
    assert.equal(server.requests.filter((r) => r.method === 'PATCH').length, 0, 'no edit of any issue');
    // the next refresh finds the action's own issue and updates that one
    const second = await upsertChangePointIssues({ ...input, changePoints: [CP] });
    assert.deepEqual(second, [{ action: 'updated', number: 2 }]);
    assert.equal(server.issues[0]!.body, human);
  } finally {
    await server.close();
  }
});

test('bidi controls and line breaks in a benchmark name are made visible in the issue title, as in the body', async () => {
  const server = await startGitHubServer({});
  try {
    const evil: ChangePoint = { ...CP, benchmark: 'fib\u202Egnp.exe\nsecond line' };
    await upsertChangePointIssues({ token: 't', ...REPO, baselineKey: 'k', changePoints: [evil], apiUrl: server.url });
    const { title, body } = server.issues[0]!;
    assert.ok(
      !/[\u202A-\u202E\u2066-\u2069\n]/.test(title),
      `no raw bidi control or line break in ${JSON.stringify(title)}`,
    );
    assert.match(title, /^Performance change in fib<U\+202E>gnp\.exe second line: /);
    assert.match(body, /&lt;U\+202E&gt;/, 'the body shows the same code point');
  } finally {
    await server.close();
  }
});
