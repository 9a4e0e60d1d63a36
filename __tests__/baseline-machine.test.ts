import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { machineFingerprint } from '../src/baseline/machine.js';

test('the fingerprint describes this machine, runner fields only when set', () => {
  const fp = machineFingerprint({});
  assert.equal(fp.cores, os.cpus().length);
  assert.equal(fp.os, process.platform);
  assert.equal(fp.arch, process.arch);
  assert.equal(fp.memory, os.totalmem());
  assert.ok(fp.cpuModel.length > 0);
  assert.equal('runner' in fp || 'image' in fp || 'imageVersion' in fp, false);

  const onRunner = machineFingerprint({
    RUNNER_NAME: 'GitHub Actions 3',
    ImageOS: 'ubuntu24',
    ImageVersion: '20250105.1.0',
  });
  assert.deepEqual(
    [onRunner.runner, onRunner.image, onRunner.imageVersion],
    ['GitHub Actions 3', 'ubuntu24', '20250105.1.0'],
  );
});
