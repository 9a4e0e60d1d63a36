// The I/O edge of `mode: report`: gather the shards' partial reports (untrusted), check them against the
// trusted event, merge, and run the judging half of the pipeline over all cells at once.
import type { BaselineDoc, BaselineSource } from '../baseline/types.js';
import type { ReportOptions } from '../config/types.js';
import { downloadPartials, type RemoteRun } from '../github/artifacts.js';
import { judgeRun, type GateResult } from '../run-gate.js';
import { mergePartials, MergeError } from './merge.js';
import { PARTIAL_MAX_BYTES, parsePartial } from './partial-report.js';
import type { PartialReport } from './partial-schema.js';

export interface ReportJobInput {
  key: string;
  dir: string;
  report: ReportOptions;
  /** the partial reports of another workflow run (workflow_run), else this run's */
  remote?: RemoteRun;
  /** what the trusted event says: the head commit and the PR (never taken from the reports) */
  trusted: { headSha?: string; pullRequest?: number };
  log: (m: string) => void;
  warn: (m: string) => void;
  /** one line per refused report */
  refuse: (m: string) => void;
  saveBaseline: (doc: BaselineDoc) => Promise<{ source: BaselineSource; warning?: string }>;
  reproduce: string;
  context: { commit?: string; ref?: string; runId?: string };
  maxBytes?: number;
}

export async function reportJob(input: ReportJobInput): Promise<GateResult & { mode: 'compare' | 'baseline' }> {
  const maxBytes = input.maxBytes ?? PARTIAL_MAX_BYTES;
  const found = await downloadPartials(input.key, input.dir, maxBytes, input.remote);
  const accepted: PartialReport[] = [];
  const reasons = new Map<number, string>();
  const refusals: string[] = [];
  for (const f of found) {
    const parsed = f.bytes ? parsePartial(f.bytes, `artifact ${f.name}`, maxBytes) : { problem: f.problem! };
    const problem = parsed.problem ?? claimProblem(parsed.report!, f, input.trusted);
    if (problem) {
      input.refuse(problem);
      refusals.push(problem);
      // The cells name the shard only: the refusal itself is one line, logged above and listed in the report.
      reasons.set(f.index, 'was refused (its partial report failed the checks, see the warnings)');
      continue;
    }
    accepted.push(parsed.report!);
  }
  if (accepted.length === 0) {
    throw new MergeError(
      found.length
        ? `mode: report refused every partial report (${refusals.length}, each named in an error above): nothing was judged; re-run the measuring workflow`
        : `mode: report found no partial reports (artifacts named wasm-perf-gate-partial-${input.key}-k-of-n.json): check that the shard jobs ran with the same baseline-key and uploaded`,
    );
  }
  const merged = mergePartials(accepted, reasons);
  merged.run.warnings.unshift(...refusals);
  input.log(`merged ${accepted.length} of ${accepted[0]!.shard.count} shards: ${merged.run.measurements.length} cells`);
  const result = await judgeRun(
    { mode: merged.mode, benchmarks: merged.benchmarks, report: input.report },
    merged.run,
    input,
  );
  return { ...result, mode: merged.mode };
}

/** A report is believed only about measurements: its claimed commit and PR must match the trusted event. */
function claimProblem(
  r: PartialReport,
  f: { name: string; index: number; count: number },
  trusted: ReportJobInput['trusted'],
): string | undefined {
  const where = `artifact ${f.name}`;
  if (r.shard.index !== f.index || r.shard.count !== f.count) {
    return `${where} says it is shard ${r.shard.index}/${r.shard.count}, its name says ${f.index}/${f.count}: refused`;
  }
  if (trusted.headSha && r.claims.commit !== trusted.headSha) {
    return `${where} claims commit ${short(r.claims.commit)}, but the run under report is for ${short(trusted.headSha)}: refused`;
  }
  if (
    trusted.pullRequest !== undefined &&
    r.claims.pullRequest !== undefined &&
    r.claims.pullRequest !== trusted.pullRequest
  ) {
    return `${where} claims PR #${r.claims.pullRequest}, but head commit ${short(trusted.headSha)} belongs to PR #${trusted.pullRequest}: refused`;
  }
  return undefined;
}

function short(sha: string | undefined): string {
  return sha ? JSON.stringify(sha.slice(0, 40)) : '(none)';
}
