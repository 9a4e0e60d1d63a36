// Numbers → short human text. Everything here returns PLAIN text: renderers escape it where it lands.
import type { Headline, VerdictKind } from './verdict.js';

/** Three significant figures, but never scientific notation for the ranges we print. */
function significant(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 100) return value.toFixed(0);
  if (abs >= 10) return value.toFixed(1);
  return value.toFixed(2);
}

const TIME_UNITS_IN_MS: Record<string, number> = { ns: 1e-6, us: 1e-3, µs: 1e-3, ms: 1, s: 1000 };
const TIME_SCALE: { unit: string; ms: number }[] = [
  { unit: 's', ms: 1000 },
  { unit: 'ms', ms: 1 },
  { unit: 'µs', ms: 1e-3 },
  { unit: 'ns', ms: 1e-6 },
];

const BYTE_UNITS: Record<string, number> = { B: 1, byte: 1, bytes: 1, KiB: 1024, MiB: 1024 ** 2, GiB: 1024 ** 3 };
const BYTE_SCALE = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

/** A duration given in milliseconds, scaled to s / ms / µs / ns. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms === 0) return '0 ms';
  const step = TIME_SCALE.find((s) => Math.abs(ms) >= s.ms) ?? TIME_SCALE[TIME_SCALE.length - 1]!;
  return `${significant(ms / step.ms)} ${step.unit}`;
}

/** A size in bytes, scaled by powers of 1024. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes)) return 'n/a';
  let value = bytes;
  let i = 0;
  while (Math.abs(value) >= 1024 && i < BYTE_SCALE.length - 1) {
    value /= 1024;
    i++;
  }
  return i === 0 ? `${Math.round(value)} B` : `${significant(value)} ${BYTE_SCALE[i]}`;
}

/** A plain count: grouped digits below a million, then k/M/G with three significant figures. */
export function formatCount(n: number): string {
  if (!Number.isFinite(n)) return 'n/a';
  const abs = Math.abs(n);
  if (abs < 1e6) return Number.isInteger(n) ? n.toLocaleString('en-US') : significant(n);
  const [div, suffix] = abs >= 1e9 ? [1e9, 'G'] : [1e6, 'M'];
  return `${significant(n / div)}${suffix}`;
}

/** One scale for a series of values (a chart's axis): divide by `divisor`, label with `unit`. */
export function seriesScale(values: readonly number[], unit: string): { divisor: number; unit: string } {
  const top = Math.max(0, ...values.map((v) => Math.abs(v)).filter(Number.isFinite));
  const timeFactor = TIME_UNITS_IN_MS[unit];
  if (timeFactor !== undefined) {
    const step = TIME_SCALE.find((s) => top * timeFactor >= s.ms) ?? TIME_SCALE[TIME_SCALE.length - 1]!;
    return { divisor: step.ms / timeFactor, unit: step.unit };
  }
  const byteFactor = BYTE_UNITS[unit];
  if (byteFactor !== undefined) {
    let i = 0;
    while (top * byteFactor >= 1024 ** (i + 1) && i < BYTE_SCALE.length - 1) i++;
    return { divisor: 1024 ** i / byteFactor, unit: BYTE_SCALE[i]! };
  }
  if (unit === '' || unit === 'count') {
    if (top >= 1e9) return { divisor: 1e9, unit: 'G' };
    if (top >= 1e6) return { divisor: 1e6, unit: 'M' };
  }
  return { divisor: 1, unit };
}

/** A metric value in its unit: time and byte units are rescaled, anything else is `number unit`. */
export function formatValue(value: number | undefined, unit: string): string {
  if (value === undefined || !Number.isFinite(value)) return '–';
  const timeFactor = TIME_UNITS_IN_MS[unit];
  if (timeFactor !== undefined) return formatMs(value * timeFactor);
  const byteFactor = BYTE_UNITS[unit];
  if (byteFactor !== undefined) return formatBytes(value * byteFactor);
  if (unit === '' || unit === 'count' || unit === 'runs') return formatCount(value);
  return `${formatCount(value)} ${unit}`;
}

