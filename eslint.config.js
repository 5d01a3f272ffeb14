// Layer rules are errors: a wrong import fails the build (see docs/code-style.md).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'https',
  'net',
  'url',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'out/**',
      'dist/**',
      'release/**',
      'test-results/**',
      'homeserver/.venv/**',
      'homeserver/data/**',
      'coverage/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    files: ['shared/**/*.ts'],
    ignores: ['shared/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['electron', 'electron/*'], message: 'shared/ is pure: no Electron.' },
            {
              group: ['matrix-js-sdk', 'matrix-js-sdk/*'],
              message: 'shared/ is pure: no Matrix SDK.',
            },
            { group: nodeBuiltins, message: 'shared/ is pure: no Node built-ins.' },
            { group: ['react', 'react-dom', 'zustand'], message: 'shared/ is pure: no UI.' },
            {
              group: ['**/renderer/**', '**/main/**', '**/homeserver/**', '**/admin/**'],
              message: 'shared/ depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer reaches the shell only through the preload bridge.',
            },
            {
              group: nodeBuiltins,
              message: 'The renderer runs in a browser sandbox: no Node built-ins.',
            },
            {
              group: ['**/main/**', '**/homeserver/**', '**/admin/**'],
              message: 'renderer/ may import shared/ only.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['scripts/pwa/service-worker.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    files: ['main/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['matrix-js-sdk', 'matrix-js-sdk/*'],
              message: 'The Matrix client lives in the renderer.',
            },
            {
              group: ['react', 'react-dom', 'zustand', '**/renderer/**'],
              message: 'main/ may import shared/ and Node only.',
            },
          ],
        },
      ],
    },
  },
);
