// Runs every __tests__/**/*.test.ts with node's test runner (tsx loads TypeScript on Node 20).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

const files = [];
const walk = (dir) => {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) walk(p);
    else if (e.name.endsWith('.test.ts')) files.push(p);
  }
};
walk('__tests__');
const only = process.argv.slice(2);
const chosen = only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files;
const r = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', ...chosen.sort()], {
  stdio: 'inherit',
});
process.exit(r.status ?? 1);
