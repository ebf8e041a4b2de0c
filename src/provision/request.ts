import { bucketName, region, sameBucketProblem } from '../config/settings-spec';
import { UserError } from '../config/user-error';
import { DEFAULT_MAX_RECEIVE_COUNT } from './definitions';

export { DEFAULT_MAX_RECEIVE_COUNT };

export interface ProvisionRequest {
  sourceBucket: string;
  resultsBucket: string;
  queueName: string;
  deadLetterQueueName: string;
  /** Unset: the S3 client's region, from the AWS SDK's chain (e.g. the AWS profile's). */
  region?: string;
  visibilityTimeoutSeconds: number;
  /** Deliveries of one message before SQS moves it to the dead-letter queue (default 5). */
  maxReceiveCount?: number;
  log?: (line: string) => void;
}

/** Checked before any AWS call, so a typo creates nothing. */
export function validateProvisionRequest(request: ProvisionRequest): void {
  bucketName(request.sourceBucket, 'the source bucket name');
  bucketName(request.resultsBucket, 'the results bucket name');
  const sameBucket = sameBucketProblem(
    { source: request.sourceBucket, results: request.resultsBucket },
    { source: 'the source bucket', results: 'the results bucket' },
  );
  if (sameBucket) throw new UserError(sameBucket);
  standardQueueName(request.queueName, 'the queue name');
  standardQueueName(request.deadLetterQueueName, 'the dead-letter queue name');
  if (request.queueName === request.deadLetterQueueName) {
    throw new UserError('the dead-letter queue must differ from the queue it takes messages from.');
  }
  if (request.region !== undefined) region(request.region, 'the region');
  wholeNumber(request.visibilityTimeoutSeconds, 'the visibility timeout in seconds', 0, 43_200);
  wholeNumber(request.maxReceiveCount ?? DEFAULT_MAX_RECEIVE_COUNT, 'the max receive count', 1, 1_000);
}

/** S3 cannot notify FIFO queues, so the '.fifo' suffix is not accepted either. */
function standardQueueName(name: string, what: string): void {
  if (!/^[A-Za-z0-9_-]{1,80}$/.test(name)) {
    throw new UserError(
      `${what} must be 1–80 letters, digits, "-" or "_" (a standard queue: S3 cannot notify FIFO queues); got ${JSON.stringify(name)}.`,
    );
  }
}

function wholeNumber(value: number, what: string, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new UserError(`${what} must be a whole number from ${min} to ${max}; got ${value}.`);
  }
}
