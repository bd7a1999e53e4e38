import tseslint from 'typescript-eslint';

// Domain modules are pure: they receive `now`, config and state, and return decisions. Keeping I/O
// libraries out of them is what makes replay, dry-run and offline benchmarks possible.
const ioModules = ['kafkajs', '@kafkajs/confluent-schema-registry', 'ioredis', 'fastify', 'pino',
  'node:fs', 'node:fs/promises', 'node:net', 'node:http', 'node:child_process', 'fs', 'net', 'http', 'child_process'];

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.stack/**', 'bench/results/**', 'libs/contracts/src/generated/**'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['services/*/src/domain/**/*.ts', 'libs/*/src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ioModules.map((name) => ({ name, message: 'domain code does no I/O: do it in an adapter' })) }],
    },
  },
);
