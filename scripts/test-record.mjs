// A node:test reporter for scripts/test.mjs: one JSON line per skipped test (its file and reason), so the
// runner can end with one line naming what was skipped for a missing tool, and one per failed test (its name
// and the start of its error), so the run ends with why it failed: a CI log shows its end, where the spec
// report's failure is hundreds of lines up. (Each file's wall and CPU time come from scripts/test-cpu.mjs.)
const ERROR_CHARS = 6000;

function errorText(error) {
  const cause = error?.cause ?? error;
  // The message and where in a test file it was thrown: the runner's own frames say nothing.
  const at = cause instanceof Error ? cause.stack?.split('\n').find((l) => l.includes('__tests__')) : undefined;
  const text = cause instanceof Error ? `${cause.message}${at ? `\n${at.trim()}` : ''}` : String(cause);
  return text.length > ERROR_CHARS
    ? `${text.slice(0, ERROR_CHARS)}\n… (${text.length - ERROR_CHARS} more characters)`
    : text;
}

export default async function* record(source) {
  for await (const { type, data } of source) {
    if (type === 'test:pass' && data.skip !== undefined && data.skip !== false)
      yield JSON.stringify({ file: data.file, skip: String(data.skip) }) + '\n';
    // A suite fails when a test in it fails: only the tests themselves (and hooks) are worth a digest entry.
    if (type === 'test:fail' && data.details?.type !== 'suite')
      yield JSON.stringify({ file: data.file, failed: data.name, error: errorText(data.details?.error) }) + '\n';
  }
}
