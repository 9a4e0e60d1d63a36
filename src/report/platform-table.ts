// The report of a platform matrix: one row per platform (its cells and their verdicts), shown when the
// merged shards ran on more than one platform. Each cell's runtime also names its platform.
import { codeSpan } from './escape.js';
import { countsLine, tableHeader, tableRow } from './markdown-parts.js';
import type { RunReport } from './types.js';

export function platformTable(report: RunReport): string {
  const platforms = new Map<string, number>();
  for (const m of report.measurements) if (m.platform) platforms.set(m.platform, (platforms.get(m.platform) ?? 0) + 1);
  if (platforms.size < 2) return '';
  const rows = [...platforms].sort(([a], [b]) => a.localeCompare(b));
  const compare = report.mode === 'compare';
  return [
    ...tableHeader(compare ? ['Platform', 'Cells', 'Verdicts'] : ['Platform', 'Cells']),
    ...rows.map(([p, cells]) => {
      const row = [codeSpan(p), String(cells)];
      return tableRow(compare ? [...row, countsLine(report.verdicts.filter((v) => v.platform === p))] : row);
    }),
  ].join('\n');
}
