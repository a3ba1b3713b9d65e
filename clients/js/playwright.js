// Playwright Test: `test` with a `world` fixture of worker scope, so each worker has a world of
// its own for all the tests it runs, deleted when the worker ends.
import { test as base } from '@playwright/test';
import { useWorld } from './index.js';

export const test = base.extend({
  world: [
    // Playwright reads the fixtures a fixture needs from its first parameter's pattern.
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => useWorld(use),
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
export { createWorld } from './index.js';
