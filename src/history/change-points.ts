// Change points on main, two paths: a clear step is reported as soon as three refreshes sit past the regime's
// prediction band by more than the cell's threshold (history/fast-path.ts); subtler shifts by binary segmentation
// (history/e-divisive.ts) over each cell's refresh medians (log scale, so a shift is relative), confirmed by fresh
// refreshes. New ones reported once, grouped per benchmark and commit range (pure); docs/adrs/0014-history-and-change-points.md.
import { median } from 'simple-statistics';
import { unpairedChange } from '../stats/unpaired.js';
import { comparablePoints } from './comparable.js';
import { confirmSplits } from './confirm.js';
import { DEFAULT_EDIVISIVE, eDivisive, type EDivisiveOptions } from './e-divisive.js';
import { isDisturbed, usualWidth } from './disturbed.js';
import { fastStep } from './fast-path.js';
import type { ChangePointPath, CellHistory, HistoryPoint, ReportedChangePoint } from '../model/history.js';

export interface ChangePointCell {
  runtime: string;
  metric: string;
  /** median after / median before (segment medians of refresh medians) */
  ratio: number;
  /** 95% Hodges–Lehmann (Moses) interval of the ratio, from the refresh medians on each side */
  interval: [number, number];
  pValue: number;
  before: { median: number; points: number };
  after: { median: number; points: number };
  /** runtime versions on each side, when they differ (a runtime upgrade may be the cause) */
  runtimeVersions?: { before: string; after: string };
  /**
   * which rule found it: `fast` — FAST_REFRESHES refreshes past the regime's prediction band by more than
   * `threshold` (`pValue`: the largest of their t p-values, `interval`: the band around their mean); `permutation` — the
   * permutation test, confirmed by later refreshes (`pValue`: the permutation p). Absent in reports of older versions.
   */
  path?: ChangePointPath;
  /** fast path: the cell's threshold the band was cleared by */
  threshold?: number;
}

export interface ChangePoint {
  benchmark: string;
  /** last commit before the change (undefined when unknown) */
  fromCommit?: string;
  /** first commit measured after the change */
  commit?: string;
  /** date of the refresh that measured `commit` */
  date: string;
  cells: ChangePointCell[];
}

export interface DetectOptions extends Partial<EDivisiveOptions> {
  /** interval confidence of each change's size. Default 0.95 */
  confidence?: number;
  /** smallest relative shift reported. Default 0.02: smaller ones are mostly session noise (ADR 0014, "Measured") */
  minChange?: number;
  /** refreshes after a split is first seen that must confirm it before it is reported (0: at once). Default CONFIRM_FRESH */
  confirmFresh?: number;
  /** fewest points after a split before it counts at a look. Default MIN_AFTER */
  minAfter?: number;
  /** the fast path for a clear step (history/fast-path.ts). Default on */
  fastPath?: boolean;
  /** the cell's threshold, which the fast path's band must be cleared by. Default DEFAULT_THRESHOLD */
  thresholdOf?: (benchmark: string, metric: string) => number;
}

/** The action's default threshold, for callers that know no cell's. */
export const DEFAULT_THRESHOLD = 0.05;

/** Fresh refreshes that must confirm a split: one seen at a single look is usually noise (ADR 0014). */
export const CONFIRM_FRESH = 2;
export const MIN_AFTER = 3;
/** Smallest relative shift reported as a change point. */
export const MIN_CHANGE = 0.02;

export interface DetectResult {
  /** change points not reported by an earlier refresh, oldest first */
  changePoints: ChangePoint[];
  /** the histories with the new change points remembered */
  history: CellHistory[];
}

/** A cell's new change point before grouping: `point` is its first point (a sibling's, when they join). */
interface Found {
  benchmark: string;
  runtime: string;
  point: HistoryPoint;
  before?: HistoryPoint;
  cell: ChangePointCell;
}

