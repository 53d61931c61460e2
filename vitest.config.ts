import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          globalSetup: ['test/support/scratch.ts'],
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // One stack for the whole run: brought up once, taken down at the end if we started it.
          globalSetup: ['test/support/scratch.ts', 'test/e2e/global-setup.ts'],
          testTimeout: 300_000,
          hookTimeout: 600_000,
          // e2e tests share one registry and builder; run files one at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
