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

/** `3s`, `500ms`, `2m`, `10` (seconds) → milliseconds. */
export function parseDuration(value: string | number, input: string): number {
  const text = String(value).trim();
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m)?$/.exec(text);
  if (!m) throw new InputError(input, `'${text}' is not a duration`, `Write e.g. '3s', '500ms' or '2m'.`);
  const scale = { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm'];
  return Number(m[1]) * scale;
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
