// Reading sha256 values out of what projects publish. Pure.

const SHA256 = /\b([A-Fa-f0-9]{64})\b/;

/**
 * The sha256 for `asset` in a checksum file: sha256sum/shasum lines (`HASH  name`, `HASH *name`),
 * or — for a file published per asset (deno's `<asset>.sha256sum`, whose Windows copy is
 * PowerShell Get-FileHash output) — the only hash in it.
 */
export function sha256FromChecksumFile(text: string, asset: string, perAsset: boolean): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    const hash = SHA256.exec(line)?.[1];
    if (hash === undefined) continue;
    const names = line
      .replace(hash, '')
      .trim()
      .split(/\s+/)
      .map((n) => n.replace(/^\*/, '').split(/[\\/]/).pop());
    if (names.includes(asset)) return hash.toLowerCase();
  }
  if (!perAsset) return undefined;
  const all = [...text.matchAll(new RegExp(SHA256.source, 'g'))].map((m) => m[1]?.toLowerCase());
  const distinct = new Set(all);
  return distinct.size === 1 ? [...distinct][0] : undefined;
}

/** GitHub's per-asset digest (`sha256:<hex>`) from a release API document. */
export function sha256FromReleaseDocument(doc: unknown, asset: string): string | undefined {
  if (typeof doc !== 'object' || doc === null || !('assets' in doc) || !Array.isArray(doc.assets)) return undefined;
  for (const a of doc.assets as unknown[]) {
    if (typeof a !== 'object' || a === null) continue;
    const { name, digest } = a as { name?: unknown; digest?: unknown };
    if (name === asset && typeof digest === 'string') {
      const m = /^sha256:([A-Fa-f0-9]{64})$/.exec(digest);
      if (m?.[1] !== undefined) return m[1].toLowerCase();
    }
  }
  return undefined;
}
