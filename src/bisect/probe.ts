// One bisection measurement: a commit's build side by side with the good commit's build, through the same
// pipeline as a PR (runGate: paired rounds, stop rule, Holm within the run), at the bisection's share of alpha.
import type { Verdict } from '../model/verdict.js';
import type { BenchmarkSpec, Plan } from '../model/plan.js';
import { runGate, type GateIO } from '../pipeline/run-gate.js';

export interface ProbeContext {
  /** the plan of a build in a directory (config/bisect-inputs.ts probePlanner): throws when nothing matches */
  planIn: (dir: string) => Promise<Plan>;
  /** the user's checkout */
  workspace: string;
  tempDir: string;
  io: Pick<GateIO, 'log' | 'warn' | 'resolve' | 'progress'>;
}

/** The plan of a build in `dir`: its artifacts matched like the action's (throws an InputError when none match). */
export function planIn(ctx: ProbeContext, dir: string): Promise<Plan> {
  return ctx.planIn(dir);
}

/**
 * Measures the build in `dir` against `goodArtifacts`; `threshold` overrides a benchmark's threshold of a
 * metric (undefined: the plan's own); `more` multiplies the rounds and time a cell may take (a re-measure).
 * Returns every cell's verdict.
 */
export async function measureProbe(
  ctx: ProbeContext,
  dir: string,
  goodArtifacts: readonly string[],
  alpha: number,
  threshold?: (bench: string, metric: string) => number | undefined,
  more = 1,
): Promise<Verdict[]> {
  const plan = await planIn(ctx, dir);
  const m = plan.measure;
  const probePlan: Plan = {
    ...plan,
    benchmarks: threshold ? plan.benchmarks.map((b) => withThresholds(b, threshold)) : plan.benchmarks,
    baseline: { ...plan.baseline, path: undefined, artifacts: [...goodArtifacts], sideBySide: true },
    report: { ...plan.report, alpha },
    measure: {
      ...m,
      maxRuns: m.maxRuns * more,
      maxTimeMs: m.maxTimeMs * more,
      ...(m.hardMaxTimeMs !== undefined ? { hardMaxTimeMs: m.hardMaxTimeMs * more } : {}),
    },
  };
  const { report } = await runGate(probePlan, {
    ...ctx.io,
    loadBaseline: async () => ({ source: { kind: 'file', location: 'the good commit’s build' } }),
    saveBaseline: () => Promise.reject(new Error('a bisection saves no baseline')),
    tempDir: ctx.tempDir,
    reproduce: '',
    context: {},
  });
  return report.verdicts;
}

function withThresholds(b: BenchmarkSpec, threshold: (bench: string, metric: string) => number | undefined) {
  const thresholds = { ...b.thresholds };
  for (const m of b.metrics) {
    const t = threshold(b.id, m);
    if (t !== undefined) thresholds[m] = t;
  }
  return { ...b, thresholds };
}
