import { configFromOptions } from '../../src/cli/config-options';
import { UserError } from '../../src/config/user-error';

const VALID = {
  SOURCE_BUCKET: 'images-in',
  RESULTS_BUCKET: 'images-out',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/images',
  PROJECT_VERSION_ARN: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
};
const KEYS = ['sourceBucket', 'resultsBucket', 'queueUrl', 'projectVersionArn', 'concurrency'] as const;
const WITH_UNITS = ['minInferenceUnits', 'maxInferenceUnits'] as const;

/** The problems reported for these flags (as commander parses them) over this environment. */
function problems(
  flags: Record<string, string>,
  env: Record<string, string>,
  keys: readonly string[] = KEYS,
) {
  try {
    configFromOptions(flags, keys as typeof KEYS, env);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

it('names a typed flag as the flag, not as the variable it overrides', () => {
  const message = problems({ concurrency: 'lots' }, VALID);

  expect(message).toContain('--concurrency must be a whole number from 1 to 500; got "lots"');
  expect(message).not.toContain('CONCURRENCY');
});

it('names a value from the environment as the variable', () => {
  const message = problems({}, { ...VALID, CONCURRENCY: 'lots' });

  expect(message).toContain('CONCURRENCY must be a whole number from 1 to 500; got "lots"');
  expect(message).not.toContain('--concurrency');
});

it('names each side of a rule between two settings as it was given', () => {
  expect(problems({ resultsBucket: VALID.SOURCE_BUCKET }, VALID)).toContain(
    '--results-bucket must differ from SOURCE_BUCKET',
  );
  expect(problems({ maxInferenceUnits: '2' }, { ...VALID, MIN_INFERENCE_UNITS: '3' }, WITH_UNITS)).toContain(
    '--max-inference-units (2) must not be below MIN_INFERENCE_UNITS (3)',
  );
});

it('leaves AWS_REGION unset when not given, for the AWS SDK chain to decide', () => {
  expect(configFromOptions({}, ['awsRegion'], {}).awsRegion).toBeUndefined();
  expect(configFromOptions({ awsRegion: 'eu-west-1' }, ['awsRegion'], {}).awsRegion).toBe('eu-west-1');
});
