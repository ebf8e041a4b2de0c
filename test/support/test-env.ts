/** Environment variables global-setup.ts fills for every test file. */
export const TEST_ENV = {
  motoEndpoint: 'CLB_TEST_MOTO_ENDPOINT',
  modelsDir: 'CLB_TEST_MODELS_DIR',
  modelArn: 'CLB_TEST_MODEL_ARN',
  temporalAddress: 'CLB_TEST_TEMPORAL_ADDRESS',
} as const;

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value)
    throw new Error(`${TEST_ENV[name]} is not set: run the tests through jest (test/global-setup.ts).`);
  return value;
}

/** CONTINUE_AS_NEW_AFTER_EVENTS of test batches: low, so long test batches continue as new. */
export const TEST_CONTINUE_AS_NEW_EVENTS = 300;
