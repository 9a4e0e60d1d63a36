// The peak-memory figure shared by the runtime tables: a cell's median peak RSS, where it was measured
// (today the WASI launcher of node/bun/deno reports it when a launcher metric is asked for). Pure.
import { metricDef } from '../model/metrics.js';
import type { Sample } from '../model/measurement.js';
import { escapeMarkdown } from './escape.js';
import { formatValue } from '../model/format.js';
import { metricMedian } from './markdown-parts.js';

export const PEAK_RSS = 'peak-rss';
export const MEMORY_COLUMN = 'Peak RSS';

// The unit lives in the metric table, so a change there cannot leave this column mislabelled.
const PEAK_RSS_UNIT = metricDef(PEAK_RSS)?.unit ?? 'bytes';

export function peakRssMedian(samples: readonly Sample[]): number | undefined {
  return metricMedian(samples, PEAK_RSS);
}

export function hasPeakRss(samples: readonly Sample[]): boolean {
  return samples.some((s) => s.values[PEAK_RSS] !== undefined);
}

/** Plain text (`48.2 MiB`), or undefined when the cell has no peak RSS sample. */
export function formatPeakRss(samples: readonly Sample[]): string | undefined {
  const value = peakRssMedian(samples);
  return value === undefined ? undefined : formatValue(value, PEAK_RSS_UNIT);
}

/** A Markdown table cell: the median peak RSS, or `–` where it was not measured. */
export function peakRssCell(samples: readonly Sample[]): string {
  const text = formatPeakRss(samples);
  return text === undefined ? '–' : escapeMarkdown(text);
}
