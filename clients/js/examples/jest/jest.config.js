// Jest with one mock for the run and a world per test file; ESM test files need
// NODE_OPTIONS=--experimental-vm-modules (Jest's own way to run ES modules).
export default {
  globalSetup: '@globus-conformance/mock/jest/global-setup',
  globalTeardown: '@globus-conformance/mock/jest/global-teardown',
  testEnvironment: 'node',
  transform: {},
  maxWorkers: 2,
  // The isolation suites wait for each other, which a busy machine can make slow.
  testTimeout: 30_000,
};
