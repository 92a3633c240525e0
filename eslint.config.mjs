// Lint: type-aware rules that catch lost promises and non-exhaustive switches, and a fence that
// keeps workflow code deterministic (no Node built-ins, Nest, TypeORM or database clients).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = ['fs', 'path', 'os', 'crypto', 'child_process', 'net', 'http', 'https', 'util', 'stream', 'events', 'timers', 'worker_threads'];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.venv/**', 'coverage/**', '*.js', '*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'libs/domain/**/*.ts'],
    ignores: ['**/*.spec.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.flatMap((m) => [m, `node:${m}`]).map((name) => ({ name, message: 'Workflow code must be deterministic: no Node built-ins.' })),
          patterns: [
            { group: ['@nestjs/*', 'typeorm', 'pg', 'nodemailer', '@temporalio/client', '@temporalio/worker', '@temporalio/activity'], message: 'Not in workflow or domain code: it runs inside the workflow sandbox.' },
            { group: ['@buf/bpmn', '@buf/bpmn/*', 'bpmn-moddle', 'bpmn-auto-layout', 'bpmn-js'], message: 'The BPMN export is for the API: it must not reach the workflow bundle.' },
          ],
        },
      ],
    },
  },
);
