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
    // Tests poke at untyped JSON documents on purpose (corrupt baselines, hostile reports).
    files: ['__tests__/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
