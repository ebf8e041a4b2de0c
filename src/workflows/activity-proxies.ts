import { proxyActivities, type RetryPolicy } from '@temporalio/workflow';
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
