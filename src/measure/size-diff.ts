// Main's build against the PR's, function by function and data segment by data segment, like `twiggy diff`:
// matched by name when both builds carry a name section, else by index (and the report says names were
// stripped). Pure.
import type { SizeChange, SizeReport } from '../model/measurement.js';
import type { LayoutItem, WasmLayout } from '../wasm/wasm-sections.js';

/** Rows kept per list (growths, shrinkages): the comment and the JSON report stay small for any module. */
export const SIZE_LIST_MAX = 25;

export function sizeDiff(baseline: WasmLayout | undefined, candidate: WasmLayout): SizeReport {
  const named = candidate.named && (baseline?.named ?? true);
  const sections = mergeSections(baseline?.sections, candidate.sections);
  if (!baseline) {
    return {
      sections,
      grew: [],
      shrank: [],
      counts: { grew: 0, shrank: 0, added: 0, removed: 0 },
      names: named ? 'names' : 'stripped',
      noBaseline: true,
    };
  }
  const dataNamed = named && candidate.data.some((d) => d.name) && baseline.data.some((d) => d.name);
  const changes = [
    ...diffItems('function', baseline.functions, candidate.functions, named),
    ...diffItems('data', baseline.data, candidate.data, dataNamed),
  ];
  const delta = (c: SizeChange) => (c.candidate ?? 0) - (c.baseline ?? 0);
  const grew = changes.filter((c) => delta(c) > 0).sort((a, b) => delta(b) - delta(a) || a.name.localeCompare(b.name));
  const shrank = changes
    .filter((c) => delta(c) < 0)
    .sort((a, b) => delta(a) - delta(b) || a.name.localeCompare(b.name));
  return {
    sections,
    grew: grew.slice(0, SIZE_LIST_MAX),
    shrank: shrank.slice(0, SIZE_LIST_MAX),
    counts: {
      grew: grew.length,
      shrank: shrank.length,
      added: changes.filter((c) => c.baseline === undefined).length,
      removed: changes.filter((c) => c.candidate === undefined).length,
    },
    names: named ? 'names' : 'stripped',
  };
}

function mergeSections(
  baseline: WasmLayout['sections'] | undefined,
  candidate: WasmLayout['sections'],
): SizeReport['sections'] {
  const names = [...new Set([...candidate.map((s) => s.name), ...(baseline ?? []).map((s) => s.name)])];
  return names.map((name) => {
    const c = candidate.find((s) => s.name === name)?.bytes;
    const b = baseline?.find((s) => s.name === name)?.bytes;
    return { name, ...(b !== undefined ? { baseline: b } : {}), ...(c !== undefined ? { candidate: c } : {}) };
  });
}

/** Items keyed by name (a repeated name gets `#2`, `#3`… in order) or by index; only those whose size differs. */
function diffItems(
  kind: SizeChange['kind'],
  baseline: readonly LayoutItem[],
  candidate: readonly LayoutItem[],
  byName: boolean,
): SizeChange[] {
  const keyed = (items: readonly LayoutItem[]): Map<string, number> => {
    const out = new Map<string, number>();
    const seen = new Map<string, number>();
    for (const item of items) {
      let key = byName && item.name !== undefined ? item.name : `${kind}[${item.index}]`;
      const n = (seen.get(key) ?? 0) + 1;
      seen.set(key, n);
      if (n > 1) key = `${key} #${n}`;
      out.set(key, item.bytes);
    }
    return out;
  };
  const b = keyed(baseline);
  const c = keyed(candidate);
  const out: SizeChange[] = [];
  for (const [name, bytes] of c) {
    const before = b.get(name);
    if (before !== bytes)
      out.push({ kind, name, ...(before !== undefined ? { baseline: before } : {}), candidate: bytes });
  }
  for (const [name, bytes] of b) if (!c.has(name)) out.push({ kind, name, baseline: bytes });
  return out;
}
