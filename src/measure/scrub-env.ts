// The host environment a measured process starts from. An allowlist, not a denylist: the runner's
// environment carries GITHUB_TOKEN, ACTIONS_RUNTIME_TOKEN, INPUT_* and whatever secrets a workflow exports,
// and none of it may reach code under test (a PR's .wasm is untrusted).

/** Variables passed through by exact name: what a runtime needs to find itself, its home and its locale. */
export const ALLOWED_NAMES: ReadonlySet<string> = new Set([
  'PATH',
  'HOME',
  'USER',
  'LOGNAME',
  'SHELL',
  'LANG',
  'LANGUAGE',
  'TZ',
  'TMPDIR',
  'TEMP',
  'TMP',
  'TERM',
  'XDG_CACHE_HOME',
  'XDG_CONFIG_HOME',
  'XDG_DATA_HOME',
  'XDG_RUNTIME_DIR',
  // Windows essentials: without them node/bun/deno cannot start.
  'SYSTEMROOT',
  'SystemRoot',
  'WINDIR',
  'COMSPEC',
  'PATHEXT',
  'USERPROFILE',
  'LOCALAPPDATA',
  'APPDATA',
  'PROGRAMDATA',
  'NUMBER_OF_PROCESSORS',
  'PROCESSOR_ARCHITECTURE',
]);

/** Variables passed through by prefix. */
const ALLOWED_PREFIXES: readonly string[] = ['LC_'];

/** Even an allowed name is dropped when it looks like it carries a credential. */
const SECRET_LOOKING = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE|AUTH|SESSION|COOKIE/i;

function isAllowed(name: string): boolean {
  if (SECRET_LOOKING.test(name)) return false;
  return ALLOWED_NAMES.has(name) || ALLOWED_PREFIXES.some((p) => name.startsWith(p));
}

/** The allowlisted subset of `env` (e.g. `process.env`), without undefined values. */
export function scrubEnv(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value !== undefined && isAllowed(name)) out[name] = value;
  }
  return out;
}
