import { ApplicationFailure } from '@temporalio/common';
import { logAwsFailure } from '../observability/activity-telemetry';

const TRANSIENT_ERROR_NAMES = new Set([
  'ThrottlingException',
  'Throttling',
  'ProvisionedThroughputExceededException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'SlowDown',
  'ResourceNotReadyException',
  'InternalServerError',
  'InternalError',
  'ServiceUnavailable',
  'RequestTimeout',
  'RequestTimeoutException',
  'TimeoutError',
  'AbortError',
]);
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);

export type AwsErrorKind = 'transient' | 'permanent';

/** Throttling, not-ready, 5xx and network errors pass with time; anything else is a fact to report. */
export function classifyAwsError(error: unknown): AwsErrorKind {
  const { name, code, $metadata } = (error ?? {}) as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if (name && TRANSIENT_ERROR_NAMES.has(name)) return 'transient';
  if (code && NETWORK_ERROR_CODES.has(code)) return 'transient';
  const status = $metadata?.httpStatusCode;
  if (status === undefined) return name && name !== 'Error' ? 'permanent' : 'transient';
  return status >= 500 || status === 429 ? 'transient' : 'permanent';
}

export function awsErrorName(error: unknown): string {
  return (error as { name?: string })?.name ?? 'Error';
}

/**
 * Runs one AWS call: transient errors are rethrown for Temporal to retry with backoff; permanent ones
 * become non-retryable failures that say which call on which resource failed and why.
 */
export async function awsCall<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asActivityFailure(what, error);
  }
}

/** The error an activity throws for a failed AWS call: retryable when transient, else non-retryable. */
export function asActivityFailure(what: string, error: unknown): Error {
  const message = `${what} failed: ${awsErrorName(error)}: ${(error as Error).message}`;
  const transient = classifyAwsError(error) === 'transient';
  logAwsFailure(what, error, transient);
  if (transient) return new Error(message, { cause: error });
  return ApplicationFailure.nonRetryable(message, awsErrorName(error));
}

/** A rejection handler that turns the named AWS error into `value` (e.g. deleting what is already gone). */
export function ignoreError<T = undefined>(name: string, value?: T): (error: unknown) => T {
  return (error: unknown) => {
    if (awsErrorName(error) !== name) throw error;
    return value as T;
  };
}
