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

/** What no renderer file may import (the renderer's place among the runtimes). */
const rendererPatterns = [
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
];

/** The renderer's feature folders: views and their controllers. */
const features = ['chat', 'circulars', 'org', 'org-admin', 'account', 'audit', 'residents'];
/** Import paths of a renderer folder from a file one or two levels below `renderer/src`. */
const folder = (name) => [`../${name}/*`, `../../${name}/*`];
const featureGroups = features.flatMap(folder);

/**
 * The one-way edges between features: each feature, and the modules of other features it may
 * import. Everything else in another feature is its internals. The edges form no cycle
 * (chat → circulars → audit; chat → account; org-admin → org → residents).
 */
const featureImports = {
  chat: ['circulars/circular-events', 'account/password-form'],
  circulars: ['audit/report-audit'],
  org: ['residents/invite-panel'],
  'org-admin': ['org/use-org-model'],
};
/** Import paths a feature must not use: the other features' folders but its allowed modules. */
const otherFeatures = (feature) => [
  ...features.filter((f) => f !== feature).flatMap(folder),
  ...(featureImports[feature] ?? []).flatMap((m) => [`!../${m}`, `!../../${m}`]),
];

/**
 * Layers inside the renderer, lowest first. Each entry: the files, and what they must not import
 * besides {@link rendererPatterns}. A later config block replaces a rule for the files it
 * matches, so each block repeats the renderer's own patterns.
 */
const rendererLayers = [
  {
    files: ['renderer/src/store/**/*.ts', 'renderer/src/store/**/*.tsx'],
    patterns: [
      {
        group: ['matrix-js-sdk', 'matrix-js-sdk/*'],
        message: 'The store holds IDs and plain data, never SDK objects or types.',
      },
      {
        group: folder('matrix'),
        message:
          'The store sits below the Matrix adapter: plain-data types live in the store (or shared/) and the adapter imports them.',
      },
      {
        group: [
          ...featureGroups,
          ...folder('session'),
          ...folder('screens'),
          ...folder('platform'),
        ],
        message: 'The store sits below the features and the session: they write to it.',
      },
    ],
  },
  {
    files: ['renderer/src/platform/**/*.ts'],
    patterns: [
      {
        group: ['matrix-js-sdk', 'matrix-js-sdk/*', ...folder('store')],
        message: 'platform/ is the bridge to the shell and the browser: no Matrix SDK, no store.',
      },
      {
        group: [...featureGroups, ...folder('session'), ...folder('screens')],
        message: 'platform/ sits below the features and the session.',
      },
    ],
  },
  {
    files: ['renderer/src/i18n/**/*.ts', 'renderer/src/i18n/**/*.tsx'],
    patterns: [
      {
        group: [...featureGroups, ...folder('session'), ...folder('screens')],
        message:
          'i18n/ sits below the features: their catalogues are assembled at the app root (app-i18n.ts).',
      },
    ],
  },
  {
    files: ['renderer/src/components/**/*.ts', 'renderer/src/components/**/*.tsx'],
    patterns: [
      {
        group: [...featureGroups, ...folder('session'), ...folder('screens')],
        message:
          'components/ holds the pieces features and screens share: it imports none of them.',
      },
    ],
  },
  {
    files: ['renderer/src/matrix/**/*.ts', 'renderer/src/matrix/**/*.tsx'],
    patterns: [
      {
        group: [...featureGroups, ...folder('session'), ...folder('screens')],
        message:
          'matrix/ is the adapter below the features: what it needs of one is passed in (the session root or the view wires them together).',
      },
    ],
  },
  ...features.map((feature) => ({
    files: [`renderer/src/${feature}/**/*.ts`, `renderer/src/${feature}/**/*.tsx`],
    patterns: [
      {
        group: [
          '**/session/session-root',
          '**/session/session-stores',
          '**/session/circulars-part',
          '**/session/session-controller',
          '**/session/session-encryption',
        ],
        message:
          'Features reach the session through useSession() (session-context.tsx); only the session root starts them.',
      },
      {
        group: folder('screens'),
        message: 'Screens compose features, not the other way round.',
      },
      {
        group: otherFeatures(feature),
        message: `A feature imports another only through a module that feature offers it (featureImports: ${feature} may import ${
          featureImports[feature]?.join(', ') || 'no other feature'
        }).`,
      },
    ],
  })),
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
      'no-restricted-imports': ['error', { patterns: rendererPatterns }],
    },
  },
  ...rendererLayers.map(({ files, patterns }) => ({
    files,
    rules: {
      'no-restricted-imports': ['error', { patterns: [...rendererPatterns, ...patterns] }],
    },
  })),
  {
    files: ['scripts/pwa/service-worker.js'],
    languageOptions: { globals: { ...globals.serviceworker } },
  },
  {
    // The kit knows nothing of provisioning: admin/ builds on it, and what `start` seeds is passed in
    // through homeserver/seed.ts. Integration tests may drive both.
    files: ['homeserver/**/*.ts'],
    ignores: ['homeserver/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/admin/**', '**/admin'],
              message: 'homeserver/ imports nothing from admin/ (seeding goes through seed.ts).',
            },
          ],
        },
      ],
    },
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
