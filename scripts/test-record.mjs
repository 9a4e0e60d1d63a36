// A node:test reporter for scripts/test.mjs: one JSON line per finished test file (its wall time; node 20
// reports files as tests, later nodes do not, so also each top-level test's time) and per skipped test (its
// reason), so the runner can print tier times, the slowest files and what was skipped.
export default async function* record(source) {
  for await (const { type, data } of source) {
    if (type === 'test:complete' && data.nesting === 0 && data.file) {
      const key = data.name === data.file ? 'ms' : 'top';
      yield JSON.stringify({ file: data.file, [key]: data.details.duration_ms }) + '\n';
    } else if (type === 'test:pass' && data.skip !== undefined && data.skip !== false)
      yield JSON.stringify({ file: data.file, skip: String(data.skip) }) + '\n';
  }
}
