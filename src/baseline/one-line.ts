// Messages end up in one-line warnings and annotations; causes (JSON.stringify, the cache
// library) sometimes span several lines.

/** The message of `e` (an Error or anything else) on one line. */
export function oneLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}
