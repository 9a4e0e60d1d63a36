import { create as createGlobber } from '@actions/glob';
import { open, readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { parseConfigFile } from './config-file.js';
import type { ConfigFile } from './config-schema.js';
import { InputError } from './input-error.js';
import type { RawInputs } from './inputs.js';
import { artifactPatterns, buildPlan } from './plan.js';
import type { Mode, Plan } from './types.js';

const WASM_MAGIC = Buffer.from([0x00, 0x61, 0x73, 0x6d]);

/** The I/O half of planning: read the config file, expand globs, check every match is wasm. */
export async function loadPlan(
  inputs: RawInputs,
  ctx: { workspace: string; mode: Mode; defaultJsonPath: string },
): Promise<Plan> {
  const config = inputs.config ? await readConfig(resolve(ctx.workspace, inputs.config), inputs.config) : undefined;
  const matches = new Map<string, string[]>();
  for (const pattern of artifactPatterns(inputs, config)) {
    matches.set(pattern, await expandGlob(pattern, ctx.workspace));
  }
  for (const file of new Set([...matches.values()].flat())) await assertWasm(file, ctx.workspace);
  return buildPlan({
    inputs,
    config,
    workspace: ctx.workspace,
    mode: ctx.mode,
    matches,
    defaultJsonPath: ctx.defaultJsonPath,
  });
}

async function readConfig(path: string, given: string): Promise<ConfigFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    throw new InputError(
      'config',
      `cannot read ${given}`,
      'Check the path (relative to the workspace) or remove the input.',
    );
  }
  return parseConfigFile(text, given);
}

async function expandGlob(pattern: string, workspace: string): Promise<string[]> {
  const negated = pattern.startsWith('!');
  const body = negated ? pattern.slice(1) : pattern;
  const rooted = isAbsolute(body) ? body : join(workspace, body);
  const globber = await createGlobber(`${negated ? '!' : ''}${rooted}`, {
    matchDirectories: false,
    implicitDescendants: false,
  });
  return (await globber.glob()).sort();
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
