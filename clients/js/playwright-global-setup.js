// Playwright Test globalSetup: one mock for the whole run, its URL and the
// GLOBUS_SDK_SERVICE_URL_* variables in process.env for the workers; the function it returns is
// Playwright's teardown.
import { startMockForRun } from './index.js';

export default async function globalSetup() {
  const mock = await startMockForRun();
  return () => mock.stop();
}
