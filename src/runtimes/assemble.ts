// Turns "this executable, this version" into a ResolvedRuntime: the command builder, AOT support,
// trap codes. Pure — install.ts finds the executable, this file says how to use it.
import { basename, join } from 'node:path';
import type { RuntimeRef } from '../model/plan.js';
import { InputError } from '../model/input-error.js';
import type { Command } from '../model/measurement.js';
import { wasiLauncherPath } from './launcher-path.js';
import type { RuntimeDescriptor } from './descriptor.js';
import { NO_CACHE } from './descriptors/run-helpers.js';
import { describe } from './registry.js';
import type { AotSupport, InstallSource, Invocation, ResolvedRuntime, ResolvedTool } from './types.js';

/** The resolved runtime for a registry runtime whose executable and version are known. `compiler`: wamrc for iwasm:aot. */
export function assembleRuntime(
  ref: RuntimeRef,
  exe: string,
  version: string,
  installedFrom: InstallSource,
  compiler?: ResolvedTool,
): ResolvedRuntime {
  const desc = describe(ref.name);
  const run = desc?.run;
  if (desc === undefined || run === undefined) throw new Error(`registry entry ${ref.name} has no run template`);
  const variant = ref.variant === undefined ? undefined : desc.variants[ref.variant];
  const variantFlags = variant?.flags ?? [];
  const command = (inv: Invocation): Command =>
    run({ exe, version, variant: ref.variant, variantFlags, flags: ref.flags, inv, launcher: wasiLauncherPath });
  const resolved: ResolvedRuntime = {
    ref,
    id: withVersion(ref.id, version),
    exe,
    version,
    installedFrom,
    command,
    trapExitCodes: [...desc.trapExitCodes],
    ...(desc.stderrPatterns ? { stderrPatterns: desc.stderrPatterns } : {}),
    // An interpreter variant leaves the cache directory empty (wazero -interpreter -cachedir=D writes nothing).
    codeCache: variant?.interprets ? { ...NO_CACHE } : { ...desc.codeCache },
    reportsPhases: JS_LAUNCHED.includes(desc.name),
    ...(desc.phasesUnavailable !== undefined ? { phasesUnavailable: desc.phasesUnavailable } : {}),
  };
  const aot = variant?.interprets
    ? undefined
    : aotSupport(desc, exe, variantFlags, ref.flags, variant?.precompile === true, compiler);
  if (variant?.precompile && aot === undefined)
    throw new Error(`${ref.id} needs its AOT compiler (${desc.aot?.tool ?? desc.name}) resolved first`);
  if (aot !== undefined) resolved.aot = aot;
  return resolved;
}

/** Runtimes that run through the WASI launcher (it writes phase timings). */
const JS_LAUNCHED = ['node', 'bun', 'deno'];

function aotSupport(
  desc: RuntimeDescriptor,
  exe: string,
  variantFlags: readonly string[],
  flags: readonly string[],
  required: boolean,
  compiler: ResolvedTool | undefined,
): AotSupport | undefined {
  const spec = desc.aot;
  if (spec === undefined) return undefined;
  // iwasm compiles with wamrc, which is only installed when the variant needs it.
  const compilerExe = spec.tool === undefined ? exe : compiler?.exe;
  if (compilerExe === undefined) return undefined;
  return {
    outputExt: spec.outputExt,
    required,
    hostCpu: spec.hostCpu === true,
    prepare(wasm: string, outDir: string) {
      const out = join(outDir, basename(wasm).replace(/\.wasm$/, '') + spec.outputExt);
      const argv = spec.compile({ exe: compilerExe, variantFlags, flags, wasm, out, outDir });
      return { compile: { argv, env: {}, cwd: outDir }, run: spec.run({ wasm, out, outDir }) };
    },
  };
}

function withVersion(id: string, version: string): string {
  return id.endsWith(`@${version}`) ? id : `${id}@${version}`;
}

/** A `custom` runtime: its argv template with `exe` (the template's program, located) in front. */
export function assembleCustom(ref: RuntimeRef, exe: string): ResolvedRuntime {
  const template = [exe, ...(ref.command ?? []).slice(1)];
  const version = ref.version ?? 'unversioned';
  return {
    ref,
    id: ref.version === undefined ? ref.id : withVersion(ref.id, version),
    exe,
    version,
    installedFrom: 'custom',
    command: (inv) => customCommand(ref.id, template, inv),
    // Unknown: a custom command's exit code on a trap is whatever it chooses.
    trapExitCodes: [],
    codeCache: { onByDefault: false, canDisable: true, canRelocate: false },
    reportsPhases: false,
    phasesUnavailable: describe('custom')?.phasesUnavailable ?? 'a custom command is timed as one whole process',
  };
}

/** `{wasm}` and `{dir}` are substituted inside elements; an element that is exactly `{args}` becomes the program arguments. The benchmark env is the process env. */
export function customCommand(id: string, template: readonly string[], inv: Invocation): Command {
  if (inv.precompiled || typeof inv.codeCache === 'object') {
    throw new InputError(
      'runtimes',
      `${id}: a custom command has no AOT or code-cache control`,
      'Measure the .wasm with the runtime default.',
    );
  }
  if (inv.dir === undefined && template.some((a) => a.includes('{dir}'))) {
    throw new InputError(
      'runtimes',
      `${id}: the command uses {dir} but the benchmark has no \`dir\``,
      'Add `dir` to the benchmark or remove {dir} from the command.',
    );
  }
  const argv = template.flatMap((a) =>
    a === '{args}' ? inv.args : [a.replaceAll('{wasm}', inv.wasm).replaceAll('{dir}', inv.dir ?? '')],
  );
  const cmd: Command = { argv, env: { ...inv.env }, cwd: inv.cwd };
  if (inv.stdinFile !== undefined) cmd.stdinFile = inv.stdinFile;
  return cmd;
}
