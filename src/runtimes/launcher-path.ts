import { fileURLToPath } from 'node:url';

// Resolves to src/runtimes/launchers/ when run from source and dist/launchers/ when bundled
// (scripts/bundle.mjs copies the folder beside dist/index.js and dist/cli.js).
export const wasiLauncherPath: string = fileURLToPath(new URL('./launchers/wasi-launcher.mjs', import.meta.url));
