// The measured process's environment: an allowlist of the host's, never tokens or action inputs.
import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { scrubEnv } from '../src/measure/scrub-env.js';
import { runProcess } from '../src/measure/process.js';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_secret',
  ACTIONS_RUNTIME_TOKEN: 'rt-secret',
  ACTIONS_CACHE_URL: 'https://cache.example',
  ACTIONS_ID_TOKEN_REQUEST_TOKEN: 'oidc',
  INPUT_GITHUB_TOKEN: 'ghs_input',
  INPUT_ARTIFACTS: 'x.wasm',
  RUNNER_TOKEN: 'runner',
  NPM_TOKEN: 'npm',
  AWS_SECRET_ACCESS_KEY: 'aws',
  HOME_TOKEN: 'looks-allowed-but-is-not',
  LC_AUTH_TOKEN: 'prefix-allowed-but-secret-looking',
};

describe('scrubEnv', () => {
  test('keeps the allowlisted names and LC_* and drops everything else', () => {
    const env = {
      PATH: '/usr/bin',
      HOME: '/home/u',
      LANG: 'C.UTF-8',
      LC_ALL: 'C',
      TZ: 'UTC',
      FOO: 'bar',
      GITHUB_SHA: 'abc',
      ...SECRETS,
    };
    assert.deepEqual(scrubEnv(env), { PATH: '/usr/bin', HOME: '/home/u', LANG: 'C.UTF-8', LC_ALL: 'C', TZ: 'UTC' });
  });

  test('drops undefined values and does not modify its input', () => {
    const env: Record<string, string | undefined> = { PATH: undefined, HOME: '/h' };
    assert.deepEqual(scrubEnv(env), { HOME: '/h' });
    assert.ok('PATH' in env);
  });

  test('a measured process does not see tokens set in the parent', async () => {
    const parent = { ...process.env, ...SECRETS };
    const r = await runProcess(
      { argv: [process.execPath, '-e', 'process.stdout.write(JSON.stringify(process.env))'], env: scrubEnv(parent) },
      { timeoutMs: 20_000 },
    );
    assert.equal(r.exitCode, 0, r.stderrTail);
    const seen = JSON.parse(r.stdoutHead) as Record<string, string>;
    for (const name of Object.keys(SECRETS)) assert.equal(seen[name], undefined, `${name} leaked`);
    assert.ok(!Object.keys(seen).some((k) => /^(INPUT_|ACTIONS_|GITHUB_)/.test(k)), Object.keys(seen).join(','));
    assert.equal(seen['PATH'], process.env['PATH']);
  });
});
