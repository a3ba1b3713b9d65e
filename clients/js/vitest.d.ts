import type { TestAPI } from 'vitest';
import type { World } from './index.js';
export { expect } from 'vitest';
export { createWorld } from './index.js';
/** Vitest's test with a worker-scoped `world` fixture. */
export declare const test: TestAPI<{ world: World }>;
declare module 'vitest' {
  export interface ProvidedContext {
    globusMockUrl: string;
  }
}
