// Wires `history: branch:NAME` from the runner's environment: the repository's own remote and the workflow token.
import { platformLabel, type Platform } from '../baseline/platform.js';
import type { RunSettings } from '../model/plan.js';
import { historyFileName } from './branch-file.js';
import { historyBranchStore, type HistoryBranchOptions, type HistoryStore } from './branch-store.js';

export interface BranchSetup {
  branch: string;
  /** the baseline-key: one file per key and platform */
  key: string;
  platform: Platform;
  token?: string;
  tempDir: string;
  commit?: string;
}

/** A store for `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}.git`; without a repository, one that only warns. */
export function historyStoreFromEnv(
  s: BranchSetup,
  env: NodeJS.ProcessEnv = process.env,
  extra: Partial<HistoryBranchOptions> = {},
): HistoryStore {
  const server = (env['GITHUB_SERVER_URL'] || 'https://github.com').replace(/\/+$/, '');
  const repository = env['GITHUB_REPOSITORY'];
  if (!repository) {
    const warning = `history: GITHUB_REPOSITORY is not set, so branch ${s.branch} is not used; the history stays in the baseline only. Run in GitHub Actions, or set history: baseline`;
    return { read: () => Promise.resolve({ warning }), write: () => Promise.resolve({}), discard: () => undefined };
  }
  return historyBranchStore({
    branch: s.branch,
    file: historyFileName(s.key, s.platform),
    key: s.key,
    platform: platformLabel(s.platform),
    remote: `${server}/${repository}.git`,
    serverUrl: server,
    token: s.token,
    tempDir: s.tempDir,
    commit: s.commit,
    ...extra,
  });
}

/** The store of one run's settings (`baseline-key`, `github-token`, `git-timeout`, `history-push-attempts`) for `platform`'s file on `branch`. */
export function historyStoreFor(
  settings: Pick<RunSettings, 'baselineKey' | 'token' | 'historyGit'>,
  branch: string,
  where: { platform: Platform; tempDir: string; commit?: string },
): HistoryStore {
  return historyStoreFromEnv(
    { branch, key: settings.baselineKey, token: settings.token, ...where },
    process.env,
    settings.historyGit ?? {},
  );
}
