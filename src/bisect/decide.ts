// From verdicts to bisection facts (pure): which cells the good..bad range changed (the cells followed),
// which side of the change a probe is on for each of them, and the threshold a probe is judged at.
import type { Verdict, VerdictKind } from '../model/verdict.js';
import type { Side } from './core.js';

/** A changed cell of the ends' comparison: the bisection follows it. */
export interface FollowedCell {
  key: string;
  benchmark: string;
  runtime: string;
  metric: string;
  /** bad / good, as measured side by side */
  ratio: number;
  interval?: [number, number];
  kind: VerdictKind;
}

const WORSE: readonly VerdictKind[] = ['regressed', 'likely-regressed'];
const BETTER: readonly VerdictKind[] = ['improved', 'likely-improved'];

/** benchmark × runtime (without its version: probes may resolve it alike) × metric. */
export function cellKey(v: Pick<Verdict, 'benchmark' | 'runtime' | 'metric'>): string {
  return `${v.benchmark} · ${v.runtime.replace(/@[^@]*$/, '')} · ${v.metric}`;
}

/**
 * The cells whose bad end differs from the good end beyond the threshold: all of them, or those `named`
 * (a benchmark id, or `benchmark/runtime` with the runtime's name and variant).
 */
export function changedCells(verdicts: readonly Verdict[], named: readonly string[]): FollowedCell[] {
  return verdicts
    .filter((v) => (WORSE.includes(v.kind) || BETTER.includes(v.kind)) && v.ratio !== undefined)
    .filter((v) => named.length === 0 || named.some((n) => isNamed(v, n)))
    .map((v) => ({
      key: cellKey(v),
      benchmark: v.benchmark,
      runtime: v.runtime,
      metric: v.metric,
      ratio: v.ratio!,
      ...(v.interval ? { interval: v.interval } : {}),
      kind: v.kind,
    }));
}

/**
 * The first of `named` that names no cell of `verdicts`, with the names that do exist, closest first (edit
 * distance, then alphabetical): a misspelt bisect-cells must be an error, never "the change does not reproduce".
 */
export function unknownCell(
  verdicts: readonly Verdict[],
  named: readonly string[],
): { name: string; closest: string[] } | undefined {
  const name = named.find((n) => !verdicts.some((v) => isNamed(v, n)));
  if (name === undefined) return undefined;
  const names = new Set(verdicts.flatMap((v) => [v.benchmark, `${v.benchmark}/${v.runtime.replace(/@[^@]*$/, '')}`]));
  const scored = [...names].map((n) => ({ n, d: editDistance(name, n) }));
  scored.sort((a, b) => a.d - b.d || (a.n < b.n ? -1 : a.n > b.n ? 1 : 0));
  return { name, closest: scored.map((x) => x.n) };
}

/** Levenshtein distance (insert, delete, substitute: 1 each), two rows. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

function isNamed(v: Verdict, name: string): boolean {
  const runtime = v.runtime.replace(/@[^@]*$/, '');
  return name === v.benchmark || name === `${v.benchmark}/${runtime}` || name === `${v.benchmark}/${v.runtime}`;
}

/** A probe's side per followed cell: changed like the bad end → bad, unchanged → good, anything else unclear. */
export function probeSides(verdicts: readonly Verdict[], followed: readonly FollowedCell[]): Record<string, Side> {
  const out: Record<string, Side> = {};
  for (const cell of followed) {
    const v = verdicts.find((x) => cellKey(x) === cell.key);
    const like = WORSE.includes(cell.kind) ? WORSE : BETTER;
    out[cell.key] = !v ? 'unclear' : like.includes(v.kind) ? 'bad' : v.kind === 'unchanged' ? 'good' : 'unclear';
  }
  return out;
}

/**
 * The relative threshold a probe of `benchmark` is judged at for `metric`: half the ends' change (the
 * midpoint between good and bad, so "changed" and "unchanged" ask which end a commit is nearer), the
 * smallest over the followed cells of that benchmark and metric.
 */
export function probeThreshold(
  followed: readonly FollowedCell[],
  benchmark: string,
  metric: string,
): number | undefined {
  const halves = followed
    .filter((c) => c.benchmark === benchmark && c.metric === metric)
    .map((c) => Math.abs(c.ratio - 1) / 2);
  return halves.length ? Math.min(...halves) : undefined;
}
