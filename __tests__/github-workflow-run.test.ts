// Whether a report job may turn its shards' figures into the baseline comes from the trusted event alone:
// only runs of the default branch's own code (push, schedule, manual) of this repository may.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { reportTarget } from '../src/github/workflow-run.js';

const api = { token: 't', owner: 'octo', repo: 'demo' };
const sha = 'b'.repeat(40);

function workflowRun(event: string, headRepository: string) {
  return {
    eventName: 'workflow_run',
    payload: {
      workflow_run: {
        id: 42,
        event,
        head_sha: sha,
        head_branch: 'main',
        head_repository: { full_name: headRepository, owner: { login: headRepository.split('/')[0] } },
        pull_requests: [{ number: 7, head: { sha } }],
      },
    },
  };
}

test('a pull_request run never refreshes; push, schedule and manual runs of this repository do', async () => {
  const pr = { eventName: 'pull_request', payload: { pull_request: { number: 7, head: { sha } } } };
  assert.equal((await reportTarget(pr, api)).mayRefresh, false);
  for (const eventName of ['push', 'schedule', 'workflow_dispatch'])
    assert.equal((await reportTarget({ eventName, payload: {} }, api)).mayRefresh, true, eventName);
  assert.equal((await reportTarget({ eventName: 'merge_group', payload: {} }, api)).mayRefresh, false);
});

test('workflow_run: only a push of this repository may refresh; a PR run or a fork head never', async () => {
  const own = await reportTarget(workflowRun('push', 'octo/demo'), api);
  assert.deepEqual([own.mayRefresh, own.remoteRunId, own.headSha], [true, 42, sha]);
  assert.equal((await reportTarget(workflowRun('push', 'stranger/demo'), api)).mayRefresh, false);
  const prRun = await reportTarget(workflowRun('pull_request', 'octo/demo'), api);
  assert.deepEqual([prRun.mayRefresh, prRun.number], [false, 7]);
});
