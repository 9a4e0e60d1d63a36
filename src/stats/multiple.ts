// Multiple-comparison control across all cells of a run: with 200 cells at alpha = 0.05, ten
// unadjusted false alarms per run would be expected. Holm controls the family-wise error rate
// (default: any false alarm fails a build); Benjamini–Hochberg controls the false discovery rate.

export type Correction = 'holm' | 'bh' | 'none';

/** Indices of `ps` sorted by ascending p (stable). */
function ascendingOrder(ps: readonly number[]): number[] {
  return ps.map((_, i) => i).sort((a, b) => (ps[a] as number) - (ps[b] as number) || a - b);
}

/** Holm step-down adjusted p-values, in the input order. */
export function holm(ps: readonly number[]): number[] {
  const m = ps.length;
  const adjusted = new Array<number>(m).fill(1);
  let running = 0;
  ascendingOrder(ps).forEach((index, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * (ps[index] as number)));
    adjusted[index] = running;
  });
  return adjusted;
}

/** Benjamini–Hochberg step-up adjusted p-values (q-values), in the input order. */
export function benjaminiHochberg(ps: readonly number[]): number[] {
  const m = ps.length;
  const adjusted = new Array<number>(m).fill(1);
  const order = ascendingOrder(ps);
  let running = 1;
  for (let rank = m - 1; rank >= 0; rank--) {
    const index = order[rank] as number;
    running = Math.min(running, (m / (rank + 1)) * (ps[index] as number));
    adjusted[index] = Math.min(1, running);
  }
  return adjusted;
}

/** Adjust with the named method. */
export function adjustPValues(ps: readonly number[], correction: Correction): number[] {
  if (correction === 'holm') return holm(ps);
  if (correction === 'bh') return benjaminiHochberg(ps);
  return ps.slice();
}
