// A node:test reporter for scripts/test.mjs: one JSON line per skipped test (its file and reason), so the
// runner can end with one line naming what was skipped for a missing tool. (Each file's wall and CPU time
// come from scripts/test-cpu.mjs, inside the file's own process.)
export default async function* record(source) {
  for await (const { type, data } of source) {
    if (type === 'test:pass' && data.skip !== undefined && data.skip !== false)
      yield JSON.stringify({ file: data.file, skip: String(data.skip) }) + '\n';
  }
}
