// The suite's `time-budget` shared over its cells in two passes (docs/statistics.md: suite time budget). Pure.
// Even shares of what is left, so time a cell does not need flows to the cells that do.

/** What the next cell may spend in the first pass. */
export function firstPassAllowance(leftMs: number, cellsLeft: number, maxTimeMs: number): number {
  if (cellsLeft <= 0) return 0;
  return Math.max(0, Math.min(maxTimeMs, leftMs / cellsLeft));
}

export interface UndecidedCell {
  /** time the cell spent in the first pass */
  spentMs: number;
}

/**
 * Second pass: the total time each undecided cell may reach (spent + its share of what is left), in input
 * order; a cell's share beyond max-time goes to the others. 0 extra for a cell means it is not resumed.
 */
export function secondPassTotals(leftMs: number, cells: readonly UndecidedCell[], maxTimeMs: number): number[] {
  const totals = cells.map((c) => c.spentMs);
  let left = Math.max(0, leftMs);
  let open = cells.map((_, i) => i).filter((i) => totals[i]! < maxTimeMs);
  // Even shares, re-shared while some cell is capped (at most one pass per cell).
  while (open.length > 0 && left > 1) {
    const share = left / open.length;
    const next: number[] = [];
    for (const i of open) {
      const room = maxTimeMs - totals[i]!;
      const add = Math.min(room, share);
      totals[i] = totals[i]! + add;
      left -= add;
      if (add < room) next.push(i);
    }
    if (next.length === open.length) break;
    open = next;
  }
  return totals;
}

/** A process start costs at least this much (a runtime's start-up): the floor of a run before any is measured. */
export const RUN_FLOOR_MS = 5;

const seconds = (ms: number) => `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;

/**
 * The warning, before measuring (or after its first cell), that `cells` cannot all fit the budget at `cellMs`
 * each: a floor (`floor`, so "at least"), or what the first cell took, set-up included. Undefined when they fit.
 */
export function shortfallWarning(
  s: { cells: number; cellMs: number; budgetMs: number; minRuns: number; floor: boolean },
  basis: string,
): string | undefined {
  const needMs = s.cells * s.cellMs;
  if (needMs <= s.budgetMs) return undefined;
  const fit = Math.min(s.cells, Math.max(1, Math.floor(s.budgetMs / s.cellMs)));
  const fits = s.floor ? 'at most' : 'about';
  return (
    `time-budget: ${s.cells} cells at min-runs ${s.minRuns} need ${s.floor ? 'at least' : 'about'} ${seconds(needMs)} ` +
    `(${basis}), over the ${seconds(s.budgetMs)} budget: ${fits} ${fit} fit, and the cells that do not will be ` +
    'reported as not measured. Raise `time-budget`, lower `min-runs`, or split the run with `shard`.'
  );
}

/** Cell names shown in the not-measured warning; the JSON report's measurements list every measured one. */
const NAMES_SHOWN = 20;

/** The warning naming the cells the budget left out. */
export function notMeasuredWarning(names: readonly string[], total: number, budgetMs: number): string {
  const shown = names.slice(0, NAMES_SHOWN).join(', ');
  const more = names.length > NAMES_SHOWN ? `, … and ${names.length - NAMES_SHOWN} more` : '';
  return (
    `time-budget: the ${seconds(budgetMs)} budget ran out: ${names.length} of ${total} cells were not measured: ` +
    `${shown}${more}. Raise \`time-budget\` or split the run with \`shard\`.`
  );
}
