import { defineConfig } from 'vitest/config';

// Two tiers (HOUSE_STYLE §10): pure unit tests that need nothing running, and integration tests
// (`*.int.test.ts`, plus everything under test/) that run against the real Kafka, registry and Redis,
// provisioned once per run by the global setup, or reused when a local stack is already up.
export default defineConfig({
  test: {
    // The JSON report lets .ci/run print a plain "N passed, N failed" line for CI.
    reporters: ['default', ['json', { outputFile: '.vitest/results.json' }]],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['libs/*/test/**/*.test.ts', 'services/*/test/**/*.test.ts', 'scripts/test/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'integration',
          include: ['libs/*/test/**/*.int.test.ts', 'services/*/test/**/*.int.test.ts', 'test/**/*.test.ts'],
          exclude: ['**/node_modules/**'],
          environment: 'node',
          globalSetup: ['test/setup/global-stack.ts'],
          setupFiles: ['test/setup/stop-strays.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // Two cores shared by a broker, a registry and the services under test: running integration
          // files one at a time keeps timings meaningful and rebalances quick.
          poolOptions: { forks: { singleFork: true } },
        },
      },
    ],
  },
});
