// A machine fingerprint as a short stable id, so every history point can say where it was measured
// without repeating the whole fingerprint. Fields that do not change timings (runner name, weekly image build) are left out.
import { createHash } from 'node:crypto';
import type { MachineFingerprint } from './types.js';

export function machineId(m: MachineFingerprint): string {
  const gib = Math.round(m.memory / 2 ** 30);
  const key = [m.cpuModel, m.cores, m.os, m.arch, `${gib}GiB`, m.image ?? ''].join('|');
  return createHash('sha256').update(key).digest('hex').slice(0, 12);
}
