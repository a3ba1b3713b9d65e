import type { PlaywrightTestArgs, PlaywrightTestOptions, PlaywrightWorkerArgs, PlaywrightWorkerOptions, TestType } from '@playwright/test';
import type { World } from './index.js';
export { expect } from '@playwright/test';
export { createWorld } from './index.js';
/** Playwright's test with a worker-scoped `world` fixture. */
export declare const test: TestType<PlaywrightTestArgs & PlaywrightTestOptions, PlaywrightWorkerArgs & PlaywrightWorkerOptions & { world: World }>;
