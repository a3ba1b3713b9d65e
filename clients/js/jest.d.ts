import type { World } from './index.js';
export { createWorld } from './index.js';
/** This test file's world, deleted after the file's tests; call it at the file's top level. */
export declare function world(worldDocument?: Record<string, unknown>): Promise<World>;
export declare function globalSetup(): Promise<void>;
export declare function globalTeardown(): Promise<void>;
