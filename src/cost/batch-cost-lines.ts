import type { Client } from '@temporalio/client';
import type { BatchSummary } from '../workflows/batch-types';
import { batchCost } from './batch-cost';
import { fetchBatchHistories } from './batch-histories';
import { costLines } from './cost-text';
import type { Prices } from './prices';

/**
 * The cost lines of a batch that just ended (`workflowId`'s latest run is its last): its histories,
 * child workflows' included, read from Temporal and priced with its summary.
 */
export async function batchCostLines(
  client: Client,
  workflowId: string,
  summary: BatchSummary,
  prices: Prices,
): Promise<string[]> {
  const { runs, children } = await fetchBatchHistories(client, workflowId);
  return costLines(batchCost([...runs, ...children], summary, prices));
}
