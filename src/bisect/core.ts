// The bisection itself, pure: commits good..bad as indices 0..n-1 (0 is good, n-1 is bad), what each probe
// found per followed cell, and from that each cell's open range, its next probe or its answer. Like
// `git bisect`, but per cell (cells may have different culprits) and never guessing: a probe that decided
// nothing for a cell ends that cell's search with the range still open (docs/bisect.md).

/** Which side of the change a probed commit is on, for one cell: like the good end, like the bad end, or not known. */
export type Side = 'good' | 'bad' | 'unclear';

export type ProbeResult =
  /** did not build, or built no matching artifact: like `git bisect skip` */
  { kind: 'skipped'; reason: string } | { kind: 'measured'; sides: Readonly<Record<string, Side>> };

/** A cell's search: `lo` is its newest good commit and `hi` its oldest bad one (indices). */
export type CellSearch =
  | { kind: 'open'; lo: number; hi: number; next: number }
  /** the culprit is `hi`; when hi - lo > 1 the commits between were skipped and it is the range lo+1..hi */
  | { kind: 'found'; lo: number; hi: number }
  /** a probe in lo..hi decided nothing (or the probes contradict each other): the answer is the range lo+1..hi */
  | { kind: 'ambiguous'; lo: number; hi: number; why: string };

/**
 * Measurements a bisection of `commits` culprit candidates may spend, the ends' check included: one for the
 * ends, ⌈log2⌉ per culprit for up to two culprits (cells that part ways), 2 spare for skipped commits. The
 * run's alpha is split evenly over them up front (Bonferroni), so the whole bisection keeps it; a third
 * culprit finds the budget spent and is reported as its open range.
 */
export function measurementBudget(commits: number): number {
  return 1 + 2 * Math.ceil(Math.log2(Math.max(1, commits))) + 2;
}

/** Where cell `cell` stands after `probes` (index → result) over `count` commits. */
export function cellSearch(count: number, cell: string, probes: ReadonlyMap<number, ProbeResult>): CellSearch {
  const sideAt = (i: number): Side | 'skipped' | undefined => {
    const p = probes.get(i);
    if (!p) return undefined;
    return p.kind === 'skipped' ? 'skipped' : (p.sides[cell] ?? 'unclear');
  };
  let hi = count - 1;
  for (let i = 1; i < count - 1; i++) if (sideAt(i) === 'bad' && i < hi) hi = i;
  let lo = 0;
  for (let i = 1; i < hi; i++) if (sideAt(i) === 'good') lo = i;
  for (let i = lo + 1; i < hi; i++) {
    if (sideAt(i) === 'unclear') return { kind: 'ambiguous', lo, hi, why: 'a probe in the range was inconclusive' };
  }
  for (let i = hi + 1; i < count - 1; i++) {
    if (sideAt(i) === 'good') return { kind: 'ambiguous', lo, hi, why: 'a later commit measured like the good end' };
  }
  const untested: number[] = [];
  for (let i = lo + 1; i < hi; i++) if (sideAt(i) === undefined) untested.push(i);
  if (untested.length === 0) return { kind: 'found', lo, hi };
  return { kind: 'open', lo, hi, next: nearest(untested, Math.floor((lo + hi) / 2)) };
}

function nearest(candidates: readonly number[], target: number): number {
  return candidates.reduce((best, c) => (Math.abs(c - target) < Math.abs(best - target) ? c : best));
}

/** Every followed cell's search. */
export function searches(
  count: number,
  cells: readonly string[],
  probes: ReadonlyMap<number, ProbeResult>,
): Map<string, CellSearch> {
  return new Map(cells.map((c) => [c, cellSearch(count, c, probes)]));
}

/**
 * The next commit to build and measure, or undefined when every cell is answered or the measurement budget
 * is spent (`measured` counts the ends' check). The first open cell leads; cells sharing its range share the probe.
 */
export function nextProbe(
  count: number,
  cells: readonly string[],
  probes: ReadonlyMap<number, ProbeResult>,
  measured: number,
): number | undefined {
  if (measured >= measurementBudget(count - 1)) return undefined;
  for (const c of cells) {
    const s = cellSearch(count, c, probes);
    if (s.kind === 'open') return s.next;
  }
  return undefined;
}

/**
 * Whether probe `i` should be measured again with more rounds: it left some cell undecided inside that cell's
 * open range (elsewhere its side does not matter). The caller re-measures once, if the budget allows.
 */
export function wantsMoreRounds(
  count: number,
  cells: readonly string[],
  probes: ReadonlyMap<number, ProbeResult>,
  i: number,
): boolean {
  const p = probes.get(i);
  if (p?.kind !== 'measured') return false;
  const without = new Map(probes);
  without.delete(i);
  return cells.some((c) => {
    if (p.sides[c] !== 'unclear') return false;
    const s = cellSearch(count, c, without);
    return s.kind === 'open' && s.lo < i && i < s.hi;
  });
}

/** One answer of the bisection: the cells that share it and the commit range (a single commit when lo + 1 = hi). */
export interface Answer {
  cells: string[];
  kind: 'culprit' | 'culprit-range' | 'ambiguous';
  /** indices of the first and last commit that may be the culprit */
  from: number;
  to: number;
  why?: string;
}

/** The cells' searches grouped by answer; an open search (budget spent) is an ambiguous range. */
export function answers(found: ReadonlyMap<string, CellSearch>): Answer[] {
  const out: Answer[] = [];
  for (const [cell, s] of found) {
    const kind = s.kind === 'found' ? (s.hi - s.lo === 1 ? 'culprit' : 'culprit-range') : 'ambiguous';
    const why = s.kind === 'ambiguous' ? s.why : s.kind === 'open' ? 'the measurement budget was spent' : undefined;
    const same = out.find((a) => a.kind === kind && a.from === s.lo + 1 && a.to === s.hi && a.why === why);
    if (same) same.cells.push(cell);
    else out.push({ cells: [cell], kind, from: s.lo + 1, to: s.hi, ...(why ? { why } : {}) });
  }
  return out;
}
