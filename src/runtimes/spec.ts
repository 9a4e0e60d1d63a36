// Parses what the user wrote about runtimes (the `runtimes` input, or the config file's runtimes list)
// into RuntimeRefs. Pure: no PATH lookups, no downloads — install.ts does those.
import type { RuntimeBaseline, RuntimeRef } from '../model/plan.js';
import { InputError } from '../model/input-error.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { describe, runtimeNames } from './registry.js';
import { unsupportedRuntimes } from './unsupported.js';
import { compareVersions } from './version.js';

const INPUT = 'runtimes';

/** A config-file runtimes entry (same shape as the config schema's object form). */
export interface RuntimeEntry {
  name: string;
  variant?: string;
  version?: string;
  path?: string;
  flags?: string[];
  command?: string[];
  id?: string;
  /** the download's sha256 (`sha256:<hex>`), or one per platform */
  sha256?: string | Partial<Record<string, string>>;
  /** a runtime change: the baseline arm runs this executable (e.g. main's build) */
  'baseline-path'?: string;
  /** a runtime change: the baseline arm runs this release of the runtime */
  'baseline-version'?: string;
  /** the repository builds this runtime: main's build is stored with the baseline */
  'under-test'?: boolean;
}

const VERSION = /^v?(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/;

/** Parses config-file entries (strings in the input's syntax, or objects). */
export function parseRuntimeEntries(entries: ReadonlyArray<string | RuntimeEntry>, input = INPUT): RuntimeRef[] {
  return withUniqueIds(
    entries.map((e) => parseRuntimeSpec(e, input)),
    input,
  );
}

/**
 * One runtime: a string `name`, `name@version`, `name:variant`, `name:variant@version`, `name@path` (on PATH),
 * `name@/abs/exe`, or a config entry object. `input` names where it came from in error messages.
 */
export function parseRuntimeSpec(spec: string | RuntimeEntry, input = INPUT): RuntimeRef {
  if (typeof spec !== 'string') return runtimeRefFromEntry(spec, input);
  const m = /^([A-Za-z0-9_-]+)(?::([A-Za-z0-9_-]+))?(?:@(.+))?$/.exec(spec.trim());
  if (m === null) {
    throw new InputError(
      input,
      `cannot read "${spec}"`,
      'Write name, name@version, name:variant, name:variant@version or name@path (e.g. wasmtime:winch@48.0.0).',
    );
  }
  const [, name = '', variant, at] = m;
  const entry: RuntimeEntry = { name };
  if (variant !== undefined) entry.variant = variant;
  if (at !== undefined) {
    // `@path` = whatever is on PATH; anything with a slash is an executable given by path.
    if (at.includes('/') || at.includes('\\')) entry.path = at;
    else entry.version = at;
  }
  return runtimeRefFromEntry(entry, input);
}

export function runtimeRefFromEntry(entry: RuntimeEntry, input = INPUT): RuntimeRef {
  const desc = knownRuntime(entry.name, input);
  const ref: RuntimeRef = { name: desc.name, flags: [...(entry.flags ?? [])], id: '' };
  if (entry.variant !== undefined) ref.variant = checkVariant(desc, entry.variant, input);
  if (entry.version !== undefined) ref.version = checkVersion(desc, entry.version, input);
  if (entry.path !== undefined) ref.path = entry.path;
  if (desc.name === 'custom') ref.command = checkCommand(entry.command, input);
  else if (entry.command !== undefined) {
    throw new InputError(
      input,
      `${desc.name}: \`command\` is only for the custom runtime`,
      `Remove it, or use { name: custom, command: [...] }.`,
    );
  }
  if (entry.sha256 !== undefined) ref.sha256 = checkSha256(desc, ref, entry.sha256, input);
  const baseline = checkBaseline(desc, entry, input);
  if (baseline !== undefined) ref.baseline = baseline;
  if (entry['under-test'] === true) {
    if (ref.path === undefined || baseline !== undefined)
      throw new InputError(
        input,
        `${desc.name}: \`under-test\` needs the build's \`path\` (and no baseline-path / baseline-version)`,
        'Give the executable your build step makes, e.g. { name: wasmi, path: target/release/wasmi_cli, under-test: true }.',
      );
    ref.underTest = true;
  }
  ref.id = entry.id ?? defaultId(ref);
  return ref;
}

/**
 * `baseline-path` / `baseline-version`: the other build a runtime change is measured against. One of the two;
 * a version needs a runtime the action can download, and is checked like `version`.
 */
function checkBaseline(desc: RuntimeDescriptor, entry: RuntimeEntry, input: string): RuntimeBaseline | undefined {
  const path = entry['baseline-path'];
  const version = entry['baseline-version'];
  if (path === undefined && version === undefined) return undefined;
  if (desc.name === 'custom')
    throw new InputError(
      input,
      'custom: `baseline-path` / `baseline-version` compare two builds of a known runtime',
      'Give the custom command a second config entry with its own `id`, or name a known runtime.',
    );
  if (path !== undefined && version !== undefined)
    throw new InputError(
      input,
      `${desc.name}: give \`baseline-path\` or \`baseline-version\`, not both`,
      'Keep baseline-path for a build made in this job, baseline-version for a released version.',
    );
  if (path !== undefined) {
    if (path.trim() === '')
      throw new InputError(input, `${desc.name}: \`baseline-path\` is empty`, 'Give the path of the baseline build.');
    return { path };
  }
  if (desc.install.kind !== 'release')
    throw new InputError(
      input,
      `${desc.name}: \`baseline-version\` needs a runtime the action downloads, and ${desc.name} is not downloaded`,
      `Build or install ${desc.name} ${version} in an earlier step and give it as \`baseline-path\`.`,
    );
  if (version === 'path')
    throw new InputError(
      input,
      `${desc.name}: \`baseline-version: path\` is not a version`,
      'Give an exact version, or the executable as `baseline-path`.',
    );
  return { version: checkVersion(desc, version!, input) };
}

/** A pinned digest belongs to one downloaded build: a release runtime at an exact version. */
function checkSha256(
  desc: RuntimeDescriptor,
  ref: RuntimeRef,
  pin: NonNullable<RuntimeEntry['sha256']>,
  input: string,
): Record<string, string> {
  if (desc.install.kind !== 'release' || ref.path !== undefined || ref.version === 'path')
    throw new InputError(
      input,
      `${desc.name}: \`sha256\` pins a downloaded build, and this ${desc.name} is not downloaded`,
      'Remove `sha256`, or drop `path` / `@path` to let the action download it.',
    );
  if (ref.version === undefined)
    throw new InputError(
      input,
      `${desc.name}: \`sha256\` needs an exact \`version\` (the default version changes with the action)`,
      `Add version: ${desc.defaultVersion} (or the version the sha256 belongs to).`,
    );
  const byPlatform = typeof pin === 'string' ? { '*': pin } : pin;
  const out: Record<string, string> = {};
  for (const [platform, hex] of Object.entries(byPlatform)) {
    const m = /^(?:sha256:)?([0-9A-Fa-f]{64})$/.exec(hex ?? '');
    if (m?.[1] === undefined)
      throw new InputError(input, `${desc.name}: sha256 "${hex}" is not a sha256`, 'Write sha256:<64 hex digits>.');
    out[platform] = m[1].toLowerCase();
  }
  return out;
}

function knownRuntime(name: string, input: string): RuntimeDescriptor {
  const desc = describe(name.toLowerCase());
  if (desc?.kind === 'runtime') return desc;
  if (desc?.kind === 'tool') {
    throw new InputError(
      input,
      `${name} is a tool, not a WebAssembly runtime`,
      desc.name === 'hyperfine'
        ? 'Choose it with the `engine: hyperfine` input.'
        : 'It is installed when a runtime needs it (wamrc for iwasm:aot).',
    );
  }
  const known = unsupportedRuntimes.find((u) => u.name === name.toLowerCase());
  if (known !== undefined)
    throw new InputError(input, `${name} is not supported: ${known.reason}`, `Instead: ${known.instead}.`);
  throw new InputError(input, `unknown runtime "${name}"`, `Known runtimes: ${runtimeNames().join(', ')}.`);
}

function checkVariant(desc: RuntimeDescriptor, variant: string, input: string): string {
  const names = Object.keys(desc.variants);
  if (names.includes(variant)) return variant;
  if (names.length === 0)
    throw new InputError(
      input,
      `${desc.name} has no variants (got "${variant}")`,
      `Write just "${desc.name}"; pass engine flags with \`flags\` in the config file.`,
    );
  throw new InputError(input, `unknown ${desc.name} variant "${variant}"`, `Known variants: ${names.join(', ')}.`);
}

function checkVersion(desc: RuntimeDescriptor, version: string, input: string): string {
  if (version === 'path') return version;
  const m = VERSION.exec(version);
  if (m === null || m[1] === undefined) {
    throw new InputError(
      input,
      `${desc.name}@${version}: not a version`,
      `Give an exact version like ${desc.name}@${desc.defaultVersion || '20.0.0'}, or ${desc.name}@path to use the one on PATH.`,
    );
  }
  if (desc.minVersion !== undefined && compareVersions(m[1], desc.minVersion.version) < 0) {
    throw new InputError(
      input,
      `${desc.name}@${m[1]} is too old: ${desc.minVersion.reason}`,
      `Use ${desc.name}@${desc.minVersion.version} or newer.`,
    );
  }
  return m[1];
}

function checkCommand(command: string[] | undefined, input: string): string[] {
  if (command === undefined || command.length === 0) {
    throw new InputError(
      input,
      'custom needs a command',
      "Give it in the config file: { name: custom, id: my-engine, command: ['my-engine', 'run', '{wasm}', '{args}'] }.",
    );
  }
  if (!command.some((a) => a.includes('{wasm}'))) {
    throw new InputError(
      input,
      `custom command ${JSON.stringify(command)} has no {wasm} placeholder`,
      'Put {wasm} where the module path goes (and {args} for the program arguments).',
    );
  }
  if (command[0] === undefined || command[0].includes('{')) {
    throw new InputError(
      input,
      'the first element of a custom command must be the executable',
      'Start the command with the program to run, e.g. ["my-engine", "{wasm}", "{args}"].',
    );
  }
  return [...command];
}

function defaultId(ref: RuntimeRef): string {
  if (ref.name === 'custom') return `custom:${basename(ref.command?.[0] ?? 'command')}`;
  return ref.variant === undefined ? ref.name : `${ref.name}:${ref.variant}`;
}

function basename(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** Ids must be unique in a run: same name:variant at two versions become `name@1` and `name@2`. */
function withUniqueIds(refs: RuntimeRef[], input: string): RuntimeRef[] {
  const count = (id: string) => refs.filter((r) => r.id === id).length;
  const out = refs.map((r) => {
    if (count(r.id) === 1) return r;
    const suffix = r.version ?? (r.path !== undefined ? r.path : undefined);
    return suffix === undefined ? r : { ...r, id: `${r.id}@${suffix}` };
  });
  const seen = new Set<string>();
  for (const r of out) {
    if (seen.has(r.id))
      throw new InputError(
        input,
        `"${r.id}" is listed twice`,
        'List each runtime once, or give the config entries distinct `id`s.',
      );
    seen.add(r.id);
  }
  return out;
}
