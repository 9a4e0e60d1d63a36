import type { Mode } from '../model/plan.js';
import type { BaselineSource, MachineFingerprint } from '../baseline/types.js';
import type { Headline, Verdict } from '../model/verdict.js';
import type { CellMeasurement, RuntimeBuild } from '../model/measurement.js';
import type { SuiteChange } from '../compare/suite-change.js';
import type { ChangePoint } from '../history/change-points.js';
import type { CellTrend } from '../history/trend.js';

/** Everything the renderers need; the JSON report is this object. */
export interface RunReport {
  tool: { name: 'wasm-perf-gate'; version: string };
  mode: Mode;
  headline: Headline;
  verdicts: Verdict[];
  measurements: CellMeasurement[];
  machine: MachineFingerprint;
  runtimes: { id: string; version: string; exe: string }[];
  baseline?: {
    source: string;
    createdAt: string;
    commit?: string;
    machine: MachineFingerprint;
    /** where the side-by-side baseline artifacts came from */
    artifactsFrom: 'baseline-artifacts input' | 'stored baseline' | 'none';
  };
  /** runtime changes (`baseline-path` / `baseline-version`): both builds of each runtime, by version and sha256 */
  runtimeChanges?: RuntimeChange[];
  /** a runtime change judged on its whole suite: geometric-mean change per runtime and metric, with its interval */
  suiteChanges?: SuiteChange[];
  /** baseline mode: where the new baseline was written (absent when saving failed or in compare mode) */
  saved?: BaselineSource;
  /** familywise significance level the verdicts were judged at (the `alpha` input; Holm over all cells × metrics) */
  alpha?: number;
  /** whether `likely-regressed` cells count as regressions (fail-on-likely-regression; absent = true) */
  likelyRegressionsGate?: boolean;
  /**
   * the run was cancelled (SIGINT/SIGTERM): cells measured before it, out of those planned; `phase` when the
   * signal came after measuring (saving, pushing history; `saved` then says whether the baseline was saved first)
   */
  cancelled?: { signal: string; cellsMeasured: number; cellsPlanned: number; phase?: string };
  /** baseline mode: change points in main's history first found by this refresh (history/change-points.ts) */
  changePoints?: ChangePoint[];
  /** compare mode: main's recent history of the cells the `trend` input picks, with this run's value */
  trends?: CellTrend[];
  /** command that reproduces this run locally */
  reproduce: string;
  /** problems that did not stop the run (cache down, comment refused, …) */
  warnings: string[];
  startedAt: string;
  elapsedMs: number;
}

/** One runtime measured on two builds: the comparison the report's title names. */
export interface RuntimeChange {
  /** the runtime's key (its id in the config) */
  runtime: string;
  /** `wasmtime: this PR's build vs main's build`, `wasmi: 2.0.0 vs 0.32.3` */
  title: string;
  candidate: RuntimeBuild;
  baseline: RuntimeBuild;
  /** both sides are the same file (same sha256): an A/A run */
  identical: boolean;
  /**
   * A noticed upgrade whose PR changed some .wasm too: the two effects measured apart on those benchmarks
   * (docs/adrs/0019-program-and-runtime-effects.md); both gate
   */
  split?: { program: EffectPart; runtime: EffectPart };
}

/** One effect of a split runtime change: its title and the benchmarks measured for it. */
export interface EffectPart {
  /** `program change on wazero 1.12.0`, `runtime change wazero 1.9.0 → 1.12.0 on main's programs` */
  title: string;
  /** what the two arms ran */
  arms: string;
  benchmarks: string[];
  /** the runtime ids of the verdicts that measure it (`wazero@1.12.0`, `wazero [main's programs]@1.12.0`) */
  runtimes: string[];
}
