// The bisection's imperative shell: check the commits, build the ends and the probes in worktrees (each commit
// at most once), measure each against the good commit's build, let core.ts pick the next probe, and always
// remove the worktrees. Returns the report; throws an InputError only for unusable inputs or ends.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Verdict } from '../model/verdict.js';
import { InputError } from '../model/input-error.js';
import { cancelledBy } from '../process/cancellation.js';
import { runBuild, type BuildResult } from './build.js';
import { answers, measurementBudget, nextProbe, searches, wantsMoreRounds, type ProbeResult } from './core.js';
import { cellKey, changedCells, probeSides, probeThreshold, unknownCell, type FollowedCell } from './decide.js';
import { measureProbe, planIn, type ProbeContext } from './probe.js';
import {
  commitInfo,
  commitRange,
  pruneStaleWorktrees,
  resolveCommit,
  worktrees,
  type CommitInfo,
  type Worktrees,
} from './repo.js';
import { summarize } from './outcome.js';
import type { BisectProbe, BisectReport, ProbeChange } from './types.js';

export interface BisectOptions {
  good: string;
  bad: string;
  build: string;
  buildTimeoutMs: number;
  /** `build-env`: further variable names (or `PREFIX_*`) the build gets */
  buildEnv: readonly string[];
  /** cells to follow (benchmark or benchmark/runtime); empty: every changed cell */
  cells: readonly string[];
  alpha: number;
}

export interface BisectIO extends ProbeContext {
  /** one line per probe (the CLI's progress, the action's log) */
  onProbe?: (probe: BisectProbe, measured: number, budget: number) => void;
}

/** One bisection's state: the commits, the worktrees, what was built and measured so far. */
interface Session {
  o: BisectOptions;
  io: BisectIO;
  commits: string[];
  trees: Worktrees;
  probes: BisectProbe[];
  builds: number;
  measured: number;
  budget: number;
  share: number;
}

type Built = { dir: string; info: CommitInfo; result: BuildResult };

export async function runBisect(o: BisectOptions, io: BisectIO): Promise<BisectReport> {
  const cwd = io.workspace;
  const good = await resolveCommit(cwd, o.good, 'bisect-good');
  const bad = await resolveCommit(cwd, o.bad, 'bisect-bad');
  const commits = await commitRange(cwd, good, bad);
  const stale = await pruneStaleWorktrees(cwd, io.tempDir);
  if (stale.length > 0)
    io.io.log(`bisect: removed ${stale.length} worktree(s) an earlier, killed bisection left behind`);
  const budget = measurementBudget(commits.length - 1);
  io.io.log(
    `bisect: ${commits.length - 1} commits after ${good.slice(0, 12)} up to ${bad.slice(0, 12)}; at most ${budget} measurements at alpha ${o.alpha} / ${budget} each`,
  );
  const s: Session = {
    o,
    io,
    commits,
    trees: worktrees(cwd, io.tempDir),
    probes: [],
    builds: 0,
    measured: 0,
    budget,
    share: o.alpha / budget,
  };
  try {
    const { goodArtifacts, followed } = await measureEnds(s);
    const results = new Map<number, ProbeResult>();
    while (followed.length > 0 && cancelledBy() === undefined) {
      const i = nextProbe(
        commits.length,
        followed.map((c) => c.key),
        results,
        s.measured,
      );
      if (i === undefined || !(await probe(s, i, goodArtifacts, followed, results))) break;
    }
    const found = answers(
      searches(
        commits.length,
        followed.map((c) => c.key),
        results,
      ),
    );
    return await summarize({ ...s, cwd, followed, found, alpha: o.alpha, cancelled: cancelledBy() });
  } finally {
    await s.trees.close();
  }
}

async function build(s: Session, i: number): Promise<Built> {
  const sha = s.commits[i]!;
  const dir = await s.trees.add(sha);
  s.builds++;
  return {
    dir,
    info: await commitInfo(s.io.workspace, sha),
    result: await runBuild(s.o.build, dir, s.o.buildTimeoutMs, s.o.buildEnv),
  };
}

function row(
  s: Session,
  i: number,
  info: CommitInfo,
  rest: Partial<BisectProbe> & Pick<BisectProbe, 'build' | 'decision'>,
) {
  const last = s.commits.length - 1;
  const p: BisectProbe = {
    commit: info.sha,
    subject: info.subject,
    author: info.author,
    position: i,
    role: i === 0 ? 'good' : i === last ? 'bad' : 'probe',
    changes: [],
    ...rest,
  };
  s.probes.push(p);
  s.io.onProbe?.(p, s.measured, s.budget);
}

