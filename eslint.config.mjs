// ESLint flat config: typescript-eslint everywhere, with import boundaries from DEVELOPERS.md.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const noVscode = { name: 'vscode', message: 'Only src/vscode/ and src/extension.ts may import vscode.' };
const noTf = {
  group: ['@tensorflow/*'],
  message: 'Only src/model/ may import TensorFlow.js.',
};

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
  {
    files: ['src/audio/**/*.ts', 'src/dataset/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTf] }] },
  },
  {
    files: ['src/engine/**/*.ts', 'src/cli.ts', 'src/protocol.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [noVscode], patterns: [noTf] }] },
  },
  {
    files: ['src/vscode/**/*.ts', 'src/extension.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [noTf] }] },
  },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { paths: [noVscode], patterns: [noTf, { group: ['node:*', 'fs', 'path'], message: 'Webviews run in a browser.' }] },
      ],
    },
  },
);
