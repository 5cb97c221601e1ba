import { defineConfig } from 'vitest/config';

// One run covers every package and the end-to-end tests. Packages resolve each other's source through
// the "@entente/source" export condition, so tests need no build (the e2e tests spawn the built CLI).
export default defineConfig({
  resolve: { conditions: ['@entente/source'] },
  ssr: { resolve: { conditions: ['@entente/source'] } },
  test: {
    setupFiles: ['./vitest.setup.ts'],
    globalSetup: ['./vitest.seed.ts'],
    projects: [
      { extends: true, test: { name: 'core', include: ['packages/core/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'cli', include: ['packages/cli/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'testing', include: ['packages/testing/test/**/*.test.ts'] } },
      { extends: true, test: { name: 'report', include: ['packages/report/test/**/*.test.ts'] } },
      {
        extends: true,
        test: {
          name: 'e2e',
          include: ['tests/**/*.test.ts'],
          exclude: ['tests/.user/**', '**/node_modules/**'],
          testTimeout: 60_000,
        },
      },
    ],
  },
});
