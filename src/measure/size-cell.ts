// Measures a benchmark's size cell: the candidate .wasm and main's build read from disk, sections and
// functions diffed. No runtime, no process, no rounds (docs/size.md).
import type { BenchmarkSpec } from '../model/plan.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import { STATIC_RUNTIME } from '../model/metrics.js';
import { moduleSize, SizeError, sizeFailure, sizeSample, type ModuleSize, type SizeMemo } from './size.js';
import { sizeDiff } from './size-diff.js';
import type { ArmResult, CellMeasurement } from '../model/measurement.js';

/** The pseudo-runtime of size cells: resolving it installs nothing, and nothing can be run with it. */
export const STATIC: ResolvedRuntime = {
  ref: { name: STATIC_RUNTIME, id: STATIC_RUNTIME, flags: [] },
  id: STATIC_RUNTIME,
  exe: '',
  version: '',
  installedFrom: 'embedded',
  command: () => {
    throw new Error('the static pseudo-runtime runs nothing');
  },
  trapExitCodes: [],
  codeCache: { onByDefault: false, canDisable: false, canRelocate: false },
  reportsPhases: false,
};

const STRIPPED_NOTE =
  'a build has no name section, so functions are matched and listed by index: keep names in the measured build (wasm-pack: `wasm-opt = ["-O", "-g"]` in `[package.metadata.wasm-pack.profile.release]`; clang: link with no wasm-opt on PATH; see docs/size.md), or point `artifacts` at an unstripped copy';

export async function measureSizeCell(
  bench: BenchmarkSpec,
  baseArtifact: string | undefined,
  memo: SizeMemo = new Map(),
): Promise<CellMeasurement> {
  const started = Date.now();
  const head = {
    benchmark: bench.id,
    runtime: STATIC_RUNTIME,
    runtimeVersion: '',
    runtimeKey: STATIC_RUNTIME,
    gated: bench.metrics,
  };
  const read = async (file: string, label: string): Promise<ModuleSize | { failure: string }> => {
    try {
      return await moduleSize(file, label, bench.metrics, memo);
    } catch (e) {
      if (e instanceof SizeError || (e as NodeJS.ErrnoException).code !== undefined)
        return { failure: (e as Error).message };
      throw e;
    }
  };
  const candidate = await read(bench.artifact, bench.artifactRel);
  if ('failure' in candidate) {
    return {
      ...head,
      candidate: { arm: 'candidate', samples: [], warmups: 0, failure: sizeFailure(candidate.failure) },
      schedule: 'single',
      elapsedMs: Date.now() - started,
      stopReason: 'failure',
    };
  }
  const base = baseArtifact ? await read(baseArtifact, `main's build of ${bench.artifactRel}`) : undefined;
  const baseLayout = base && !('failure' in base) ? base.layout : undefined;
  const baseline: ArmResult | undefined = !base
    ? undefined
    : 'failure' in base
      ? { arm: 'baseline', samples: [], warmups: 0, failure: sizeFailure(base.failure) }
      : { arm: 'baseline', samples: [sizeSample(base.values)], warmups: 0 };
  const size = sizeDiff(baseLayout, candidate.layout);
  const notes = [
    ...(candidate.layout.nameProblem ? [`${bench.artifactRel}: ${candidate.layout.nameProblem}`] : []),
    ...(baseLayout?.nameProblem ? [`main's build: ${baseLayout.nameProblem}`] : []),
    ...(size.names === 'stripped' && (size.grew.length > 0 || size.shrank.length > 0) ? [STRIPPED_NOTE] : []),
  ];
  return {
    ...head,
    candidate: { arm: 'candidate', samples: [sizeSample(candidate.values)], warmups: 0 },
    ...(baseline ? { baseline } : {}),
    schedule: 'single',
    elapsedMs: Date.now() - started,
    stopReason: 'minimum',
    ...(notes.length ? { notes } : {}),
    size,
  };
}

/**
 * Every size cell of a run, started together before the timed cells (they run no process, so they disturb
 * nothing measured later): `parallel` at a time, since zlib compresses on libuv's thread pool. By job index.
 */
export function measureSizeCells(
  jobs: readonly { index: number; bench: BenchmarkSpec; baseArtifact?: string }[],
  memo: SizeMemo,
  parallel: number,
): Map<number, Promise<CellMeasurement>> {
  const out = new Map<number, Promise<CellMeasurement>>();
  const chain: Promise<unknown>[] = [];
  for (const [k, job] of jobs.entries()) {
    const after = chain[k % parallel] ?? Promise.resolve();
    const cell = after.then(() => measureSizeCell(job.bench, job.baseArtifact, memo));
    cell.catch(() => undefined); // awaited (and rethrown) by the caller; never an unhandled rejection here
    chain[k % parallel] = cell.catch(() => undefined);
    out.set(job.index, cell);
  }
  return out;
}
