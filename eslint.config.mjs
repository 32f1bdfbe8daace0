// ESLint flat config: typescript-eslint everywhere, with import boundaries from DEVELOPERS.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' };
const noTf = {
  group: ['@tensorflow/*'],
  message: 'Only src/model/ may import TensorFlow.js.',
};

/**
 * The layers, lowest first: src/audio; src/model and src/dataset (over audio); src/engine (over model
 * and dataset); src/vscode and the CLI (over everything). A relative import of a folder above the
 * importing file's layer is refused.
 */
const above = (folders, message) => ({ regex: `^\\.{1,2}/(\\.\\./)*(${folders.join('|')})(/|$)`, message });

/** The boundary rules of one folder: no vscode, TF.js only where allowed, nothing from above. */
const boundary = (files, { vscode = false, tf = false, up = [] } = {}) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      {
        paths: vscode ? [] : [noVscode],
        patterns: [
          ...(tf ? [] : [noTf]),
          ...(up.length
            ? [above(up, `${files[0]} may not import from a layer above it (${up.join(', ')}).`)]
            : []),
        ],
      },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'dist-vsix/**',
      '.vscode-test/**',
      'test-results/**',
      'training/**',
      'models/**',
      'samples/**',
      'test/fixtures/**',
      'scratch/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        performance: 'readonly',
        WebAssembly: 'readonly',
        __dirname: 'readonly',
        require: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  boundary(['src/audio/**/*.ts'], {
    up: ['model', 'dataset', 'engine', 'vscode', 'protocol', 'cli', 'extension'],
  }),
  boundary(['src/dataset/**/*.ts'], {
    up: ['model', 'engine', 'vscode', 'protocol', 'cli', 'extension'],
  }),
  boundary(['src/model/**/*.ts'], {
    tf: true,
    up: ['dataset', 'engine', 'vscode', 'protocol', 'cli', 'extension'],
  }),
  boundary(['src/engine/**/*.ts'], { up: ['vscode', 'protocol', 'cli', 'extension'] }),
  boundary(['src/cli/**/*.ts'], { up: ['vscode', 'extension'] }),
  // The protocol is read by the webviews too: of the layers, only the dataset page's view type (types
  // only, src/dataset/datasetView.ts) may be imported.
  boundary(['src/protocol/**/*.ts'], {
    up: ['audio', 'model', 'dataset(?!/datasetView$)', 'engine', 'vscode', 'cli', 'extension'],
  }),
  boundary(['src/vscode/**/*.ts', 'src/extension.ts'], { vscode: true }),
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [noVscode],
          patterns: [noTf, { group: ['node:*', 'fs', 'path'], message: 'Webviews run in a browser.' }],
        },
      ],
    },
  },
);
