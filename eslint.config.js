// Lint rules, including the layer boundaries. The packages form layers, each importing only those
// below it: engine → ir → train → export → protocol → runtime → apps (the engine is a tensor library and
// imports no package of ours; the IR knows no engine). The engine and shared packages stay free
// of React, Electron, DOM-only and node: imports; the renderer never reaches Electron or node:.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const uiAndHostModules = [
  'react',
  'react-dom',
  'react-dom/*',
  '@xyflow/*',
  'zustand',
  'zustand/*',
  'electron',
];
/** What each layer may import of ours; everything else of @hgrad/* is an error naming the layer. */
const LAYERS = [
  { files: ['engine/src/**/*.ts'], allowed: [], name: 'the engine (a tensor library)' },
  { files: ['packages/ir/src/**/*.ts'], allowed: [], name: 'the graph IR' },
  { files: ['packages/train/src/**/*.ts'], allowed: ['@hgrad/engine', '@hgrad/ir'], name: 'train' },
  {
    files: ['packages/export/src/**/*.ts'],
    allowed: ['@hgrad/engine', '@hgrad/ir', '@hgrad/train'],
    name: 'export',
  },
  {
    files: ['packages/protocol/src/**/*.ts'],
    allowed: ['@hgrad/ir'],
    types: ['@hgrad/train'],
    name: 'the protocol',
  },
  {
    files: ['packages/runtime/src/**/*.ts'],
    allowed: ['@hgrad/engine', '@hgrad/ir', '@hgrad/train', '@hgrad/export', '@hgrad/protocol'],
    name: 'the runtime',
  },
];
const ALL_PACKAGES = [
  '@hgrad/engine',
  '@hgrad/ir',
  '@hgrad/train',
  '@hgrad/export',
  '@hgrad/protocol',
  '@hgrad/runtime',
];
const layerRules = LAYERS.map(({ files, allowed, types = [], name }) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': [
      'error',
      {
        patterns: [
          ...ALL_PACKAGES.filter((p) => !allowed.includes(p) && !types.includes(p)).map((p) => ({
            group: [p, `${p}/*`],
            message: `${name} sits below ${p} in the layers (engine → ir → train → export → protocol → runtime → apps).`,
          })),
          ...types.map((p) => ({
            group: [p, `${p}/*`],
            allowTypeImports: true,
            message: `${name} may use ${p}'s types only.`,
          })),
        ],
      },
    ],
  },
}));

const nodeBuiltins = {
  group: ['node:*'],
  message: 'This layer runs in browsers and workers: no node: imports.',
};

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-web/**',
      '**/out/**',
      '**/coverage/**',
      'test-results/**',
      'playwright-report/**',
      'release/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module', globals: { ...globals.es2021 } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-eval': 'error',
      'no-new-func': 'error',
      'no-implied-eval': 'error',
    },
  },
  {
    files: ['engine/src/**/*.ts', 'packages/*/src/**/*.ts'],
    // The Node host of the runtime is the one place in packages/ that talks to worker_threads.
    ignores: ['**/*.test.ts', 'packages/runtime/src/node-*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: uiAndHostModules.filter((m) => !m.includes('*')),
          patterns: [
            nodeBuiltins,
            {
              group: uiAndHostModules.filter((m) => m.includes('*')),
              message: 'No UI or host modules in the engine or shared packages.',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', 'document', 'window', 'localStorage'],
    },
  },
  ...layerRules,
  {
    files: ['apps/studio/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['electron'],
          patterns: [{ group: ['node:*'], message: 'The renderer runs sandboxed: no node: imports.' }],
        },
      ],
    },
  },
  {
    files: [
      'apps/studio/src/main/**/*.ts',
      'apps/studio/src/preload/**/*.ts',
      'apps/studio/scripts/**',
      'apps/cli/**',
      'packages/runtime/src/node-*',
      'scripts/**',
      'bench/**',
      'e2e/**',
      '**/*.config.{ts,js}',
      'examples/**',
      'engine/test/**',
      'engine/scripts/**',
      'apps/studio/*.ts',
      '**/*.test.ts',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
);
