// Vitest with one mock for the run and a world per worker (the `world` fixture).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globalSetup: ['@globus-conformance/mock/vitest/global-setup'],
    include: ['**/*.test.js'],
    maxWorkers: 2,
    // The isolation suites wait for each other, which a busy machine can make slow.
    testTimeout: 30_000,
  },
});
