// A small factory of plausible RunReports for the report tests: verdicts with numbers that fit their
// kind, measurements with deterministic pseudo-random samples.
import type { Verdict, VerdictKind } from '../../src/model/verdict.js';
import type { CellMeasurement, Sample } from '../../src/model/measurement.js';
import type { MachineFingerprint } from '../../src/baseline/types.js';
import type { Headline } from '../../src/model/verdict.js';
import type { RunReport } from '../../src/report/types.js';
import { PARTIAL_SCHEMA, PARTIAL_VERSION, type PartialReport } from '../../src/shard/partial-schema.js';

export const MACHINE: MachineFingerprint = {
  cpuModel: 'AMD EPYC 7763 64-Core Processor',
  cores: 4,
  os: 'linux',
  arch: 'x64',
  memory: 16 * 1024 ** 3,
  runner: 'GitHub Actions 1',
};

/** Numbers typical for each verdict kind, as candidate/baseline of a 100 ms baseline. */
const SHAPES: Record<VerdictKind, Partial<Verdict>> = {
  regressed: {
    ratio: 1.124,
    interval: [1.081, 1.169],
    pValue: 0.0004,
    adjustedP: 0.0012,
    minDetectable: 0.021,
    method: 'paired',
  },
  'likely-regressed': {
    ratio: 5.18,
    interval: [5.12, 5.23],
    pValue: 0.031,
    adjustedP: 0.12,
    minDetectable: 0.01,
    method: 'paired',
  },
  'likely-improved': {
    ratio: 0.52,
    interval: [0.5, 0.55],
    pValue: 0.031,
    adjustedP: 0.12,
    minDetectable: 0.03,
    method: 'paired',
  },
  improved: {
    ratio: 0.873,
    interval: [0.842, 0.905],
    pValue: 0.0008,
    adjustedP: 0.002,
    minDetectable: 0.02,
    method: 'paired',
  },
  unchanged: {
    ratio: 1.006,
    interval: [0.988, 1.024],
    pValue: 0.41,
    adjustedP: 0.9,
    minDetectable: 0.019,
    method: 'paired',
  },
  inconclusive: {
    ratio: 1.041,
    interval: [0.962, 1.127],
    pValue: 0.2,
    adjustedP: 0.6,
    minDetectable: 0.083,
    method: 'unpaired',
  },
  new: { method: 'none' },
  missing: { method: 'none' },
  failed: { method: 'none' },
};

export function makeVerdict(
  benchmark: string,
  runtime: string,
  kind: VerdictKind,
  overrides: Partial<Verdict> = {},
): Verdict {
  const shape = SHAPES[kind];
  const baselineMedian = kind === 'new' || kind === 'failed' ? undefined : 100;
  const candidateMedian =
    kind === 'missing' || kind === 'failed' ? undefined : kind === 'new' ? 98.5 : 100 * (shape.ratio ?? 1);
  const v: Verdict = {
    benchmark,
    runtime,
    metric: 'wall',
    unit: 'ms',
    direction: 'lower',
    kind,
    threshold: 0.05,
    method: 'none',
    runs: { baseline: kind === 'new' ? 0 : 30, candidate: kind === 'missing' || kind === 'failed' ? 0 : 30 },
    notes: [],
    ...shape,
    ...overrides,
  };
  if (baselineMedian !== undefined && !('baselineMedian' in overrides)) v.baselineMedian = baselineMedian;
  if (candidateMedian !== undefined && !('candidateMedian' in overrides)) v.candidateMedian = candidateMedian;
  if (kind === 'failed' && !v.failure) {
    v.failure = {
      kind: 'trap',
      exitCode: 134,
      message: 'wasm trap: integer divide by zero',
      stdoutHead: 'starting\n',
      stderrTail: 'Error: failed to run main module\n  0: wasm trap: integer divide by zero',
    };
  }
  return v;
}

/** Deterministic samples around `center` ms (a tiny LCG, so JSON tests see varied numbers). */
export function makeSamples(center: number, n: number, seed: number): Sample[] {
  let state = seed >>> 0 || 1;
  const next = (): number => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  return Array.from({ length: n }, (_, round) => ({
    values: { wall: center * (0.95 + 0.1 * next()), 'peak-rss': 40_000_000 + Math.round(next() * 1_000_000) },
    exitCode: 0,
    round,
  }));
}

export interface ReportSpec {
  benchmarks?: string[];
  runtimes?: string[];
  /** verdict kind for each cell; default: everything unchanged */
  kindOf?: (benchmark: string, runtime: string, index: number) => VerdictKind;
  mode?: RunReport['mode'];
  samples?: number;
  warnings?: string[];
  baseline?: RunReport['baseline'] | null;
  headline?: Headline;
}

