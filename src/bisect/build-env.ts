// The environment a bisection `build` gets: an allow-list, like the measured processes' (measure/scrub-env.ts),
// widened by what a build needs (its toolchain's variables) and by the `build-env` input. A workflow's
// secrets (GH_PAT, DEPLOY_KEY, NPM_TOKEN, …) never reach a build unless the user names them there.
import { ALLOWED_NAMES } from '../measure/scrub-env.js';

/** Passed by exact name: what a measured process gets (home, locale, temp dirs, Windows essentials), and the usual
 * compiler/linker variables. */
const NAMES: ReadonlySet<string> = new Set([
  ...ALLOWED_NAMES,
  'CI',
  'RUNNER_OS',
  'RUNNER_ARCH',
  'RUNNER_TEMP',
  'RUNNER_TOOL_CACHE',
  'SOURCE_DATE_EPOCH',
  'MAKEFLAGS',
  'MFLAGS',
  'PKG_CONFIG_PATH',
  'PKG_CONFIG_SYSROOT_DIR',
  'LD_LIBRARY_PATH',
  'LIBRARY_PATH',
  'CPATH',
  'C_INCLUDE_PATH',
  'CPLUS_INCLUDE_PATH',
  'CC',
  'CXX',
  'CPP',
  'AR',
  'AS',
  'LD',
  'NM',
  'RANLIB',
  'STRIP',
  'OBJCOPY',
  'CFLAGS',
  'CXXFLAGS',
  'CPPFLAGS',
  'LDFLAGS',
  'LDLIBS',
  'RUSTFLAGS',
  'RUSTDOCFLAGS',
  'RUSTC',
  'RUSTC_WRAPPER',
  'EMSDK',
  'EMSDK_NODE',
  'EMSDK_PYTHON',
  'WASI_SDK_PATH',
  'WASI_SYSROOT',
  'JAVA_HOME',
  'DOTNET_ROOT',
  'ZIG_GLOBAL_CACHE_DIR',
]);

/** Passed by pattern: locale, XDG dirs, Cargo/rustup, Go (GOPATH, GOFLAGS, … but not GOOGLE_*), CMake, Emscripten, caches. */
const PATTERNS: readonly RegExp[] = [
  /^LC_/,
  /^XDG_/,
  /^CARGO_/,
  /^RUSTUP_/,
  /^GO[A-Z0-9]+$/,
  /^CMAKE_/,
  /^EM_/,
  /^CCACHE_/,
  /^SCCACHE_/,
];

/** Even a toolchain-looking name is dropped when it looks like a credential (CARGO_REGISTRIES_X_TOKEN). */
const SECRET_LOOKING = /TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|API_?KEY|PRIVATE|AUTH|SESSION|COOKIE|_KEY$|^KEY$/i;

function listed(name: string, extra: readonly string[]): boolean {
  return extra.some((e) => (e.endsWith('*') ? name.startsWith(e.slice(0, -1)) : name === e));
}

/** The variables of `env` a build gets: the allow-list (minus credential-looking names) and `extra` as given. */
export function buildEnv(
  env: Readonly<Record<string, string | undefined>>,
  extra: readonly string[] = [],
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined) continue;
    const allowed = (NAMES.has(name) || PATTERNS.some((p) => p.test(name))) && !SECRET_LOOKING.test(name);
    if (allowed || listed(name, extra)) out[name] = value;
  }
  return out;
}
