import { create as createGlobber } from '@actions/glob';
import { open, readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseConfigFile } from './config-file.js';
import type { ConfigFile } from './config-schema.js';
import { InputError } from '../model/input-error.js';
import { checkInputFile, CONFIG_LIMIT_BYTES, EXPECTED_OUTPUT_LIMIT_BYTES, STDIN_LIMIT_BYTES } from './input-file.js';
import type { RawInputs } from './inputs.js';
import { artifactPatterns, buildPlan } from './plan.js';
import { isExplicit, screenArtifacts } from './artifact-files.js';
import { nonUtf8Matches } from './non-utf8-names.js';
import type { Mode, Plan } from '../model/plan.js';
import { markerUse, readExportedFunctions, readImports, type Signature } from '../wasm/bench-markers.js';

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

export interface LoadContext {
  workspace: string;
  mode: Mode;
  defaultJsonPath: string;
  /** a skipped artifact is a warning, not an error */
  warn?: (message: string) => void;
}

/** The I/O half of planning: read the config file, expand globs, check every match is a bounded wasm file. */
export async function loadPlan(inputs: RawInputs, ctx: LoadContext): Promise<Plan> {
  const read = inputs.config ? await readConfig(resolve(ctx.workspace, inputs.config), inputs.config) : undefined;
  const config = read && (await checkStdinFiles(read, ctx.workspace));
  const patterns = artifactPatterns(inputs, config);
  const warnings: string[] = [];
  // a file two patterns match is named once
  const warn = (m: string) => void (warnings.includes(m) || (warnings.push(m), ctx.warn?.(m)));
  const root = await realpath(ctx.workspace);
  const candidates = { within: config?.['allow-outside-workspace'] ? undefined : root, input: 'artifacts' };
  const matches = new Map<string, string[]>();
  const expand = (ps: readonly string[], rule: { input: string; within?: string }) =>
    expandArtifacts(ps, rule, ctx.workspace, warn);
  for (const pattern of patterns.config) matches.set(pattern, await expand([pattern], candidates));
  const inputMatches = {
    artifacts: await expand(patterns.artifacts, candidates),
    // a merge-base build may live beside the workspace (`../base`, see the fork example); its bytes are not stored
    baselineArtifacts: await expand(patterns.baselineArtifacts, { input: 'baseline-artifacts' }),
  };
  const plan = buildPlan({
    inputs,
    config,
    workspace: ctx.workspace,
    mode: ctx.mode,
    matches,
    inputMatches,
    defaultJsonPath: ctx.defaultJsonPath,
    exportedFunctions: await exportedFunctions(config, matches),
    markedModules: await markedModules([...[...matches.values()].flat(), ...inputMatches.artifacts], ctx.workspace),
  });
  return warnings.length ? { ...plan, warnings } : plan;
}

/** Each file of a config benchmark with `export:`: its exported functions and their signatures. */
async function exportedFunctions(config: ConfigFile | undefined, matches: ReadonlyMap<string, string[]>) {
  const out = new Map<string, Map<string, Signature>>();
  for (const b of config?.benchmarks ?? []) {
    if (b.export === undefined) continue;
    for (const file of matches.get(b.artifact) ?? []) {
      const functions = await readExportedFunctions(file).catch(() => undefined);
      if (functions) out.set(file, functions);
    }
  }
  return out;
}

/** The candidates that mark a measured region with bench.start/bench.end; a wrong use is refused by name. */
async function markedModules(files: readonly string[], workspace: string): Promise<Set<string>> {
  const marked = new Set<string>();
  for (const file of new Set(files)) {
    const imports = await readImports(file).catch(() => undefined);
    if (!imports) continue;
    const use = markerUse(imports);
    if (use.problem)
      throw new InputError(
        'artifacts',
        `${relative(workspace, file)}: ${use.problem}`,
        'Declare them as `__attribute__((import_module("bench"), import_name("start"))) void bench_start(void);` (and the same for end), as sightglass does.',
      );
    if (use.marks) marked.add(file);
  }
  return marked;
}

