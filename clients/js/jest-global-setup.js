// Jest globalSetup: one mock for the whole run, its URL and the GLOBUS_SDK_SERVICE_URL_*
// variables in process.env for the workers (Jest starts them after this).
import { startMockForRun } from './index.js';

export default async function globalSetup() {
  globalThis.__globusConformanceMock = await startMockForRun();
}
