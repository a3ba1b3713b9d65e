// Playwright Test with one mock for the run and a world per worker (the `world` fixture).
// API tests only: no browser is launched.
import { defineConfig } from '@playwright/test';

export default defineConfig({
  globalSetup: '@globus-conformance/mock/playwright/global-setup',
  testMatch: '*.spec.js',
  workers: 2,
  reporter: 'list',
});
