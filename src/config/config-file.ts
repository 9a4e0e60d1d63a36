import { parse as parseYaml, YAMLParseError } from 'yaml';
import { configSchema, type ConfigFile } from './config-schema.js';
import { InputError } from '../model/input-error.js';

/** Parses the YAML config text; every problem names the file, the key and the fix. */
export function parseConfigFile(text: string, path: string): ConfigFile {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (e) {
    const where = e instanceof YAMLParseError && e.linePos ? ` at line ${e.linePos[0].line}` : '';
    throw new InputError(
      'config',
      `${path} is not valid YAML${where}: ${(e as Error).message.split('\n')[0]}`,
      'Fix the YAML syntax (indentation, quotes, colons).',
    );
  }
  const result = configSchema.safeParse(raw ?? {});
  if (!result.success) {
    // YAML 1.2 has no merge keys: `<<: *defaults` arrives as a key named `<<` (and the merged keys go missing).
    const merge = result.error.issues.find((i) => i.code === 'unrecognized_keys' && i.keys.includes('<<'));
    if (merge) {
      throw new InputError(
        'config',
        `${path}: ${merge.path.length ? merge.path.join('.') : '(top level)'}: YAML merge keys (<<) are not supported`,
        'Write the keys out in each entry (anchors and aliases of whole values, such as `runtimes: *list`, work).',
      );
    }
    const issue = result.error.issues[0]!;
    const key = issue.path.length ? issue.path.join('.') : '(top level)';
    throw new InputError(
      'config',
      `${path}: ${key}: ${issue.message}`,
      'See docs/configuration.md, "Config file", for the accepted keys.',
    );
  }
  return result.data;
}
