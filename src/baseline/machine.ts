// Which machine produced a set of figures. Absolute timings only compare across the same
// kind of machine, so a baseline records its machine and a PR run checks it.
import * as os from 'node:os';
import { runnerPlatform } from './platform.js';
import type { MachineFingerprint } from './types.js';

/** This machine, as far as it matters for timings. */
export function machineFingerprint(env: NodeJS.ProcessEnv = process.env): MachineFingerprint {
  const cpus = os.cpus();
  const platform = runnerPlatform(env);
  const fp: MachineFingerprint = {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    os: platform.os,
    arch: platform.arch,
    memory: os.totalmem(),
  };
  if (env['RUNNER_NAME']) fp.runner = env['RUNNER_NAME'];
  if (env['ImageOS']) fp.image = env['ImageOS'];
  if (env['ImageVersion']) fp.imageVersion = env['ImageVersion'];
  return fp;
}
