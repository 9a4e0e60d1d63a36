// Small valid baseline documents for the baseline tests.
import { createHash } from 'node:crypto';
import { BASELINE_SCHEMA, BASELINE_VERSION, type BaselineDoc } from '../../src/baseline/types.js';

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** A wasm-looking byte string unique to `seed`. */
export function wasmBytes(seed: string, size = 64): Uint8Array {
  const header = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00];
  const body = createHash('sha512').update(seed).digest();
  return Uint8Array.from({ length: size }, (_, i) => header[i] ?? body[i % body.length]!);
}

/** A one-entry baseline whose wall samples are `samples` (stats left as given: tests of the store, not of the maths). */
export function sampleDoc(opts: { runId?: string; samples?: number[]; artifactSize?: number } = {}): BaselineDoc {
  const bytes = wasmBytes(opts.runId ?? 'x', opts.artifactSize);
  const sha = sha256(bytes);
  const samples = opts.samples ?? [10, 11, 12];
  return {
    schema: BASELINE_SCHEMA,
    version: BASELINE_VERSION,
    createdAt: '2025-01-02T03:04:05.000Z',
    ...(opts.runId ? { runId: opts.runId } : {}),
    machine: { cpuModel: 'Test CPU', cores: 4, os: 'linux', arch: 'x64', memory: 16 * 2 ** 30 },
    artifacts: { [sha]: { path: 'examples/wasm/fib.wasm', base64: Buffer.from(bytes).toString('base64') } },
    entries: [
      {
        benchmark: 'fib',
        runtime: 'wasmtime',
        runtimeVersion: '30.0.0',
        artifactRel: 'examples/wasm/fib.wasm',
        artifactSha256: sha,
        args: ['30'],
        metrics: {
          wall: {
            unit: 'ms',
            direction: 'lower',
            n: samples.length,
            median: samples[Math.floor(samples.length / 2)]!,
            mean: samples.reduce((a, b) => a + b, 0) / samples.length,
            stddev: 1,
            min: Math.min(...samples),
            max: Math.max(...samples),
            samples,
          },
        },
      },
    ],
  };
}
