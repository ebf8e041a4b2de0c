import { ApplicationFailure } from '@temporalio/common';
import { awsCall, classifyAwsError } from '../../src/activities/aws-errors';

function awsError(name: string, httpStatusCode?: number): Error {
  return Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode } });
}

describe('classifyAwsError', () => {
  it.each([
    ['ProvisionedThroughputExceededException', 400],
    ['ThrottlingException', 400],
    ['ResourceNotReadyException', 400],
    ['InternalServerError', 500],
    ['SlowDown', 503],
    ['AnythingElse', 502],
    ['TooManyRequests', 429],
  ])('%s (%s) is transient', (name, status) => {
    expect(classifyAwsError(awsError(name, status))).toBe('transient');
  });

  it.each([
    ['AccessDeniedException', 400],
    ['ResourceNotFoundException', 400],
    ['NoSuchBucket', 404],
    ['InvalidParameterException', 400],
  ])('%s (%s) is permanent', (name, status) => {
    expect(classifyAwsError(awsError(name, status))).toBe('permanent');
  });

  it('treats network errors as transient', () => {
    expect(classifyAwsError(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }))).toBe(
      'transient',
    );
  });
});

describe('awsCall', () => {
  it('rethrows transient errors as retryable, naming the call', async () => {
    const failure = await awsCall('GetObject s3://b/k', () =>
      Promise.reject(awsError('SlowDown', 503)),
    ).catch((e: unknown) => e);
    expect(failure).not.toBeInstanceOf(ApplicationFailure);
    expect((failure as Error).message).toBe('GetObject s3://b/k failed: SlowDown: SlowDown happened');
  });

  it('turns permanent errors into non-retryable failures typed by the AWS error name', async () => {
    const failure = await awsCall('PutObject s3://b/k', () =>
      Promise.reject(awsError('AccessDenied', 403)),
    ).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ApplicationFailure);
    expect(failure).toMatchObject({
      nonRetryable: true,
      type: 'AccessDenied',
      message: 'PutObject s3://b/k failed: AccessDenied: AccessDenied happened',
    });
  });
});
