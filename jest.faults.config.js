/**
 * `npm run test:faults`: the fault-injection suite, real batches on the real local stack under crashes,
 * restarts, throttling and bad input. Kept out of `npm test` (jest.config.js ignores test/faults).
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  roots: ['<rootDir>/test/faults'],
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  // A scenario is one or two real batches of hundreds of images, with the faults' recovery times.
  testTimeout: 240000,
};
