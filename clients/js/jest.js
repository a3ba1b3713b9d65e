// Jest: a world per test file. Jest gives each test file a module registry of its own, so the
// world this module keeps is the file's; workers run files side by side, each in its world.
import { createWorld } from './index.js';

export { default as globalSetup } from './jest-global-setup.js';
export { default as globalTeardown } from './jest-global-teardown.js';

let current;

/**
 * This test file's world, made on first use and deleted after the file's tests. Call it at the
 * top level of the file (`const w = await world();`), where Jest still takes an afterAll hook.
 * @param {object} [worldDocument] the world to make instead of the default world's seed (first call only)
 */
export function world(worldDocument) {
  if (current === undefined) {
    if (typeof globalThis.afterAll !== 'function') {
      throw new Error('world() needs Jest\'s afterAll global (injectGlobals); without it use createWorld() and delete the world yourself');
    }
    const made = createWorld(undefined, worldDocument);
    globalThis.afterAll(async () => (await made).delete());
    current = made;
  }
  return current;
}

export { createWorld } from './index.js';
