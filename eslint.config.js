// ESLint flat config: typescript-eslint's recommended rules; Prettier owns layout (npm run format).
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', '__tests__/fixtures/', '.wasm-perf-gate/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, Deno: 'readonly', Bun: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // One door for inputs (src/config/) and one for outputs (src/github/set-output.ts, names from report/outputs.ts).
    files: ['src/**/*.ts'],
    ignores: ['src/config/**', 'src/github/set-output.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        ...['getInput', 'getBooleanInput', 'getMultilineInput'].map((property) => ({
          object: 'core',
          property,
          message: 'Read inputs in src/config/ only (readActionInputs, then the Plan); see docs/adrs/0018-layers.md.',
        })),
        {
          object: 'core',
          property: 'setOutput',
          message:
            'Use setOutput from src/github/set-output.ts: its names come from the output table (src/report/outputs.ts).',
        },
      ],
    },
  },
  {
    // Tests poke at untyped JSON documents on purpose (corrupt baselines, hostile reports).
    files: ['__tests__/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
