// The tool's version: package.json is the one place it is written. The bundle gets it from esbuild's
// `define` (scripts/bundle.mjs); unbundled runs (tests, benches under tsx) read package.json.
import { readFileSync } from 'node:fs';

declare const __WPG_VERSION__: string | undefined;

function packageVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export const TOOL_VERSION: string = typeof __WPG_VERSION__ === 'string' ? __WPG_VERSION__ : packageVersion();
