/**
 * The CDK app's tests: assertions on synthesized templates, and the template deployed into moto. Run
 * from the repository root (`npx jest -c infra/jest.config.js`) with its jest and ts-jest; they need no
 * Temporal or model server, so none of the main suite's global setup.
 * @type {import('jest').Config}
 */
module.exports = {
  preset: 'ts-jest',
  testEnvironment: 'node',
  rootDir: __dirname,
  roots: ['<rootDir>/test'],
  // tsconfig.json's isolatedModules makes ts-jest transpile only: `npm run typecheck` checks the types,
  // and checking them here too took 40 s.
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: `${__dirname}/tsconfig.json` }] },
  testTimeout: 120000,
};
