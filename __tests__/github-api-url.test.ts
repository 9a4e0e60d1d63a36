// Without an explicit apiUrl the client must follow GITHUB_API_URL, as on GitHub Enterprise Server.
// @actions/github reads it when first imported, so this file imports the module only after setting it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startGitHubServer } from './helpers/github-server.js';

test('upsertStickyComment talks to GITHUB_API_URL when no apiUrl is given', async () => {
  const server = await startGitHubServer({ token: 'ghs_env' });
  process.env['GITHUB_API_URL'] = server.url;
  try {
    const { upsertStickyComment } = await import('../src/github/sticky-comment.js');
    const result = await upsertStickyComment({
      token: 'ghs_env',
      owner: 'acme',
      repo: 'widgets',
      issueNumber: 3,
      marker: '<!-- wasm-perf-gate:env -->',
      body: '<!-- wasm-perf-gate:env -->\nhi',
    });
    assert.equal(result.action, 'created');
    assert.equal(server.comments.length, 1);
    assert.equal(server.requests[0]!.headers.authorization, 'token ghs_env');
  } finally {
    delete process.env['GITHUB_API_URL'];
    await server.close();
  }
});
