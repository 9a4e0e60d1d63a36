// The action's outputs, derived from the report. Pure: the entry point passes them to core.setOutput.
import type { Headline } from '../model/verdict.js';
import type { RunReport } from './types.js';
import { formatChange } from '../model/format.js';
import { countsAsRegression } from '../compare/gate.js';
import { sortByImportance } from './markdown-parts.js';

export interface ActionOutputs {
  /** the run's headline */
  verdict: Headline;
  /** how many cells regressed beyond their threshold (likely regressions included while they gate) */
  regressions: string;
  /** JSON array of the regressed cells, worst first (`fromJSON(steps.<id>.outputs.regressed-cells)`) */
  'regressed-cells': string;
  /** path of the JSON report */
  'report-json': string;
  /** JSON array of the change points a refresh found in main's history (`[]` otherwise) */
  'change-points': string;
}

/** One regressed cell as it appears in the `regressions` output. */
export interface RegressionOutput {
  benchmark: string;
  runtime: string;
  metric: string;
  /** `regressed`, or `likely-regressed` (whole interval past the threshold, p-value short of alpha) */
  kind: string;
  /** candidate / baseline */
  ratio: number | null;
  interval: [number, number] | null;
  /** human form, e.g. `+4.2% [+2.1%, +6.3%]` */
  change: string;
}

export function actionOutputs(report: RunReport, jsonPath: string): ActionOutputs {
  const regressions: RegressionOutput[] = sortByImportance(report.verdicts)
    .filter((v) => countsAsRegression(v, { failOnLikelyRegression: report.likelyRegressionsGate !== false }))
    .map((v) => ({
      benchmark: v.benchmark,
      runtime: v.runtime,
      metric: v.metric,
      kind: v.kind,
      ratio: v.ratio !== undefined && Number.isFinite(v.ratio) ? v.ratio : null,
      interval: v.interval ?? null,
      change: formatChange(v.ratio, v.interval),
    }));
  return {
    verdict: report.headline,
    regressions: String(regressions.length),
    'regressed-cells': JSON.stringify(regressions),
    'report-json': jsonPath,
    'change-points': JSON.stringify(report.changePoints ?? []),
  };
}
