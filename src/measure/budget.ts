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
