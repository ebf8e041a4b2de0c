import { loadConfig } from '../../src/config/config';
import { UserError } from '../../src/config/user-error';

const VALID = {
  SOURCE_BUCKET: 'images-in',
  RESULTS_BUCKET: 'images-out',
  QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/123456789012/images',
  PROJECT_VERSION_ARN: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
};

function problems(env: Record<string, string>, overrides: Record<string, string> = {}): string {
  try {
    loadConfig(env, overrides);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return (error as Error).message;
  }
  throw new Error('the config was accepted');
}

it('fills defaults and derives the dead-letter queue, rate limit and detect task queue', () => {
  expect(loadConfig(VALID)).toMatchObject({
    ...{ sourceBucket: 'images-in', resultsBucket: 'images-out' },
    deadLetterQueueUrl: `${VALID.QUEUE_URL}-dlq`,
    minInferenceUnits: 1,
    maxInferenceUnits: undefined,
    concurrency: 10,
    detectRateLimit: 5,
    statusPollIntervalMs: 5_000,
    modelTransitionTimeoutMs: 3_600_000,
    messageVisibilityTimeoutMs: 600_000,
    continueAsNewAfterEvents: 8_000,
    maxConsecutiveMessageFailures: 10,
    stopModelStartedElsewhere: false,
    taskQueue: 'custom-labels-batch',
    detectTaskQueue: 'custom-labels-batch-detect',
    awsRegion: undefined,
  });
});

it('lets CLI flags override environment variables', () => {
  expect(loadConfig({ ...VALID, CONCURRENCY: '4' }, { CONCURRENCY: '16' }).concurrency).toBe(16);
});

it('names every missing required variable at once', () => {
  const message = problems({});
  for (const name of ['SOURCE_BUCKET', 'RESULTS_BUCKET', 'QUEUE_URL', 'PROJECT_VERSION_ARN']) {
    expect(message).toContain(`${name} is required`);
  }
});

it.each([
  ['MIN_INFERENCE_UNITS', '0', 'MIN_INFERENCE_UNITS must be a whole number from 1 to 100; got "0"'],
  ['CONCURRENCY', 'lots', 'CONCURRENCY must be a whole number from 1 to 500; got "lots"'],
  [
    'STATUS_POLL_INTERVAL',
    '30',
    'STATUS_POLL_INTERVAL must be a duration such as 500ms, 30s, 5m or 1h; got "30"',
  ],
  [
    'MAX_CONSECUTIVE_MESSAGE_FAILURES',
    '0',
    'MAX_CONSECUTIVE_MESSAGE_FAILURES must be a whole number from 1 to 10000; got "0"',
  ],
  ['MIN_CONFIDENCE', '101', 'MIN_CONFIDENCE must be a number from 0 to 100; got "101"'],
  ['SOURCE_BUCKET', 'My_Bucket', 'SOURCE_BUCKET must be an S3 bucket name'],
  ['QUEUE_URL', 'images', 'QUEUE_URL must be an SQS queue URL'],
  [
    'PROJECT_VERSION_ARN',
    'arn:aws:rekognition:us-east-1:1:project/x',
    'PROJECT_VERSION_ARN must be a model version ARN',
  ],
  [
    'STOP_MODEL_STARTED_ELSEWHERE',
    'maybe',
    'STOP_MODEL_STARTED_ELSEWHERE must be true or false; got "maybe"',
  ],
  ['AWS_REGION', 'mars', 'AWS_REGION must be an AWS region such as us-east-1; got "mars"'],
  ['MODEL_POLL_INTERVAL', '5s', 'MODEL_POLL_INTERVAL was renamed: set STATUS_POLL_INTERVAL.'],
  ['MODEL_START_DEADLINE', '1h', 'MODEL_START_DEADLINE was renamed: set MODEL_TRANSITION_TIMEOUT.'],
  [
    'KEEP_MODEL_STARTED_ELSEWHERE',
    'true',
    'KEEP_MODEL_STARTED_ELSEWHERE was renamed: set STOP_MODEL_STARTED_ELSEWHERE, with the opposite meaning',
  ],
  [
    'STOP_MODEL_FOUND_RUNNING',
    'true',
    'STOP_MODEL_FOUND_RUNNING was renamed: set STOP_MODEL_STARTED_ELSEWHERE (default false), which governs only models this project did not start',
  ],
])('rejects %s=%s naming the variable and the expected form', (name, value, expected) => {
  expect(problems({ ...VALID, [name]: value })).toContain(expected);
});

it('parses a typed duration to milliseconds and a default the same way', () => {
  expect(loadConfig({ ...VALID, MESSAGE_VISIBILITY_TIMEOUT: '1.5s' }).messageVisibilityTimeoutMs).toBe(1_500);
  expect(loadConfig(VALID).messageVisibilityTimeoutMs).toBe(600_000);
});

it('refuses a results bucket equal to the source bucket (outputs would re-trigger the pipeline)', () => {
  expect(problems({ ...VALID, RESULTS_BUCKET: VALID.SOURCE_BUCKET })).toContain(
    'RESULTS_BUCKET must differ from SOURCE_BUCKET',
  );
});

it('refuses MAX_INFERENCE_UNITS below MIN_INFERENCE_UNITS', () => {
  expect(problems({ ...VALID, MIN_INFERENCE_UNITS: '3', MAX_INFERENCE_UNITS: '2' })).toContain(
    'MAX_INFERENCE_UNITS (2)',
  );
});
