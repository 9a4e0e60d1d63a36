// A node:test reporter for scripts/test.mjs: one JSON line per finished test file (its wall time, where node
// reports files as tests: node 20) and per skipped test (its reason), so the runner can print tier times, the
// slowest files and what was skipped.
export default async function* record(source) {
  for await (const { type, data } of source) {
    if (type === 'test:complete' && data.nesting === 0 && data.file && data.name === data.file)
      yield JSON.stringify({ file: data.file, ms: data.details.duration_ms }) + '\n';
    else if (type === 'test:pass' && data.skip !== undefined && data.skip !== false)
      yield JSON.stringify({ file: data.file, skip: String(data.skip) }) + '\n';
  }
}
