// Prints the config file's JSON Schema from the zod schema: `npx tsx scripts/config-schema.ts > schema/config.schema.json`.
import { z } from 'zod';
import { configSchema } from '../src/config/config-schema.js';

const schema = {
  ...z.toJSONSchema(configSchema, { io: 'input' }),
  title: 'wasm-perf-gate config file',
  description: 'The YAML file named by the `config` input (see the README, "Config file").',
};
export const configJsonSchema = JSON.stringify(schema, null, 2) + '\n';
if (process.argv[1]?.endsWith('config-schema.ts')) process.stdout.write(configJsonSchema);