/** Globs one pattern set, names what the glob could not read, and keeps the regular wasm files. */
async function expandArtifacts(
  patterns: readonly string[],
  rule: { input: string; within?: string },
  workspace: string,
  warn: (message: string) => void,
): Promise<string[]> {
  const files = await expandGlob(patterns, workspace, (path) =>
    warn(
      `${rule.input}: skipped ${path}: its file name is not UTF-8, so it cannot be measured or named in a report. Rename it (ASCII or UTF-8).`,
    ),
  );
  const kept = await screenArtifacts(files, {
    ...rule,
    explicit: patterns.length > 0 && patterns.every(isExplicit),
    workspace,
    warn,
  });
  for (const file of kept) await assertWasm(file, workspace);
  return kept;
}

async function readConfig(path: string, given: string): Promise<ConfigFile> {
  const real = await checkInputFile(path, given, {
    input: 'config',
    what: 'a config file',
    maxBytes: CONFIG_LIMIT_BYTES,
    fix: 'Point `config` at the YAML config file (relative to the workspace) or remove the input.',
  });
  let text: string;
  try {
    text = await readFile(real, 'utf8');
  } catch {
    throw new InputError(
      'config',
      `cannot read ${given}`,
      'Check the path (relative to the workspace) or remove the input.',
    );
  }
  return parseConfigFile(text, given);
}

/**
 * Each benchmark's `stdin:` and `expect-stdout:`/`expect-stderr:` files must be regular files inside the
 * workspace; the plan gets their real paths.
 */
async function checkStdinFiles(config: ConfigFile, workspace: string): Promise<ConfigFile> {
  const fileKeys = ['stdin', 'expect-stdout', 'expect-stderr'] as const;
  if (!config.benchmarks?.some((b) => fileKeys.some((k) => typeof b[k] === 'string'))) return config;
  const root = await realpath(workspace);
  const benchmarks = [];
  for (const [i, b] of config.benchmarks.entries()) {
    const checked = { ...b };
    if (b.stdin) {
      checked.stdin = await checkInputFile(resolve(workspace, b.stdin), b.stdin, {
        input: `config: benchmarks[${i}].stdin`,
        what: 'standard input',
        maxBytes: STDIN_LIMIT_BYTES,
        within: root,
        fix: `Point stdin at a regular file in the repository, at most ${STDIN_LIMIT_BYTES / 1024 / 1024} MiB (relative to the workspace).`,
      });
    }
    for (const key of ['expect-stdout', 'expect-stderr'] as const) {
      const file = b[key];
      if (typeof file !== 'string') continue;
      checked[key] = await checkInputFile(resolve(workspace, file), file, {
        input: `config: benchmarks[${i}].${key}`,
        what: 'expected output',
        maxBytes: EXPECTED_OUTPUT_LIMIT_BYTES,
        within: root,
        fix: `Commit the program's expected output, at most ${EXPECTED_OUTPUT_LIMIT_BYTES / 1024 / 1024} MiB, and give its path relative to the workspace (or use { regex: … }).`,
      });
    }
    benchmarks.push(checked);
  }
  return { ...config, benchmarks };
}

/** Globs `patterns` together, as @actions/glob intends: a later `!pattern` removes what earlier ones matched. */
async function expandGlob(
  patterns: readonly string[],
  workspace: string,
  unreadable: (path: string) => void,
): Promise<string[]> {
  if (patterns.length === 0) return [];
  const rooted = patterns.map((pattern) => {
    const negated = pattern.startsWith('!');
    const body = negated ? pattern.slice(1) : pattern;
    return `${negated ? '!' : ''}${isAbsolute(body) ? body : join(workspace, body)}`;
  });
  const globber = await createGlobber(rooted.join('\n'), { matchDirectories: false, implicitDescendants: false });
  const found = (await globber.glob()).sort();
  for (const path of await nonUtf8Matches(globber.getSearchPaths(), rooted, workspace)) unreadable(path);
  return found;
}

async function assertWasm(file: string, workspace: string): Promise<void> {
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(4);
    const { bytesRead } = await handle.read(head, 0, 4, 0);
    if (bytesRead < 4 || !head.equals(WASM_MAGIC)) {
      throw new InputError(
        'artifacts',
        `${relative(workspace, file)} is not a WebAssembly module (no \\0asm header)`,
        'Point the glob at the .wasm files your build produces (not .wat, .js or directories).',
      );
    }
  } finally {
    await handle.close();
  }
}
