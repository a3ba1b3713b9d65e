// Vitest globalSetup: one mock for the whole run; its URL is provided to the tests
// (inject('globusMockUrl')) and put in process.env with the GLOBUS_SDK_SERVICE_URL_* variables.
import { startMockForRun } from './index.js';

export default async function setup(project) {
  const mock = await startMockForRun();
  project?.provide?.('globusMockUrl', mock.url);
  return () => mock.stop();
}
