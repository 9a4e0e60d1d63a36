// The world a sharded e2e test runs in: a local Actions cache, artifact store and GitHub API, a workspace
// with build/NAME.wasm, and one RUNNER_TEMP path emptied per job (hosted runners all keep it at one path).
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startArtifactServer, type ArtifactServer } from './artifact-server.js';
import { startCacheServer, type CacheServer } from './cache-server.js';
import { startGitHubServer, type GitHubServer } from './github-server.js';
import { pullRequestPayload, pushPayload, runAction, scratchDir, type ActionRun } from './run-action.js';

export interface ShardWorld {
  cache: CacheServer;
  store: ArtifactServer;
  gh: GitHubServer;
  ws: string;
  /** One job of workflow run `runId`: dist/index.js with the shared servers, `env` on top (e.g. RUNNER_OS). */
  job(
    runId: string,
    jobId: string,
    event: 'push' | 'pull_request',
    inputs: Record<string, string>,
    env?: Record<string, string>,
    workspace?: string,
  ): Promise<ActionRun>;
  close(): Promise<void>;
}

export async function startShardWorld(names: readonly string[], wsPrefix: string): Promise<ShardWorld> {
  const cache = await startCacheServer();
  const store = await startArtifactServer();
  const gh = await startGitHubServer({ artifacts: store });
  const ws = scratchDir(wsPrefix);
  const runnerTemp = scratchDir('runner-temp-');
  mkdirSync(join(ws, 'build'));
  for (const n of names) copyFileSync('examples/wasm/add-one.wasm', join(ws, `build/${n}.wasm`));
  return {
    cache,
    store,
    gh,
    ws,
    job(runId, jobId, event, inputs, env = {}, workspace = ws) {
      rmSync(runnerTemp, { recursive: true, force: true });
      mkdirSync(runnerTemp);
      return runAction({
        workspace,
        // alpha 0.001: A/A shards must not alarm by design on a busy CI (see gateInputs in run-action.ts)
        inputs: { 'github-token': 'ghs_test_token', 'min-runs': '5', 'max-runs': '8', alpha: '0.001', ...inputs },
        eventName: event,
        payload: event === 'push' ? pushPayload() : pullRequestPayload(),
        env: {
          GITHUB_RUN_ID: runId,
          GITHUB_API_URL: gh.url,
          RUNNER_TEMP: runnerTemp,
          ACTIONS_CACHE_URL: cache.url,
          ACTIONS_RESULTS_URL: store.url,
          ACTIONS_RUNTIME_TOKEN: store.tokenFor(runId, jobId),
          ...env,
        },
      });
    },
    async close() {
      await gh.close();
      await store.close();
      await cache.stop();
    },
  };
}
