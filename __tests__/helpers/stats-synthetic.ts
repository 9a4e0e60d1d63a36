// Synthetic measurements with known answers for the stats-/compare- tests.
import {
  BASELINE_VERSION,
  type BaselineDoc,
  type BaselineEntry,
  type MachineFingerprint,
} from '../../src/baseline/types.js';
import type { BenchmarkSpec, Direction } from '../../src/model/plan.js';
import type { CellMeasurement, Sample } from '../../src/model/measurement.js';
import { machineId } from '../../src/baseline/fingerprint.js';
import type { CellHistory } from '../../src/model/history.js';
import { createNormalPrng } from '../../src/stats/prng.js';

export const MACHINE: MachineFingerprint = {
  cpuModel: 'AMD EPYC 7763 64-Core Processor',
  cores: 4,
  os: 'linux',
  arch: 'x64',
  memory: 16e9,
};

/** n lognormal values around `center`: center · exp(sigma · Z). */
export function lognormal(n: number, center: number, sigma: number, seed: number): number[] {
  const z = createNormalPrng(seed);
  return Array.from({ length: n }, () => center * Math.exp(sigma * z()));
}

export interface ArmsSpec {
  rounds: number;
  /** true candidate/baseline ratio */
  ratio: number;
  /** per-run multiplicative noise (σ of log) */
  sigma: number;
  /** noise shared by both runs of a round (a noisy neighbour); cancels in pairs */
  roundSigma?: number;
  center?: number;
  seed: number;
}

/** Paired arms: round r has one baseline and one candidate run sharing that round's drift. */
export function pairedArms(spec: ArmsSpec): { baseline: number[]; candidate: number[] } {
  const z = createNormalPrng(spec.seed);
  const center = spec.center ?? 100;
  const baseline: number[] = [];
  const candidate: number[] = [];
  for (let r = 0; r < spec.rounds; r++) {
    const drift = (spec.roundSigma ?? 0) * z();
    baseline.push(center * Math.exp(drift + spec.sigma * z()));
    candidate.push(center * spec.ratio * Math.exp(drift + spec.sigma * z()));
  }
  return { baseline, candidate };
}

export function samplesOf(values: readonly number[], metric = 'wall'): Sample[] {
  return values.map((v, round) => ({ values: { [metric]: v }, exitCode: 0, round }));
}

export function cell(
  benchmark: string,
  candidate: readonly number[],
  baseline?: readonly number[],
  metric = 'wall',
  runtime = 'wasmtime@30.0.0',
): CellMeasurement {
  const m: CellMeasurement = {
    benchmark,
    runtime,
    runtimeVersion: '30.0.0',
    candidate: { arm: 'candidate', samples: samplesOf(candidate, metric), warmups: 1 },
    schedule: baseline ? 'interleaved' : 'single',
    elapsedMs: 1,
  };
  if (baseline) m.baseline = { arm: 'baseline', samples: samplesOf(baseline, metric), warmups: 1 };
  return m;
}

export function bench(id: string, overrides: Partial<BenchmarkSpec> = {}): BenchmarkSpec {
  return {
    id,
    artifact: `/w/${id}.wasm`,
    artifactRel: `${id}.wasm`,
    args: [],
    env: {},
    runtimes: [{ name: 'wasmtime', flags: [], id: 'wasmtime' }],
    threshold: 0.05,
    metrics: ['wall'],
    programMetrics: [],
    thresholds: {},
    ...overrides,
  };
}

export function entry(
  benchmark: string,
  samples: readonly number[],
  metric = 'wall',
  direction: Direction = 'lower',
): BaselineEntry {
  const sorted = [...samples].sort((a, b) => a - b);
  return {
    benchmark,
    runtime: 'wasmtime',
    runtimeVersion: '30.0.0',
    artifactRel: `${benchmark}.wasm`,
    artifactSha256: `sha-${benchmark}`,
    args: [],
    metrics: {
      [metric]: {
        unit: 'ms',
        direction,
        n: samples.length,
        median: sorted[Math.floor(sorted.length / 2)] as number,
        mean: samples.reduce((a, b) => a + b, 0) / samples.length,
        stddev: 0,
        min: sorted[0] as number,
        max: sorted[sorted.length - 1] as number,
        samples: [...samples],
      },
    },
  };
}

export function baselineDoc(entries: BaselineEntry[], machine: MachineFingerprint = MACHINE): BaselineDoc {
  return {
    schema: 'wasm-perf-gate/baseline',
    version: BASELINE_VERSION,
    createdAt: '2026-01-01T00:00:00.000Z',
    machine,
    artifacts: {},
    entries,
  };
}

export const lowerIsBetter = (): { unit: string; direction: Direction } => ({ unit: 'ms', direction: 'lower' });

/** `k` refresh medians around 100 whose sessions differ by `sd` (log scale); the last one is the stored entry. */
export function refreshHistory(k: number, sd: number, seed: number): CellHistory {
  const z = createNormalPrng(seed);
  return {
    benchmark: 'fib',
    runtime: 'wasmtime',
    metric: 'wall',
    points: Array.from({ length: k }, (_, i) => {
      const median = 100 * Math.exp(sd * z());
      return {
        commit: `c${i}`,
        date: new Date(Date.UTC(2026, 0, 1 + i)).toISOString(),
        runtimeVersion: '30.0.0',
        machine: machineId(MACHINE),
        median,
        interval: [median * 0.99, median * 1.01] as [number, number],
        n: 10,
      };
    }),
  };
}
