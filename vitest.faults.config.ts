import { defineConfig } from 'vitest/config';

/**
 * The fault suite (`npm run test:faults`): the real service as child processes, killed,
 * starved of its provider and of its database. One file at a time: each one measures pace or
 * timing, and the two cores are theirs alone.
 */
export default defineConfig({
  test: {
    include: ['test/faults/*.test.ts'],
    globalSetup: ['test/setup/global.ts'],
    setupFiles: ['test/setup/children.ts'],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
    maxWorkers: 1,
  },
});
