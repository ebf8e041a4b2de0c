import { ActivityFailure, ApplicationFailure, RetryState } from '@temporalio/common';
import { failureReason, failureScope } from '../../src/workflows/failure-scope';

function activityFailure(cause: Error): ActivityFailure {
  return new ActivityFailure(
    'Activity task failed',
    'copyObject',
    '7',
    RetryState.NON_RETRYABLE_FAILURE,
    'worker',
    cause,
  );
}

it.each([
  [
    'a non-retryable AWS error about the object',
    ApplicationFailure.nonRetryable('too large', 'InvalidRequest'),
    'message',
  ],
  ['a missing bucket', ApplicationFailure.nonRetryable('gone', 'NoSuchBucket'), 'system'],
  ['denied access', ApplicationFailure.nonRetryable('denied', 'AccessDenied'), 'system'],
  ['a missing queue', ApplicationFailure.nonRetryable('gone', 'QueueDoesNotExist'), 'system'],
  [
    'S3 refusing a look at an unreadable image',
    ApplicationFailure.nonRetryable('denied', 'SourceObjectAccessDenied'),
    'system',
  ],
  ['retries that ran out', ApplicationFailure.retryable('throttled', 'Error'), 'system'],
] as const)('calls %s a failure of the %s', (_what, cause, scope) => {
  expect(failureScope(activityFailure(cause))).toBe(scope);
});

it('reads a local activity’s non-retryable failure, which arrives unwrapped, by its type', () => {
  expect(failureScope(ApplicationFailure.nonRetryable('too large', 'InvalidRequest'))).toBe('message');
  expect(failureScope(ApplicationFailure.nonRetryable('gone', 'NoSuchBucket'))).toBe('system');
  expect(failureScope(ApplicationFailure.retryable('throttled', 'Error'))).toBe('system');
});

it('calls the workflow’s own verdict on an unreadable image that S3 still has a failure of the system', () => {
  expect(failureScope(ApplicationFailure.nonRetryable('exists', 'SourceObjectUnreadable'))).toBe('system');
});

it('calls anything but an activity’s failure a failure of the system', () => {
  expect(failureScope(new Error('a bug'))).toBe('system');
});

it('gives the activity’s own words as the reason', () => {
  const cause = ApplicationFailure.nonRetryable(
    'CopyObject s3://a/b failed: InvalidRequest: too large',
    'InvalidRequest',
  );
  expect(failureReason(activityFailure(cause))).toBe('CopyObject s3://a/b failed: InvalidRequest: too large');
  expect(failureReason(new Error('plain'))).toBe('plain');
});
