// Midranks with tie bookkeeping, shared by the signed-rank and rank-sum tests.

export interface Ranking {
  /** 1-based midranks in the input order (ties share the average of their positions) */
  ranks: number[];
  /** sizes of tied groups larger than one, for the variance tie correction */
  tieSizes: number[];
}

export function midranks(xs: readonly number[]): Ranking {
  const order = xs.map((_, i) => i).sort((a, b) => (xs[a] as number) - (xs[b] as number));
  const ranks = new Array<number>(xs.length);
  const tieSizes: number[] = [];
  let start = 0;
  while (start < order.length) {
    let end = start + 1;
    while (end < order.length && xs[order[end] as number] === xs[order[start] as number]) end++;
    const rank = (start + 1 + end) / 2; // average of 1-based positions start+1 … end
    for (let k = start; k < end; k++) ranks[order[k] as number] = rank;
    if (end - start > 1) tieSizes.push(end - start);
    start = end;
  }
  return { ranks, tieSizes };
}

/** Σ (t³ − t) over tie groups: the quantity both rank tests subtract from their variance. */
export function tieCorrection(tieSizes: readonly number[]): number {
  return tieSizes.reduce((sum, t) => sum + (t * t * t - t), 0);
}
