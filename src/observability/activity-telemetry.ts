import { asyncLocalStorage, type Context } from '@temporalio/activity';
import { METRIC } from './metric-names';

/**
 * Logs and metrics from activity code, through the activity's context: the SDK adds workflowId, runId,
 * activityType and attempt to each line, and namespace, task queue and activity type to each metric.
 * Outside an activity (unit tests calling a helper directly) there is nothing to report to.
 */
function activityContext(): Context | undefined {
  return asyncLocalStorage.getStore();
}

/** A failed AWS call, with what the service said and its request id (for AWS support). */
export function logAwsFailure(call: string, error: unknown, retryable: boolean): void {
  const { name, $metadata } = (error ?? {}) as {
    name?: string;
    $metadata?: { requestId?: string; httpStatusCode?: number };
  };
  activityContext()?.log[retryable ? 'warn' : 'error']('AWS call failed', {
    call,
    error: name ?? 'Error',
    message: (error as Error | undefined)?.message,
    awsRequestId: $metadata?.requestId,
    httpStatusCode: $metadata?.httpStatusCode,
    retryable,
  });
}

/** Calls Rekognition answered "too many requests" to: the rate limit is above the model's capacity. */
const THROTTLED = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException']);

/** One DetectCustomLabels call: its latency by outcome, and whether it was throttled. */
export function recordDetectCall(startedAt: number, outcome: string, errorName?: string): void {
  const meter = activityContext()?.metricMeter;
  if (!meter) return;
  meter
    .createHistogram(
      METRIC.detectLatency,
      'float',
      undefined,
      'DetectCustomLabels latency in seconds, by outcome',
    )
    .record((performance.now() - startedAt) / 1000, { outcome });
  if (errorName && THROTTLED.has(errorName)) {
    meter.createCounter(METRIC.detectThrottled, undefined, 'DetectCustomLabels calls throttled').add(1);
  }
}
