// Measures every benchmark × runtime cell of the plan, one cell at a time (cells never overlap:
// they would disturb each other). Commands are built before the loop; the engine only spawns and waits.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { BenchmarkSpec, Plan } from '../config/types.js';
import type { ResolvedRuntime } from '../runtimes/types.js';
import type { ArmInput, ArmSamples, ProgressEvent } from './engine.js';
import { launcherTimingsReader } from './launcher-timings.js';
import { metricDef } from './metrics.js';
import { runCell } from './run-cell.js';
import { scrubEnv } from './scrub-env.js';
import type { CellMeasurement } from './types.js';

export interface CellJob {
  bench: BenchmarkSpec;
  runtime: ResolvedRuntime;
  /** the baseline's artifact to re-measure side by side, when there is one */
  baseArtifact?: string;
}

export interface MeasureHooks {
  /** adaptive stopping for one cell; undefined = stop at min-runs / min-time */
  stopRule?: (job: CellJob) => ((state: ArmSamples) => boolean) | undefined;
  onCellStart?: (job: CellJob, index: number, total: number) => void;
  onProgress?: (job: CellJob, event: ProgressEvent) => void;
  onCellDone?: (job: CellJob, cell: CellMeasurement) => void;
}

/** The cells of a plan, in plan order. `baseArtifacts`: benchmark id → baseline .wasm on disk. */
export function cellJobs(plan: Plan, runtimes: ReadonlyMap<string, ResolvedRuntime>, baseArtifacts: ReadonlyMap<string, string>): CellJob[] {
  return plan.benchmarks.flatMap((bench) =>
    bench.runtimes.map((ref) => {
      const runtime = runtimes.get(ref.id);
      if (!runtime) throw new Error(`runtime ${ref.id} was not resolved`);
      return { bench, runtime, baseArtifact: baseArtifacts.get(bench.id) };
    }),
  );
}

export async function measureJobs(plan: Plan, jobs: readonly CellJob[], tempDir: string, hooks: MeasureHooks = {}): Promise<CellMeasurement[]> {
  const scratch = mkdtempSync(join(tempDir, 'run-'));
  const hostEnv = scrubEnv(process.env);
  const results: CellMeasurement[] = [];
  try {
    for (const [i, job] of jobs.entries()) {
      hooks.onCellStart?.(job, i, jobs.length);
      const arms = armsFor(plan, job, hostEnv, join(scratch, String(i)));
      const run = await runCell({
        arms,
        options: plan.measure,
        trapExitCodes: job.runtime.trapExitCodes,
        shouldStop: hooks.stopRule?.(job),
        onProgress: hooks.onProgress && ((e) => hooks.onProgress!(job, e)),
      });
      const cell: CellMeasurement = { benchmark: job.bench.id, runtime: job.runtime.id, runtimeVersion: job.runtime.version, ...run };
      results.push(cell);
      hooks.onCellDone?.(job, cell);
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

function armsFor(plan: Plan, job: CellJob, hostEnv: Record<string, string>, scratch: string): ArmInput[] {
  const arms: ArmInput[] = [arm(plan, job, 'candidate', job.bench.artifact, hostEnv, scratch)];
  if (job.baseArtifact) arms.push(arm(plan, job, 'baseline', job.baseArtifact, hostEnv, scratch));
  return arms;
}

function arm(plan: Plan, job: CellJob, name: 'candidate' | 'baseline', wasm: string, hostEnv: Record<string, string>, scratch: string): ArmInput {
  const { bench, runtime } = job;
  const stdin = bench.stdin === undefined ? undefined : readFileSync(bench.stdin, 'utf8');
  const timingsFile = runtime.reportsPhases && needsLauncherTimings(bench) ? `${scratch}-${name}-timings.json` : undefined;
  const cmd = runtime.command({ wasm, args: bench.args, env: bench.env, dir: bench.dir, stdin, cwd: plan.workspace, timingsFile });
  return {
    arm: name,
    command: { ...cmd, env: { ...hostEnv, ...cmd.env } },
    readExtra: timingsFile ? launcherTimingsReader(timingsFile) : undefined,
  };
}

function needsLauncherTimings(bench: BenchmarkSpec): boolean {
  return bench.metrics.some((m) => metricDef(m, bench.programMetrics)?.source === 'launcher');
}
