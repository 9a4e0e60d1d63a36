// The action's outputs: the single table of their names and descriptions (action.yml's `outputs:` and the docs
// table come from it: scripts/action-yml.ts, scripts/readme-tables.ts), and the ones derived from the report.
// Pure: github/set-output.ts is the one place that calls core.setOutput, with a name of this table.
import type { Headline } from '../model/verdict.js';
import type { RunReport } from './types.js';
import { formatChange } from '../model/format.js';
import { countsAsRegression } from '../compare/gate.js';
import { sortByImportance } from './markdown-parts.js';

export interface OutputDef {
  name: string;
  description: string;
}

export const OUTPUTS = [
  {
    name: 'verdict',
    description: "The run's headline: `pass`, `regressed`, `no-baseline`, `failed`, `baseline-saved` or `cancelled`.",
  },
  {
    name: 'regressions',
    description: 'Number of benchmark × runtime × metric cells that regressed beyond their threshold.',
  },
  {
    name: 'regressed-cells',
    description:
      'JSON array of the regressed cells, worst first: benchmark, runtime, metric, ratio, interval, change (`fromJSON(steps.<id>.outputs.regressed-cells)`).',
  },
  { name: 'report-json', description: 'Path of the JSON report with every figure and sample.' },
  {
    name: 'change-points',
    description:
      'Baseline refresh: JSON array of the change points first found in the history of main (benchmark, commit range, cells with ratio, interval, p-value, and `path`: `fast` or `permutation`, the rule that found it).',
  },
  {
    name: 'partial-artifact',
    description: "`shard: k/n`: name of this shard's partial report artifact, which the `mode: report` job downloads.",
  },
  {
    name: 'culprit',
    description: '`mode: bisect`: the full SHA of the commit that caused the change; empty when none was found.',
  },
  {
    name: 'bisect',
    description:
      '`mode: bisect`: JSON of the bisection: outcome, answers per cell, and every probe with its commit, build result and measured change with interval.',
  },
] as const satisfies readonly OutputDef[];

export type OutputName = (typeof OUTPUTS)[number]['name'];

/** The outputs a compare or baseline run derives from its report. */
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
