// Jest globalTeardown: stops the mock globalSetup started (Jest runs both in its main process).
export default async function globalTeardown() {
  await globalThis.__globusConformanceMock?.stop();
  globalThis.__globusConformanceMock = undefined;
}