/** Finds each cell's change points and returns those not reported before. */
export function detectNewChangePoints(history: readonly CellHistory[], options: DetectOptions = {}): DetectResult {
  const found: Found[] = [];
  const updated = history.map((h) => {
    const points = comparablePoints(h.points);
    const { fresh, pending } = look(h, points, options);
    const { pending: _stale, ...rest } = h;
    const next: CellHistory = pending.length > 0 ? { ...rest, pending } : rest;
    if (fresh.length === 0) return next;
    // The same shift seen on another metric of this benchmark × runtime is one change point: one that
    // confirmed on a sibling at an earlier refresh is only remembered here, one at this refresh joins its group.
    const siblings = history.filter((o) => o !== h && o.benchmark === h.benchmark && o.runtime === h.runtime);
    const reportedBefore = new Set(siblings.flatMap((o) => o.changePoints ?? []));
    const reported: ReportedChangePoint[] = [];
    for (const c of fresh) {
      const near = new Set([c.index - 1, c.index, c.index + 1].map((j) => points[j]?.date));
      if ([...near].some((d) => d !== undefined && reportedBefore.has(d))) {
        // remembered here with the range the sibling's report gave, so bisect's default range is that one
        const earlier = siblings.flatMap((o) => o.reported ?? []).find((r) => near.has(r.date));
        if (earlier) reported.push({ ...earlier, date: points[c.index]!.date });
        continue;
      }
      const sibling = found.find(
        (f) => f.benchmark === h.benchmark && f.runtime === h.runtime && near.has(f.point.date),
      );
      const point = sibling?.point ?? points[c.index]!;
      const before = sibling ? sibling.before : points[c.index - 1];
      found.push({
        benchmark: h.benchmark,
        runtime: h.runtime,
        point,
        before,
        cell: { runtime: h.runtime, metric: h.metric, ...c.cell },
      });
      // what was reported, so the trend chart and bisect's default range follow the reported commits
      const entry: ReportedChangePoint = {
        date: points[c.index]!.date,
        path: c.cell.path ?? 'permutation',
        pValue: c.cell.pValue,
        ratio: c.cell.ratio,
      };
      if (point.commit) entry.commit = point.commit;
      if (before?.commit) entry.fromCommit = before.commit;
      reported.push(entry);
    }
    const memory: CellHistory = {
      ...next,
      changePoints: [...(h.changePoints ?? []), ...fresh.map((c) => points[c.index]!.date)],
    };
    if (reported.length > 0) memory.reported = [...(h.reported ?? []), ...reported];
    return memory;
  });
  return { changePoints: group(found), history: updated };
}

/**
 * One look at a cell: a clear step on the fast path, and the significant splits not reported yet, split into
 * confirmed now and still pending. A split within ±1 of the fast path's step is that step.
 */
function look(h: CellHistory, points: readonly HistoryPoint[], options: DetectOptions) {
  const known = new Set(h.changePoints ?? []);
  const isKnown = (i: number): boolean => [i - 1, i, i + 1].some((j) => known.has(points[j]?.date ?? ''));
  const fast = options.fastPath === false ? undefined : fastCandidate(h, points, options);
  const nearFast = (i: number): boolean => fast !== undefined && Math.abs(i - fast.index) <= 1;
  const minAfter = options.minAfter ?? MIN_AFTER;
  const candidates = cellChanges(points, options).filter(
    (c) => !isKnown(c.index) && !nearFast(c.index) && points.length - c.index >= minAfter,
  );
  const levels = candidates.map((c) => ({ index: c.index, before: c.cell.before.median, after: c.cell.after.median }));
  const confirmed = confirmSplits(levels, points, h.pending ?? [], options.confirmFresh ?? CONFIRM_FRESH);
  const fresh = [
    ...(fast && !isKnown(fast.index) ? [fast] : []),
    ...candidates.filter((c) => confirmed.report.includes(c.index)),
  ];
  const pending = confirmed.pending.filter((p) => !fast || !nearFast(points.findIndex((q) => q.date === p.date)));
  return { fresh: fresh.sort((a, b) => a.index - b.index), pending };
}

