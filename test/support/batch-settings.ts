import type { BatchSettings } from '../../src/workflows/batch-types';

/** A batch's settings as the worker hands them over, for unit tests of what a workflow computes from them. */
export const BATCH_SETTINGS: BatchSettings = {
  projectVersionArn: 'arn:aws:rekognition:us-east-1:123456789012:project/shapes/version/v1/1700000000000',
  queueUrl: 'http://queue/images',
  deadLetterQueueUrl: 'http://queue/images-dlq',
  sourceBucket: 'in',
  resultsBucket: 'out',
  minInferenceUnits: 1,
  maxInferenceUnits: 8,
  concurrency: 4,
  statusPollIntervalMs: 5_000,
  modelTransitionTimeoutMs: 3_600_000,
  messageVisibilityTimeoutSeconds: 600,
  stopModelStartedElsewhere: false,
  detectTaskQueue: 'detect',
  inferenceUnitHourlyCost: 4,
};
