// Vitest: `test` with a `world` fixture of worker scope. Each worker makes its world once and
// deletes it when the worker ends (with Vitest's default isolation a worker serves one file).
import { test as base, inject } from 'vitest';
import { serviceEnv, useWorld } from './index.js';

export const test = base.extend({
  world: [
    // Vitest reads the fixtures a fixture needs from its first parameter's pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      const url = inject('globusMockUrl') ?? process.env.GLOBUS_MOCK_URL;
      Object.assign(process.env, serviceEnv(url));
      await useWorld(use, url);
    },
    { scope: 'worker' },
  ],
});

export { expect } from 'vitest';
export { createWorld } from './index.js';
