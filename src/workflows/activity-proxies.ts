import { proxyActivities, proxyLocalActivities, type RetryPolicy } from '@temporalio/workflow';
import type { BatchActivities } from '../activities';

const retry: RetryPolicy = {
  initialInterval: '1s',
  backoffCoefficient: 2,
  maximumInterval: '30s',
  maximumAttempts: 10,
};

/**
 * The worker heartbeats while an activity runs (src/activities/heartbeats.ts): when a worker dies, its
 * activities are retried elsewhere after this, not after their whole start-to-close timeout.
 */
const heartbeatTimeout = '10s';

/** Every AWS call but DetectCustomLabels: quick calls, retried with backoff when transient. */
export const aws = proxyActivities<BatchActivities>({ startToCloseTimeout: '1m', heartbeatTimeout, retry });

/**
 * The same quick S3/SQS calls as local activities, run by the worker that runs the workflow: Temporal
 * Cloud bills every local activity of one workflow task as one action, where each activity above is one.
 * They cannot heartbeat, so one attempt is bounded by the start-to-close timeout (an S3 copy of an image
 * Rekognition accepts, ≤ 15 MB, takes seconds). Retries backing off for up to 10 s stay in the workflow
 * task; longer backoffs wait on a timer (an action each) rather than keep the task open. A dead AWS ends
 * in a failure after 5 minutes, as the retries of the activities above do.
 */
export const localAws = proxyLocalActivities<BatchActivities>({
  startToCloseTimeout: '1m',
  scheduleToCloseTimeout: '5m',
  localRetryThreshold: '10s',
  retry,
});

/** The AWS calls a run makes besides detection: local ones, or activities in runs recorded before. */
export type AwsCalls = typeof aws;

/**
 * DetectCustomLabels runs on its own task queue, whose rate limit caps calls to the model across workers.
 * Its first retry comes quickly: the usual failure is throttling (ProvisionedThroughputExceeded), and a
 * call waiting a whole second leaves the model idle (measured: 0.95 → 0.97 of capacity at 10 TPS).
 */
export function modelInference(detectTaskQueue: string) {
  return proxyActivities<Pick<BatchActivities, 'detectCustomLabels'>>({
    taskQueue: detectTaskQueue,
    startToCloseTimeout: '2m',
    heartbeatTimeout,
    retry: { ...retry, initialInterval: '200ms', maximumAttempts: 20 },
  });
}
