// Which machine produced a set of figures. Absolute timings only compare across the same
// kind of machine, so a baseline records its machine and a PR run checks it.
import * as os from 'node:os';
import type { MachineFingerprint } from './types.js';

/** This machine, as far as it matters for timings. */
export function machineFingerprint(env: NodeJS.ProcessEnv = process.env): MachineFingerprint {
  const cpus = os.cpus();
  const fp: MachineFingerprint = {
    cpuModel: cpus[0]?.model.trim() || 'unknown',
    cores: cpus.length,
    os: os.platform(),
    arch: os.arch(),
    memory: os.totalmem(),
  };
  if (env['RUNNER_NAME']) fp.runner = env['RUNNER_NAME'];
  if (env['ImageOS']) fp.image = env['ImageOS'];
  if (env['ImageVersion']) fp.imageVersion = env['ImageVersion'];
  return fp;
}

/** Total memory differs a little between VMs of one size (firmware reservations); more than this is another size. */
const MEMORY_TOLERANCE = 0.05;

/**
 * Whether figures from `a` and `b` are comparable, and if not, each difference as a phrase
 * ("CPU: X vs Y"). Ignored: the runner name (hosted runners get a new one every job) and the
 * weekly image version (the image family, e.g. ubuntu24, is compared when both sides know it).
 */
export function sameMachine(a: MachineFingerprint, b: MachineFingerprint): { same: boolean; differences: string[] } {
  const differences: string[] = [];
  const differ = (what: string, x: unknown, y: unknown) => {
    if (x !== y) differences.push(`${what}: ${String(x)} vs ${String(y)}`);
  };
  differ('CPU', a.cpuModel, b.cpuModel);
  differ('cores', a.cores, b.cores);
  differ('OS', a.os, b.os);
  differ('arch', a.arch, b.arch);
  if (Math.abs(a.memory - b.memory) > MEMORY_TOLERANCE * Math.max(a.memory, b.memory)) {
    differences.push(`memory: ${gib(a.memory)} vs ${gib(b.memory)}`);
  }
  if (a.image !== undefined && b.image !== undefined) differ('runner image', a.image, b.image);
  return { same: differences.length === 0, differences };
}

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GiB`;
}
