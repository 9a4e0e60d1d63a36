// One plain-text line per probe, for the action's log and the CLI's progress.
import { formatChange } from '../model/format.js';
import type { BisectProbe } from './types.js';

/** `abc1234def56 (probe) built → wall +98.1% [+95.0%, +101.2%] → bad`; subjects stay out (untrusted, long). */
export function probeLine(p: BisectProbe): string {
  const change = p.changes.map((c) => `${c.cell.split(' · ').at(-1)} ${formatChange(c.ratio, c.interval)}`).join(', ');
  const why = p.reason ? ` (${p.reason})` : '';
  return `${p.commit.slice(0, 12)} (${p.role}) ${p.build}${why}${change ? ` → ${change}` : ''} → ${p.decision}`;
}
