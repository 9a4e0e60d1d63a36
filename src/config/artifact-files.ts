// Every glob match is untrusted (a PR builds or commits it): a FIFO named *.wasm would block the header read
// for ever, a symlink could carry a file from outside the workspace into the stored baseline, and node cannot
// read a file over 2 GiB at all. Only regular, bounded files pass; what a glob swept up by accident is skipped.
import { realpath, stat } from 'node:fs/promises';
import { relative } from 'node:path';
import { InputError } from '../model/input-error.js';
import { inside, kindOf, mib } from './input-file.js';

/** Largest artifact read: the baseline embeds each module base64 in one JSON text, which V8 caps at 512 MiB. */
export const ARTIFACT_LIMIT_BYTES = 256 * 1024 * 1024;

export interface ArtifactRule {
  /** the input named in warnings and errors: `artifacts` (config benchmarks too) or `baseline-artifacts` */
  input: string;
  /** the real path must lie inside this directory (the workspace's real path), unless undefined */
  within?: string;
  /** the file was named without a wildcard: a wrong kind of file is an error, not a skip */
  explicit: boolean;
  workspace: string;
  warn: (message: string) => void;
}

/** True when `pattern` names one path, with no glob wildcard in it. */
export function isExplicit(pattern: string): boolean {
  return !/[*?[]/.test(pattern);
}

/** The matches that are regular files within the rule; throws InputError on a refused file. */
export async function screenArtifacts(files: readonly string[], rule: ArtifactRule): Promise<string[]> {
  const kept: string[] = [];
  for (const file of files) if (await acceptArtifact(file, rule)) kept.push(file);
  return kept;
}

async function acceptArtifact(file: string, rule: ArtifactRule): Promise<boolean> {
  const rel = relative(rule.workspace, file) || file;
  // stat, not open: opening a FIFO for reading blocks until a writer comes
  const info = await stat(file);
  if (!info.isFile()) {
    const problem = `${rel} is ${kindOf(info)}, not a regular file`;
    const fix = 'Only regular .wasm files are artifacts: remove it or narrow the glob.';
    if (rule.explicit) throw new InputError(rule.input, problem, fix);
    rule.warn(`${rule.input}: skipped ${problem}. ${fix}`);
    return false;
  }
  if (rule.within !== undefined) {
    const real = await realpath(file);
    if (!inside(rule.within, real)) {
      throw new InputError(
        rule.input,
        `${rel} leads outside the workspace (to ${real})`,
        'Build the module inside the workspace, or set `allow-outside-workspace: true` in the config file to measure it anyway.',
      );
    }
  }
  if (info.size > ARTIFACT_LIMIT_BYTES) {
    throw new InputError(
      rule.input,
      `${rel} is ${mib(info.size)}, over the ${mib(ARTIFACT_LIMIT_BYTES)} limit for an artifact`,
      'Measure a smaller module: the baseline stores each artifact (base64) in one JSON document.',
    );
  }
  return true;
}
