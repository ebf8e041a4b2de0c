import {
  ActivityFailure,
  isCancellation,
  patched,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { BatchActivities } from '../activities';
import { failureReason } from './failure-scope';
import { BATCHES_READ_PER_LEARNED, configuredBecause, learnTpsPerUnit, type TpsChoice } from './learned-tps';
import type { UnitSizing } from './unit-sizing';

/** Runs recorded before this patch sized from MODEL_TPS_PER_INFERENCE_UNIT alone, reading no earlier batch. */
const LEARNED_TPS = 'learned-tps';

/**
 * Learning is advice: when visibility does not answer in three attempts (seconds), the batch sizes from
 * the configured value rather than hold its model's start through the minutes of the AWS calls' retries.
 */
const history = proxyActivities<Pick<BatchActivities, 'earlierBatchThroughputs'>>({
  startToCloseTimeout: '1m',
  heartbeatTimeout: '10s',
  retry: { initialInterval: '1s', backoffCoefficient: 2, maximumAttempts: 3 },
});

/**
 * The TPS per unit to size the model from: learned from the model's recent completed batches on this
 * task queue (one activity, so a replay sees the same batches), else MODEL_TPS_PER_INFERENCE_UNIT.
 */
export async function tpsPerUnitFor(projectVersionArn: string, sizing: UnitSizing): Promise<TpsChoice> {
  const batches = sizing.learnFromBatches;
  const configured = (why: string): TpsChoice => ({
    tpsPerUnit: sizing.tpsPerUnit,
    source: 'configured',
    batches: 0,
    reason: configuredBecause(why),
  });
  if (batches === undefined) return configured('the batch’s settings predate LEARN_TPS_FROM_BATCHES');
  if (batches === 0) return configured('LEARN_TPS_FROM_BATCHES is 0');
  if (!patched(LEARNED_TPS)) return configured('this batch began on code that did not learn it');
  try {
    const earlier = await history.earlierBatchThroughputs({
      projectVersionArn,
      taskQueue: workflowInfo().taskQueue,
      limit: batches * BATCHES_READ_PER_LEARNED,
    });
    return learnTpsPerUnit(earlier, {
      configured: sizing.tpsPerUnit,
      detectRateLimit: sizing.detectRateLimit,
      batches,
    });
  } catch (error) {
    if (isCancellation(error) || !(error instanceof ActivityFailure)) throw error;
    return configured(`earlier batches could not be read (${failureReason(error)})`);
  }
}
