// A refresh is one point per cell: the key is the refresh's date and commit. A history read from a baseline
// or the branch is not trusted to hold each refresh once, so every path that carries points forward dedupes.
import type { HistoryPoint } from '../model/history.js';

export function refreshKey(p: Pick<HistoryPoint, 'date' | 'commit'>): string {
  return `${p.date}\u0000${p.commit ?? ''}`;
}

/** The points with each refresh once (its first copy), in their order. */
export function onePerRefresh(points: readonly HistoryPoint[]): HistoryPoint[] {
  const byRefresh = new Map<string, HistoryPoint>();
  for (const p of points) if (!byRefresh.has(refreshKey(p))) byRefresh.set(refreshKey(p), p);
  return [...byRefresh.values()];
}
