// The bisection's imperative shell: check the commits, build the ends and the probes in worktrees (each commit
// at most once), measure each against the good commit's build, let core.ts pick the next probe, and always
// remove the worktrees. Returns the report; throws an InputError only for unusable inputs or ends.
import type { Verdict } from '../compare/types.js';
import { InputError } from '../config/input-error.js';
import { cancelledBy } from '../measure/cancellation.js';
import { runBuild, type BuildResult } from './build.js';
import { answers, measurementBudget, nextProbe, searches, wantsMoreRounds, type ProbeResult } from './core.js';
import { cellKey, changedCells, probeSides, probeThreshold, type FollowedCell } from './decide.js';
import { measureProbe, planIn, type ProbeContext } from './probe.js';
import { commitInfo, commitRange, resolveCommit, worktrees, type CommitInfo } from './repo.js';
import { summarize } from './outcome.js';
import type { BisectProbe, BisectReport, ProbeChange } from './types.js';

export interface BisectOptions {
  good: string;
  bad: string;
  build: string;
  buildTimeoutMs: number;
  /** cells to follow (benchmark or benchmark/runtime); empty: every changed cell */
  cells: readonly string[];
  alpha: number;
}

export interface BisectIO extends ProbeContext {
  /** one line per probe (the CLI's progress, the action's log) */
  onProbe?: (probe: BisectProbe, measured: number, budget: number) => void;
}

export async function runBisect(o: BisectOptions, io: BisectIO): Promise<BisectReport> {
  const cwd = io.workspace;
  const good = await resolveCommit(cwd, o.good, 'bisect-good');
  const bad = await resolveCommit(cwd, o.bad, 'bisect-bad');
  const commits = await commitRange(cwd, good, bad);
  const last = commits.length - 1;
  const budget = measurementBudget(last);
  const share = o.alpha / budget;
  io.io.log(
    `bisect: ${last} commits after ${good.slice(0, 12)} up to ${bad.slice(0, 12)}; at most ${budget} measurements at alpha ${o.alpha} / ${budget} each`,
  );
  const trees = worktrees(cwd, io.tempDir);
  const probes: BisectProbe[] = [];
  let builds = 0;
  const build = async (i: number): Promise<{ dir: string; info: CommitInfo; result: BuildResult }> => {
    const sha = commits[i]!;
    const dir = await trees.add(sha);
    builds++;
    return { dir, info: await commitInfo(cwd, sha), result: await runBuild(o.build, dir, o.buildTimeoutMs) };
  };
  const row = (i: number, info: CommitInfo, rest: Partial<BisectProbe> & Pick<BisectProbe, 'build' | 'decision'>) => {
    const p: BisectProbe = {
      commit: info.sha,
      subject: info.subject,
      author: info.author,
      position: i,
      role: i === 0 ? 'good' : i === last ? 'bad' : 'probe',
      changes: [],
      ...rest,
    };
    probes.push(p);
    io.onProbe?.(p, probes.filter((x) => x.role !== 'good' && x.build === 'built').length, budget);
    return p;
  };
  try {
    const g = await build(0);
    if (!g.result.ok) throw endFailed('bisect-good', good, g.result.reason);
    const goodArtifacts = (await planIn(io, g.dir)).benchmarks.map((b) => b.artifact);
    row(0, g.info, { build: 'built', buildMs: g.result.ms, decision: 'the reference every probe is measured against' });
    const b = await build(last);
    if (!b.result.ok) throw endFailed('bisect-bad', bad, b.result.reason);
    const ends = await measureProbe(io, b.dir, goodArtifacts, share);
    await trees.remove(bad);
    const followed = changedCells(ends, o.cells);
    const reproduced = followed.length > 0;
    row(last, b.info, {
      build: 'built',
      buildMs: b.result.ms,
      changes: changes(ends, followed.length ? followed : undefined),
      decision: reproduced
        ? `changed on ${followed.length} cell${followed.length === 1 ? '' : 's'}: followed`
        : 'not different from good beyond the threshold: the change does not reproduce here',
    });
    const results = new Map<number, ProbeResult>();
    const keys = followed.map((c) => c.key);
    let measured = 1;
    const halfway = (bench: string, metric: string) => probeThreshold(followed, bench, metric);
    for (;;) {
      if (!reproduced || cancelledBy() !== undefined) break;
      const i = nextProbe(commits.length, keys, results, measured);
      if (i === undefined) break;
      const p = await build(i);
      const skip = !p.result.ok ? p.result.reason : undefined;
      let verdicts: Verdict[] | undefined;
      let noArtifact: string | undefined;
      let again = false;
      if (!skip) {
        try {
          verdicts = await measureProbe(io, p.dir, goodArtifacts, share, halfway);
          measured++;
          results.set(i, { kind: 'measured', sides: probeSides(verdicts, followed) });
          // Undecided where it matters: measure once more with twice the rounds before calling the range ambiguous.
          if (wantsMoreRounds(commits.length, keys, results, i) && measured < budget && cancelledBy() === undefined) {
            again = true;
            verdicts = await measureProbe(io, p.dir, goodArtifacts, share, halfway, 2);
            measured++;
          }
        } catch (e) {
          if (!(e instanceof InputError)) throw e;
          noArtifact = `built no matching artifact (${e.message})`;
        }
      }
      await trees.remove(commits[i]!);
      if (cancelledBy() !== undefined) break;
      if (!verdicts) {
        const reason = skip ? `build failed: ${skip}` : noArtifact!;
        results.set(i, { kind: 'skipped', reason });
        row(i, p.info, { build: 'skipped', buildMs: p.result.ms, reason, decision: 'skipped (like git bisect skip)' });
        continue;
      }
      const sides = probeSides(verdicts, followed);
      results.set(i, { kind: 'measured', sides });
      row(i, p.info, {
        build: 'built',
        buildMs: p.result.ms,
        changes: changes(verdicts, followed, sides),
        decision: `${decisionText(sides)}${again ? ' (measured twice: the first was inconclusive)' : ''}`,
      });
    }
    const found = answers(searches(commits.length, keys, results));
    return await summarize({
      cwd,
      commits,
      followed,
      found,
      probes,
      builds,
      alpha: o.alpha,
      share,
      budget,
      cancelled: cancelledBy(),
    });
  } finally {
    await trees.close();
  }
}

function endFailed(input: string, sha: string, reason: string | undefined): InputError {
  return new InputError(
    input,
    `${sha.slice(0, 12)} does not build (${reason ?? 'unknown'})`,
    'Give an end that builds with the `build` command (a bisection measures every probe against the good end).',
  );
}

/** The followed cells' verdicts (all cells' when none is followed yet). */
function changes(
  verdicts: readonly Verdict[],
  followed: readonly FollowedCell[] | undefined,
  sides?: Record<string, string>,
): ProbeChange[] {
  return verdicts
    .map((v) => ({ v, key: cellKey(v) }))
    .filter(({ key }) => !followed || followed.some((c) => c.key === key))
    .map(({ v, key }) => ({
      cell: key,
      kind: v.kind,
      ...(v.ratio !== undefined ? { ratio: v.ratio } : {}),
      ...(v.interval ? { interval: v.interval } : {}),
      ...(sides?.[key] ? { side: sides[key] as ProbeChange['side'] } : {}),
    }));
}

function decisionText(sides: Record<string, string>): string {
  const values = [...new Set(Object.values(sides))];
  if (values.length === 1) return values[0] === 'unclear' ? 'inconclusive: the range stays open' : values[0]!;
  return Object.entries(sides)
    .map(([cell, side]) => `${side} for ${cell}`)
    .join('; ');
}
