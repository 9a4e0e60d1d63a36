import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as os from 'node:os';
import { machineFingerprint, sameMachine } from '../src/baseline/machine.js';
import type { MachineFingerprint } from '../src/baseline/types.js';

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
  assert.deepEqual(sameMachine(fp, machineFingerprint({})), { same: true, differences: [] });
});

const base: MachineFingerprint = {
  cpuModel: 'AMD EPYC 7763',
  cores: 4,
  os: 'linux',
  arch: 'x64',
  memory: 16 * 2 ** 30,
  runner: 'GitHub Actions 1',
  image: 'ubuntu24',
  imageVersion: '20250105.1.0',
};

test('runner name, image build and small memory differences do not matter', () => {
  const other = { ...base, runner: 'GitHub Actions 9', imageVersion: '20250112.1.0', memory: base.memory * 0.98 };
  assert.deepEqual(sameMachine(base, other), { same: true, differences: [] });
  const { image: _image, ...noImage } = base;
  assert.equal(
    sameMachine(noImage, { ...base, image: 'ubuntu22' }).same,
    true,
    'image compared only when both know it',
  );
});

test('each material difference is listed', () => {
  const other: MachineFingerprint = {
    ...base,
    cpuModel: 'Intel Xeon 8370C',
    cores: 2,
    arch: 'arm64',
    memory: 8 * 2 ** 30,
    image: 'ubuntu22',
  };
  const r = sameMachine(base, other);
  assert.equal(r.same, false);
  assert.deepEqual(r.differences, [
    'CPU: AMD EPYC 7763 vs Intel Xeon 8370C',
    'cores: 4 vs 2',
    'arch: x64 vs arm64',
    'memory: 16.0 GiB vs 8.0 GiB',
    'runner image: ubuntu24 vs ubuntu22',
  ]);
});