/** Builds good and bad, measures bad against good: the cells that changed are the ones followed. */
async function measureEnds(s: Session): Promise<{ goodArtifacts: string[]; followed: FollowedCell[] }> {
  const last = s.commits.length - 1;
  const g = await build(s, 0);
  // A cancel kills the build: that is the run being cancelled, not an end that does not build.
  if (!g.result.ok && cancelledBy() !== undefined) return { goodArtifacts: [], followed: [] };
  if (!g.result.ok) throw endFailed('bisect-good', s.commits[0]!, g.result.reason, g.dir);
  const goodArtifacts = (await planIn(s.io, g.dir)).benchmarks.map((b) => b.artifact);
  row(s, 0, g.info, {
    build: 'built',
    buildMs: g.result.ms,
    decision: 'the reference every probe is measured against',
  });
  const b = await build(s, last);
  if (!b.result.ok && cancelledBy() !== undefined) return { goodArtifacts, followed: [] };
  if (!b.result.ok) throw endFailed('bisect-bad', s.commits[last]!, b.result.reason, b.dir);
  const ends = await measureProbe(s.io, b.dir, goodArtifacts, s.share);
  s.measured++;
  await s.trees.remove(s.commits[last]!);
  const unknown = cancelledBy() === undefined ? unknownCell(ends, s.o.cells) : undefined;
  if (unknown) {
    const shown = unknown.closest.slice(0, 8).join(', ') + (unknown.closest.length > 8 ? ', …' : '');
    throw new InputError(
      'bisect-cells',
      `'${unknown.name}' is not a cell of this bisection (the cells are benchmark or benchmark/runtime; closest first: ${shown})`,
      'Name a cell that exists, spelt as above, or leave bisect-cells empty to follow every changed cell.',
    );
  }
  const followed = changedCells(ends, s.o.cells);
  row(s, last, b.info, {
    build: 'built',
    buildMs: b.result.ms,
    changes: changes(ends, followed.length ? followed : undefined),
    decision: followed.length
      ? `changed on ${followed.length} cell${followed.length === 1 ? '' : 's'}: followed`
      : 'not different from good beyond the threshold: the change does not reproduce here',
  });
  return { goodArtifacts, followed };
}

/** Builds and measures commit `i` into `results`; false when a cancel stopped it. */
async function probe(
  s: Session,
  i: number,
  goodArtifacts: readonly string[],
  followed: readonly FollowedCell[],
  results: Map<number, ProbeResult>,
): Promise<boolean> {
  const p = await build(s, i);
  const measured = p.result.ok ? await measureSides(s, i, p.dir, goodArtifacts, followed, results) : undefined;
  await s.trees.remove(s.commits[i]!);
  if (cancelledBy() !== undefined) return false;
  if (!measured || 'skip' in measured) {
    const reason = measured ? measured.skip : `build failed: ${p.result.reason ?? 'unknown'}`;
    results.set(i, { kind: 'skipped', reason });
    row(s, i, p.info, { build: 'skipped', buildMs: p.result.ms, reason, decision: 'skipped (like git bisect skip)' });
    return true;
  }
  const sides = probeSides(measured.verdicts, followed);
  results.set(i, { kind: 'measured', sides });
  row(s, i, p.info, {
    build: 'built',
    buildMs: p.result.ms,
    changes: changes(measured.verdicts, followed, sides),
    decision: `${decisionText(sides)}${measured.again ? ' (measured twice: the first was inconclusive)' : ''}`,
  });
  return true;
}

/**
 * Measures a built probe; once more with twice the rounds when it left a followed cell undecided inside that
 * cell's open range (budget allowing) before that range is called ambiguous. A build without a matching
 * artifact is a skip.
 */
async function measureSides(
  s: Session,
  i: number,
  dir: string,
  goodArtifacts: readonly string[],
  followed: readonly FollowedCell[],
  results: Map<number, ProbeResult>,
): Promise<{ verdicts: Verdict[]; again: boolean } | { skip: string }> {
  const halfway = (bench: string, metric: string) => probeThreshold(followed, bench, metric);
  let verdicts: Verdict[];
  try {
    verdicts = await measureProbe(s.io, dir, goodArtifacts, s.share, halfway);
  } catch (e) {
    if (!(e instanceof InputError)) throw e;
    return { skip: `built no matching artifact (${e.message})` };
  }
  s.measured++;
  results.set(i, { kind: 'measured', sides: probeSides(verdicts, followed) });
  const keys = followed.map((c) => c.key);
  const again =
    wantsMoreRounds(s.commits.length, keys, results, i) && s.measured < s.budget && cancelledBy() === undefined;
  if (!again) return { verdicts, again };
  s.measured++;
  return { verdicts: await measureProbe(s.io, dir, goodArtifacts, s.share, halfway, 2), again };
}

function endFailed(input: string, sha: string, reason: string | undefined, dir: string): InputError {
  // `git worktree add` checks out no submodules: a build that needs them must fetch them itself.
  const submodules = existsSync(join(dir, '.gitmodules'))
    ? ' The repository has submodules, and a bisection worktree has none checked out: start `build` with `git submodule update --init --recursive &&`.'
    : '';
  return new InputError(
    input,
    `${sha.slice(0, 12)} does not build (${reason ?? 'unknown'})`,
    `Give an end that builds with the \`build\` command (a bisection measures every probe against the good end).${submodules}`,
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