function headlineFor(verdicts: Verdict[], mode: RunReport['mode'], hasBaseline: boolean): Headline {
  if (mode === 'baseline') return 'baseline-saved';
  if (verdicts.some((v) => v.kind === 'failed')) return 'failed';
  if (verdicts.some((v) => v.kind === 'regressed' || v.kind === 'likely-regressed')) return 'regressed';
  return hasBaseline ? 'pass' : 'no-baseline';
}

export function makeReport(spec: ReportSpec = {}): RunReport {
  const benchmarks = spec.benchmarks ?? ['fibonacci', 'sha256'];
  const runtimes = spec.runtimes ?? ['wasmtime@48.0.0', 'node@20.20.2'];
  const mode = spec.mode ?? 'compare';
  const n = spec.samples ?? 5;
  const verdicts: Verdict[] = [];
  const measurements: CellMeasurement[] = [];
  let index = 0;
  for (const benchmark of benchmarks) {
    for (const runtime of runtimes) {
      const kind = mode === 'baseline' ? 'new' : (spec.kindOf?.(benchmark, runtime, index) ?? 'unchanged');
      const verdict = makeVerdict(benchmark, runtime, kind);
      verdicts.push(verdict);
      measurements.push({
        benchmark,
        runtime,
        runtimeVersion: runtime.split('@')[1] ?? 'unknown',
        candidate: {
          arm: 'candidate',
          samples:
            kind === 'failed' || kind === 'missing'
              ? []
              : makeSamples(verdict.candidateMedian ?? 100, n, index * 2 + 1),
          warmups: 1,
          ...(kind === 'failed' && verdict.failure ? { failure: verdict.failure } : {}),
        },
        ...(mode === 'compare' && kind !== 'new'
          ? { baseline: { arm: 'baseline' as const, samples: makeSamples(100, n, index * 2 + 2), warmups: 1 } }
          : {}),
        schedule: mode === 'compare' ? 'interleaved' : 'single',
        elapsedMs: 1234.5,
      });
      index++;
    }
  }
  const baseline =
    spec.baseline === null || mode === 'baseline'
      ? undefined
      : (spec.baseline ?? {
          source: 'actions cache wasm-perf-gate-baseline-Linux-X64-9876',
          createdAt: '2026-01-02T03:04:05.000Z',
          commit: '0123456789abcdef0123456789abcdef01234567',
          machine: MACHINE,
          artifactsFrom: 'stored baseline' as const,
        });
  return {
    tool: { name: 'wasm-perf-gate', version: '0.1.0' },
    mode,
    headline: spec.headline ?? headlineFor(verdicts, mode, baseline !== undefined),
    verdicts,
    measurements,
    machine: MACHINE,
    runtimes: runtimes.map((id) => ({
      id,
      version: id.split('@')[1] ?? 'unknown',
      exe: `/opt/hostedtoolcache/${id.split('@')[0]}/bin/${id.split('@')[0]}`,
    })),
    ...(baseline ? { baseline } : {}),
    ...(mode === 'baseline'
      ? { saved: { kind: 'actions-cache' as const, location: 'wasm-perf-gate-baseline-Linux-X64-1111' } }
      : {}),
    reproduce:
      "npx wasm-perf-gate run --artifacts 'examples/wasm/*.wasm' --runtimes wasmtime,node --baseline-path .wasm-perf-gate/baseline.json",
    warnings: spec.warnings ?? [],
    startedAt: '2026-01-05T10:00:00.000Z',
    elapsedMs: 83_000,
  };
}

/** `count` names like `bench-0007`. */
export function names(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${prefix}-${String(i).padStart(4, '0')}`);
}

export const MALICIOUS = '<img src=x onerror=alert(1)>|**x**';

/**
 * Shard `index` of `count`'s partial report with nothing measured: two cells, `a` and `b` on `runtime`, one per
 * shard; `extra` sets the rest (mode, baseline, measurements, storedRuntimes…).
 */
export function emptyPartial(
  index: number,
  count: number,
  runtime: string,
  extra: Partial<PartialReport> = {},
): PartialReport {
  return {
    schema: PARTIAL_SCHEMA,
    version: PARTIAL_VERSION,
    tool: '0.1.0',
    mode: 'compare',
    shard: { index, count },
    partition: [[{ benchmark: 'a', runtime }], [{ benchmark: 'b', runtime }]],
    claims: { commit: 'b'.repeat(40), ...(extra.mode === 'baseline' ? {} : { pullRequest: 7 }) },
    benchmarks: [],
    artifacts: [],
    runtimes: [],
    base: { sha256: {}, from: 'none' },
    measurements: [],
    machine: MACHINE,
    warnings: [],
    startedAt: 1,
    ...extra,
  };
}
