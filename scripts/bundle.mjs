// Builds dist/: the action entry, the CLI and the WASI launcher, deterministically.
// `node scripts/bundle.mjs [outdir]` (default dist) — tests bundle into a temp dir and diff against dist/.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';

const outdir = resolve(process.argv[2] ?? 'dist');
const { version } = JSON.parse(readFileSync('package.json', 'utf8'));
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });

await build({
  entryPoints: { index: 'src/index.ts', cli: 'src/cli.ts' },
  bundle: true,
  // node_modules may be a symlink (a git worktree sharing one install): name modules by the path as written.
  preserveSymlinks: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // No code splitting: each entry is self-contained, so import.meta.url is always dist/<entry>.js
  // and files beside it (launchers/) resolve the same way from src/ and dist/.
  outdir,
  legalComments: 'none',
  // The version is written once, in package.json (src/model/version.ts reads it when unbundled).
  define: { __WPG_VERSION__: JSON.stringify(version) },
  logLevel: 'warning',
  // Some bundled CommonJS dependencies call require() for node built-ins.
  banner: {
    js: "import { createRequire as __wpgCreateRequire } from 'node:module'; const require = __wpgCreateRequire(import.meta.url);",
  },
});
// Launchers run inside the measured runtime (node, bun, deno), never bundled with the action.
cpSync('src/runtimes/launchers', resolve(outdir, 'launchers'), { recursive: true });