/** A relative change (0.042) as a signed percentage (`+4.2%`). */
export function formatSignedPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const pct = fraction * 100;
  const digits = Math.abs(pct) >= 1000 ? 0 : 1;
  const text = Math.abs(pct).toFixed(digits);
  const sign = Number(text) === 0 ? '±' : pct > 0 ? '+' : '-';
  return `${sign}${text}%`;
}

/** An unsigned percentage for thresholds and noise floors (`5%`, `3.1%`). */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction)) return 'n/a';
  const pct = fraction * 100;
  return `${Number.isInteger(pct) ? pct.toFixed(0) : pct.toFixed(1)}%`;
}

/** candidate/baseline ratio (and its interval) as `+4.2% [+2.1%, +6.3%]`. */
export function formatChange(ratio: number | undefined, interval?: [number, number]): string {
  if (ratio === undefined) return '–';
  const point = formatSignedPercent(ratio - 1);
  if (!interval) return point;
  return `${point} [${formatSignedPercent(interval[0] - 1)}, ${formatSignedPercent(interval[1] - 1)}]`;
}

/** Elapsed wall time of a whole run: `42 s`, `3 min 05 s`. */
export function formatElapsed(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a';
  if (ms < 60_000) return formatMs(ms);
  const totalSeconds = Math.round(ms / 1000);
  const minutes = Math.floor(totalSeconds / 60);
  return `${minutes} min ${String(totalSeconds % 60).padStart(2, '0')} s`;
}

/** Sample counts of both arms: `30 / 30`, or just the candidate's when there is no baseline. */
export function formatRuns(runs: { baseline: number; candidate: number }): string {
  return runs.baseline > 0 ? `${runs.baseline} / ${runs.candidate}` : `${runs.candidate}`;
}

export function formatPValue(p: number | undefined): string {
  if (p === undefined || !Number.isFinite(p)) return '–';
  return p < 0.001 ? 'p < 0.001' : `p = ${p.toFixed(3)}`;
}

export const VERDICT_LABELS: Record<VerdictKind, { emoji: string; label: string }> = {
  regressed: { emoji: '🔴', label: 'regressed' },
  'likely-regressed': { emoji: '🟠', label: 'likely regressed' },
  improved: { emoji: '🟢', label: 'improved' },
  'likely-improved': { emoji: '🟢', label: 'likely improved' },
  unchanged: { emoji: '⚪', label: 'unchanged' },
  inconclusive: { emoji: '🟡', label: 'inconclusive' },
  new: { emoji: '🆕', label: 'new' },
  missing: { emoji: '❔', label: 'missing' },
  failed: { emoji: '❌', label: 'failed' },
};

export function formatVerdict(kind: VerdictKind): string {
  const { emoji, label } = VERDICT_LABELS[kind];
  return `${emoji} ${label}`;
}

export const HEADLINE_LABELS: Record<Headline, { emoji: string; label: string }> = {
  pass: { emoji: '✅', label: 'no performance regressions' },
  regressed: { emoji: '🔴', label: 'performance regressed' },
  'no-baseline': { emoji: '🆕', label: 'no baseline to compare against yet' },
  failed: { emoji: '❌', label: 'benchmarks failed' },
  'baseline-saved': { emoji: '💾', label: 'baseline saved' },
  cancelled: { emoji: '⏹️', label: 'cancelled — partial results' },
};

/** `n thing` / `n things`, with grouped digits. */
export function plural(n: number, singular: string, pluralForm = `${singular}s`): string {
  return `${n.toLocaleString('en-US')} ${n === 1 ? singular : pluralForm}`;
}

/** A short commit id for display. */
export function shortSha(sha: string): string {
  return /^[0-9a-f]{40}$/i.test(sha) ? sha.slice(0, 7) : sha;
}
