// Lint rules with type information. The timer/randomness ban keeps every wait and every
// jitter injectable, so unit tests can drive a manual clock instead of sleeping.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const timeGlobals = [
  { name: 'setTimeout', message: 'Inject a Clock (src/time) instead.' },
  { name: 'setInterval', message: 'Inject a Clock (src/time) instead.' },
  { name: 'setImmediate', message: 'Inject a Clock (src/time) instead.' },
];
const timeMembers = [
  { object: 'Date', property: 'now', message: 'Inject a Clock (src/time) instead.' },
  { object: 'Math', property: 'random', message: 'Inject a Random (src/time) instead.' },
];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', 'bench/results/', 'coverage/', 'tmp/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      'no-console': 'off',
    },
  },
  {
    files: ['src/**/*.ts'],
    ignores: ['src/time/**', 'src/**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...timeGlobals],
      'no-restricted-properties': ['error', ...timeMembers],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly' },
    },
  },
  {
    files: ['**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: {
      ...tseslint.configs.disableTypeChecked.languageOptions,
      sourceType: 'commonjs',
      globals: { process: 'readonly', require: 'readonly', module: 'writable' },
    },
    rules: {
      ...tseslint.configs.disableTypeChecked.rules,
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
);