/** The fast path's step at this look, against the regime since the cell's last reported change point. */
function fastCandidate(
  h: CellHistory,
  points: readonly HistoryPoint[],
  options: DetectOptions,
): { index: number; cell: Omit<ChangePointCell, 'runtime' | 'metric'> } | undefined {
  const known = new Set(h.changePoints ?? []);
  const start = points.reduce((last, p, i) => (known.has(p.date) ? i : last), 0);
  const threshold = options.thresholdOf?.(h.benchmark, h.metric) ?? DEFAULT_THRESHOLD;
  const step = fastStep(points, start, threshold, options.confidence ?? 0.95);
  if (!step) return undefined;
  const cell: Omit<ChangePointCell, 'runtime' | 'metric'> = {
    ratio: step.ratio,
    interval: step.interval,
    pValue: step.pValue,
    before: { median: step.regimeMedian, points: step.regimePoints },
    after: { median: step.afterMedian, points: points.length - step.index },
    path: 'fast',
    threshold,
  };
  const versions = { before: points[step.index - 1]!.runtimeVersion, after: points[step.index]!.runtimeVersion };
  if (versions.before !== versions.after) cell.runtimeVersions = versions;
  return { index: step.index, cell };
}

function cellChanges(
  points: readonly HistoryPoint[],
  options: DetectOptions,
): { index: number; cell: Omit<ChangePointCell, 'runtime' | 'metric'> }[] {
  const logs = points.map((p) => Math.log(p.median));
  const splits = eDivisive(logs, { ...DEFAULT_EDIVISIVE, ...options });
  const bounds = [0, ...splits.map((s) => s.index), points.length];
  const minChange = options.minChange ?? MIN_CHANGE;
  return splits.flatMap((s, i) => {
    const before = points.slice(bounds[i], s.index);
    const after = points.slice(s.index, bounds[i + 2]);
    const estimate = unpairedChange(
      before.map((p) => p.median),
      after.map((p) => p.median),
      options.confidence ?? 0.95,
    );
    if (!(Math.abs(estimate.ratio - 1) >= minChange)) return [];
    if (loadOnly(before, after, estimate.ratio)) return [];
    const cell: Omit<ChangePointCell, 'runtime' | 'metric'> = {
      ratio: estimate.ratio,
      interval: estimate.interval,
      pValue: s.pValue,
      before: { median: median(before.map((p) => p.median)), points: before.length },
      after: { median: median(after.map((p) => p.median)), points: after.length },
      path: 'permutation',
    };
    const versions = { before: before.at(-1)!.runtimeVersion, after: after[0]!.runtimeVersion };
    if (versions.before !== versions.after) cell.runtimeVersions = versions;
    return [{ index: s.index, cell }];
  });
}

/**
 * A split whose slower side is a spell of load, not a change: its undisturbed refreshes (interval within
 * DISTURBED_WIDTH × the faster side's usual width) are fewer than two, or sit nearer the faster side's level than
 * the slower side's. On the recorded loaded wall time the slow sessions (34–56%) had intervals 17–66% wide; a change
 * to the code moves the median and keeps the relative width, so a real step's slower side has tight refreshes at
 * its level too. The fast path never takes disturbed refreshes either; a change that makes every run scatter is
 * the PR gate's to catch (ADR 0014, "Quiet on loaded noise").
 */
function loadOnly(before: readonly HistoryPoint[], after: readonly HistoryPoint[], ratio: number): boolean {
  const [faster, slower] = ratio > 1 ? [before, after] : [after, before];
  const usual = usualWidth(faster);
  const clean = slower.filter((p) => !isDisturbed(p, usual));
  if (clean.length === slower.length) return false;
  if (clean.length < 2) return true;
  const level = (ps: readonly HistoryPoint[]) => median(ps.map((p) => Math.log(p.median)));
  const at = level(clean);
  return Math.abs(at - level(faster)) <= Math.abs(at - level(slower));
}

/** One change point per benchmark and first commit after it; cells sorted by runtime, metric. */
function group(found: readonly Found[]): ChangePoint[] {
  const out = new Map<string, ChangePoint>();
  for (const f of found) {
    const key = `${f.benchmark}\u0000${f.point.commit ?? f.point.date}`;
    let cp = out.get(key);
    if (!cp) {
      cp = { benchmark: f.benchmark, date: f.point.date, cells: [] };
      if (f.before?.commit) cp.fromCommit = f.before.commit;
      if (f.point.commit) cp.commit = f.point.commit;
      out.set(key, cp);
    }
    cp.cells.push(f.cell);
  }
  const list = [...out.values()];
  for (const cp of list)
    cp.cells.sort((a, b) => a.runtime.localeCompare(b.runtime) || a.metric.localeCompare(b.metric));
  return list.sort((a, b) => a.date.localeCompare(b.date) || a.benchmark.localeCompare(b.benchmark));
}
