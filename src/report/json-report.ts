// The machine-readable report: the RunReport itself, every figure and every sample. Pure.
import type { RunReport } from './types.js';

/**
 * Recursively rebuilds a JSON value with object keys in sorted order, so two reports of the same data
 * serialize identically whatever order the stages built them in. Non-finite numbers become null
 * (JSON has no Infinity/NaN); undefined properties are left out, as JSON.stringify would.
 */
function canonical(value: unknown): unknown {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (Array.isArray(value)) return value.map((item) => (item === undefined ? null : canonical(item)));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort()) {
      const item = (value as Record<string, unknown>)[key];
      if (item !== undefined) out[key] = canonical(item);
    }
    return out;
  }
  return value;
}

export function renderJson(report: RunReport): string {
  return `${JSON.stringify(canonical(report), null, 2)}\n`;
}
