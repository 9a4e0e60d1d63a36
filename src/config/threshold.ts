import { InputError } from '../model/input-error.js';

/** `5%`, `5`, `2.5%` → 0.05, 0.05, 0.025. Percent is the only unit: a bare number means percent too. */
export function parsePercent(value: string | number, input: string): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*%?$/.exec(text);
  const pct = m ? Number(m[1]) : NaN;
  if (!Number.isFinite(pct) || pct <= 0 || pct >= 1000) {
    throw new InputError(input, `'${text}' is not a percentage`, `Write a number of percent such as '5%' or '2.5%'.`);
  }
  return pct / 100;
}

export type Threshold = { relative: number; bytes?: undefined } | { bytes: number; relative?: undefined };

const BYTE_UNITS: Record<string, number> = { b: 1, kb: 1000, kib: 1024, mb: 1_000_000, mib: 1024 * 1024 };

/** `1%`, `5` (percent) or `2KiB`, `500B`, `1.5MB` (bytes, for metrics measured in bytes: docs/size.md). */
export function parseThreshold(value: string | number, input: string): Threshold {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(B|kB|KB|KiB|MB|MiB)$/i.exec(text);
  if (!m) return { relative: parsePercent(text, input) };
  const bytes = Math.round(Number(m[1]) * BYTE_UNITS[m[2]!.toLowerCase()]!);
  if (!(bytes > 0))
    throw new InputError(
      input,
      `'${text}' is no bytes at all`,
      "Write a size such as '2KiB' or '500B', or a percentage.",
    );
  return { bytes };
}

/** `0.05` or `5%` → 0.05: a probability strictly between 0 and 0.5. */
export function parseAlpha(value: string, input: string): number {
  const text = value.trim();
  const m = /^(\d*\.?\d+)\s*(%?)$/.exec(text);
  const alpha = m ? Number(m[1]) / (m[2] ? 100 : 1) : NaN;
  if (!(alpha > 0 && alpha < 0.5)) {
    throw new InputError(
      input,
      `'${text}' is not a significance level`,
      `Write a probability such as '0.05' or '1%' (above 0, below 0.5).`,
    );
  }
  return alpha;
}

/**
 * The longest duration honoured: node's timers hold 2^31-1 ms (about 24.8 days) and fire at once past it, so a
 * longer one is refused here, in the one parser every duration input goes through (docs/limits.md).
 */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** `3s`, `500ms`, `2m`, `10` (seconds) → milliseconds; at most MAX_DURATION_MS. */
export function parseDuration(value: string | number, input: string): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text);
  if (!m) throw new InputError(input, `'${text}' is not a duration`, `Write e.g. '3s', '500ms' or '2m'.`);
  const scale = { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm'];
  const ms = Number(m[1]) * scale;
  if (ms > MAX_DURATION_MS) {
    throw new InputError(
      input,
      `'${text}' is longer than the longest duration honoured, ${Math.floor(MAX_DURATION_MS / 1000)}s (2^31-1 ms, about 24.8 days)`,
      `Give at most ${Math.floor(MAX_DURATION_MS / 1000)}s (${Math.floor(MAX_DURATION_MS / 60_000)}m); a limit that long is no practical limit already.`,
    );
  }
  return ms;
}

/** A duration that must be more than zero (a time limit), in ms. */
export function positiveDuration(value: string, input: string, example: string): number {
  const ms = parseDuration(value, input);
  if (ms <= 0) throw new InputError(input, `'${value}' is no time at all`, `Give a duration such as ${example}.`);
  return ms;
}

export function parseCount(value: string | number, input: string, min = 0): number {
  const text = String(value).trim();
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < min) {
    throw new InputError(
      input,
      `'${text}' is not a whole number${min ? ` ≥ ${min}` : ''}`,
      `Write a whole number such as '${Math.max(min, 10)}'.`,
    );
  }
  return n;
}

export function parseBool(value: string, input: string): boolean {
  const t = value.trim().toLowerCase();
  if (t === 'true' || t === 'yes' || t === '1') return true;
  if (t === 'false' || t === 'no' || t === '0') return false;
  throw new InputError(input, `'${value}' is not a boolean`, `Write 'true' or 'false'.`);
}
