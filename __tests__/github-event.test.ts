import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultModeForEvent, jobSummaryUrl, pullRequestInfo } from '../src/config/event.js';

function prPayload(headRepo: string | null, baseRepo = 'acme/widgets') {
  return {
    number: 17,
    pull_request: {
      number: 17,
      head: { sha: 'a'.repeat(40), ref: 'feature', repo: headRepo === null ? null : { full_name: headRepo } },
      base: { sha: 'b'.repeat(40), ref: 'main', repo: { full_name: baseRepo } },
    },
    repository: { full_name: baseRepo },
  };
}

test('a pull request from the same repository is not a fork', () => {
  assert.deepEqual(pullRequestInfo({ eventName: 'pull_request', payload: prPayload('acme/widgets') }), {
    number: 17,
    headSha: 'a'.repeat(40),
    baseRef: 'main',
    isFork: false,
  });
});

test('a pull request from another repository (or a deleted fork) is a fork', () => {
  assert.equal(pullRequestInfo({ eventName: 'pull_request', payload: prPayload('mallory/widgets') })?.isFork, true);
  assert.equal(
    pullRequestInfo({ eventName: 'pull_request_target', payload: prPayload('mallory/widgets') })?.isFork,
    true,
  );
  assert.equal(pullRequestInfo({ eventName: 'pull_request', payload: prPayload(null) })?.isFork, true);
});

test('base repo falls back to payload.repository when base.repo is absent', () => {
  const payload = prPayload('acme/widgets');
  delete (payload.pull_request.base as { repo?: unknown }).repo;
  assert.equal(pullRequestInfo({ eventName: 'pull_request', payload })?.isFork, false);
});

test('other events and malformed payloads have no pull request', () => {
  assert.equal(pullRequestInfo({ eventName: 'push', payload: prPayload('acme/widgets') }), undefined);
  assert.equal(pullRequestInfo({ eventName: 'pull_request', payload: {} }), undefined);
  assert.equal(pullRequestInfo({ eventName: 'pull_request', payload: { pull_request: { number: '17' } } }), undefined);
});

test('the default mode follows the event; unknown events never save a baseline', () => {
  const expected: Record<string, 'compare' | 'baseline'> = {
    pull_request: 'compare',
    pull_request_target: 'compare',
    push: 'baseline',
    schedule: 'baseline',
    workflow_dispatch: 'baseline',
    workflow_run: 'compare',
    merge_group: 'compare',
  };
  for (const [event, mode] of Object.entries(expected)) assert.equal(defaultModeForEvent(event), mode, event);
});

test('jobSummaryUrl points at the run (and attempt)', () => {
  assert.equal(
    jobSummaryUrl({ serverUrl: 'https://github.com/', owner: 'acme', repo: 'widgets', runId: 42, runAttempt: 2 }),
    'https://github.com/acme/widgets/actions/runs/42/attempts/2',
  );
  assert.equal(
    jobSummaryUrl({ serverUrl: 'https://ghe.test', owner: 'a', repo: 'b', runId: 1, runAttempt: Number.NaN }),
    'https://ghe.test/a/b/actions/runs/1',
  );
});
