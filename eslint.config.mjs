import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'lib/**',
      'node_modules/**',
      'coverage/**',
      '.local/**',
      '.venv/**',
      'results/**',
      'bin/**',
      'infra/cdk.out/**',
      '*.config.js',
      'infra/*.config.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { project: './tsconfig.check.json', tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      // Activities are functions in object literals (method shorthand) that never use `this`.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // jest's asymmetric matchers (expect.any, expect.stringContaining) are typed `any`.
    files: ['test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'Workflow code is sandboxed: no Node built-ins.' },
            { group: ['@aws-sdk/*'], message: 'Workflow code does no I/O: call an activity.' },
            {
              group: ['../config/*', '../activities/*', '../local/*'],
              allowTypeImports: true,
              message: 'Workflow code gets parsed settings and calls activities: import their types only.',
            },
          ],
          paths: [
            'fs',
            'path',
            'os',
            'http',
            'https',
            'net',
            'crypto',
            'child_process',
            'util',
            'stream',
            'events',
          ].map((name) => ({ name, message: 'Workflow code is sandboxed: no Node built-ins.' })),
        },
      ],
    },
  },
  { files: ['eslint.config.mjs'], ...tseslint.configs.disableTypeChecked },
);
