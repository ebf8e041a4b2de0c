import { ActivityFailure, ApplicationFailure } from '@temporalio/workflow';

/**
 * Failure types (the AWS error names activities give their non-retryable failures, see
 * src/activities/aws-errors.ts) that every message would meet next: a missing queue or bucket, denied
 * access, bad credentials, a missing or unusable model.
 */
const SYSTEM_FAILURE_TYPES = new Set([
  'QueueDoesNotExist',
  'AWS.SimpleQueueService.NonExistentQueue',
  'NoSuchBucket',
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'KMS.DisabledException',
  'KMS.KMSInvalidStateException',
  'InvalidAccessKeyId',
  'InvalidClientTokenId',
  'SignatureDoesNotMatch',
  'ExpiredToken',
  'UnrecognizedClientException',
  'ResourceNotFoundException',
  'LimitExceededException',
  // HeadObject refused on an image Rekognition could not read (src/activities/source-object.ts).
  'SourceObjectAccessDenied',
  // An image Rekognition could not read though S3 has it (src/workflows/process-object.ts).
  'SourceObjectUnreadable',
]);

/**
 * Whether a failure belongs to one message (its object or its key: the batch goes on without it) or to
 * the system (the batch stops, every unprocessed message stays queued). Only a non-retryable AWS
 * failure of another type belongs to a message: retries that ran out, timeouts and anything
 * unrecognised mean the system is unwell. A local activity's non-retryable failure reaches the workflow
 * as the activity threw it, not wrapped in an ActivityFailure.
 */
export function failureScope(error: unknown): 'message' | 'system' {
  const cause = error instanceof ActivityFailure ? error.cause : error;
  if (!(cause instanceof ApplicationFailure) || !cause.nonRetryable) return 'system';
  return SYSTEM_FAILURE_TYPES.has(cause.type ?? '') ? 'system' : 'message';
}

/** The failure's own words: the activity's message names the call, the resource and the AWS reason. */
export function failureReason(error: unknown): string {
  if (error instanceof ActivityFailure && error.cause) return error.cause.message;
  return error instanceof Error ? error.message : String(error);
}
