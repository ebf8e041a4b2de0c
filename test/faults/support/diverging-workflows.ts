import { sleep } from '@temporalio/workflow';
import { batchWorkflow as productionBatchWorkflow, type BatchInput } from '../../../src/workflows';
import type { BatchSummary } from '../../../src/workflows/batch-types';

export { progressQuery, drainSignal, receiverWorkflow, writeGroupWorkflow } from '../../../src/workflows';

/**
 * Test-only workflow code: the production batch, but with a timer before its first command, as a
 * deployment that changed the workflow without `patched()` would be. A batch that began on the
 * production code no longer replays on it.
 */
export async function batchWorkflow(input: BatchInput): Promise<BatchSummary> {
  await sleep('1ms');
  return productionBatchWorkflow(input);
}
