// The I/O edge of `mode: report`: gather the shards' partial reports (untrusted), check them against the
// trusted event, merge, and run the judging half of the pipeline over all cells at once.
import { enterPhase } from '../process/cancellation.js';
import type { BaselineDoc, BaselineSource } from '../baseline/types.js';
import type { ReportOptions } from '../model/plan.js';
import type { HistoryStore } from '../history/branch-store.js';
import { downloadPartials, type RemoteRun } from '../github/artifacts.js';
import { judgeRun, type GateResult } from '../pipeline/run-gate.js';
import { safePlatformLabel, type Platform } from '../baseline/platform.js';
import { mergePartials, MergeError, type MergedShards } from './merge.js';
import { combinePlatforms, combineResults, onPlatform, platformOfRuntime } from './platforms.js';
import { PARTIAL_MAX_BYTES, parsePartial } from './partial-report.js';
import type { PartialReport } from './partial-schema.js';

export interface ReportJobInput {
  key: string;
  report: ReportOptions;
  /** the partial reports of another workflow run (workflow_run), else this run's */
  remote?: RemoteRun;
  /**
   * What the trusted event says (never taken from the reports): the head commit, the PR, and whether the
   * reported run ran the default branch's code (only then may its shards' figures become the baseline).
   */
  trusted: { headSha?: string; pullRequest?: number; mayRefresh: boolean };
  log: (m: string) => void;
  warn: (m: string) => void;
  /** one line per refused report */
  refuse: (m: string) => void;
  /** saves a merged baseline as `platform`'s (the shards' platform, not the report job's) */
  saveBaseline: (doc: BaselineDoc, platform: Platform) => Promise<{ source: BaselineSource; warning?: string }>;
  /** `history: branch:NAME`: the branch store of `platform`'s history file */
  historyFor?: (platform: Platform) => HistoryStore;
  reproduce: string;
  context: { commit?: string; ref?: string; runId?: string };
  maxBytes?: number;
}

export async function reportJob(input: ReportJobInput): Promise<GateResult & { mode: 'compare' | 'baseline' }> {
  const maxBytes = input.maxBytes ?? PARTIAL_MAX_BYTES;
  enterPhase('downloading the partial reports');
  const found = await downloadPartials(input.key, maxBytes, input.remote);
  const groups = new Map<string, { accepted: PartialReport[]; reasons: Map<number, string> }>();
  const refusals: string[] = [];
  for (const f of found) {
    const parsed = f.bytes ? parsePartial(f.bytes, `artifact ${f.name}`, maxBytes) : { problem: f.problem! };
    const platform = parsed.report ? safePlatformLabel(parsed.report.machine) : f.platform;
    const problem = parsed.problem ?? claimProblem(parsed.report!, f, platform, input.trusted);
    const group = groupOf(groups, platform ?? f.platform ?? 'unknown');
    if (problem) {
      input.refuse(problem);
      refusals.push(problem);
      // The cells name the shard only: the refusal itself is one line, logged above and listed in the report.
      group.reasons.set(f.index, 'was refused (its partial report failed the checks, see the warnings)');
      continue;
    }
    group.accepted.push(parsed.report!);
  }
  const empty = [...groups].filter(([, g]) => g.accepted.length === 0).map(([p]) => p);
  if (found.length === 0 || empty.length > 0) {
    throw new MergeError(
      found.length
        ? `mode: report refused every partial report of ${empty.join(', ')} (${refusals.length} refused, each named in an error above): nothing was judged; re-run the measuring workflow`
        : `mode: report found no partial reports (artifacts named wasm-perf-gate-partial-${input.key}-<os>-<arch>-k-of-n.json): check that the shard jobs ran with the same baseline-key and uploaded`,
    );
  }
  const merged = [...groups].map(([platform, g]) => ({ platform, merged: mergePartials(g.accepted, g.reasons) }));
  for (const { platform, merged: m } of merged) {
    const { accepted } = groups.get(platform)!;
    input.log(
      `${platform}: merged ${accepted.length} of ${accepted[0]!.shard.count} shards, ${m.run.measurements.length} cells`,
    );
  }
  const modes = new Set(merged.map((m) => m.merged.mode));
  if (modes.size > 1)
    throw new MergeError(
      `mode: report: the platforms' shards ran in different modes (${[...modes].join(', ')}): run every shard on the same event`,
    );
  const result = merged[0]!.merged.mode === 'baseline' ? await refresh(merged, input) : await judgeAll(merged, input);
  result.report.warnings.unshift(...refusals);
  return { ...result, mode: merged[0]!.merged.mode };
}

type PlatformShards = { platform: string; merged: MergedShards }[];

/** Compare: every platform's cells in one run, judged at once (Holm over all cells of all shards). */
async function judgeAll(groups: PlatformShards, input: ReportJobInput): Promise<GateResult> {
  const one = groups.length === 1 ? groups[0]!.merged : combinePlatforms(groups);
  const result = await judgeRun({ mode: one.mode, benchmarks: one.benchmarks, report: input.report }, one.run, {
    ...input,
    saveBaseline: (doc) => input.saveBaseline(doc, platformOf(groups[0]!.platform)),
  });
  if (groups.length > 1) {
    const platforms = groups.map((g) => g.platform);
    for (const v of result.report.verdicts) v.platform = platformOfRuntime(v.runtime, platforms);
  }
  return result;
}

/** Refresh: one baseline per platform, each saved under its own platform's key (not the report job's). */
async function refresh(groups: PlatformShards, input: ReportJobInput): Promise<GateResult> {
  const results: GateResult[] = [];
  for (const { platform, merged } of groups) {
    const r = await judgeRun({ mode: merged.mode, benchmarks: merged.benchmarks, report: input.report }, merged.run, {
      ...input,
      saveBaseline: (doc) => input.saveBaseline(doc, platformOf(platform)),
      history: input.historyFor?.(platformOf(platform)),
    });
    if (groups.length > 1) {
      r.report.measurements = r.report.measurements.map((m) => onPlatform(m, platform));
    }
    results.push(r);
  }
  return combineResults(results);
}

function groupOf<T>(groups: Map<string, { accepted: T[]; reasons: Map<number, string> }>, platform: string) {
  let g = groups.get(platform);
  if (!g) groups.set(platform, (g = { accepted: [], reasons: new Map() }));
  return g;
}

function platformOf(label: string): Platform {
  const [os, arch] = label.split('-');
  return { os: os!, arch: arch! };
}

/** A report is believed only about measurements: its claimed commit and PR must match the trusted event. */
function claimProblem(
  r: PartialReport,
  f: { name: string; platform?: string; index: number; count: number },
  platform: string | undefined,
  trusted: ReportJobInput['trusted'],
): string | undefined {
  const where = `artifact ${f.name}`;
  if (r.mode === 'baseline' && !trusted.mayRefresh) {
    return `${where} is a baseline refresh, but the run under report is not a push, schedule or manual run of this repository: refused (a pull request's code never writes the baseline)`;
  }
  if (!platform) return `${where} names no platform in Node's terms (machine os/arch): refused`;
  if (f.platform && f.platform !== platform) {
    return `${where} says it ran on ${platform}, its name says ${f.platform}: refused`;
  }
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
