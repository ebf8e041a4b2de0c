import type { Client, WorkflowExecutionDescription } from '@temporalio/client';
import { countTemporalActions } from '../../src/cost/temporal-actions';
import { SEARCH_ATTRIBUTES } from '../../src/workflows/search-attribute-keys';
import type { BatchSummary } from '../../src/workflows/batch-types';

/** A batch's custom search attributes by name, as `describe()` returns them. */
export function batchSearchAttributes(description: WorkflowExecutionDescription): Record<string, unknown> {
  const attributes = description.typedSearchAttributes;
  return Object.fromEntries(Object.values(SEARCH_ATTRIBUTES).map((key) => [key.name, attributes.get(key)]));
}

/** What the search attributes of a finished batch should be, from its summary. */
export function expectedSearchAttributes(
  summary: BatchSummary,
  projectVersionArn: string,
  queuedAtStart: number,
  outcome: string,
): Record<string, unknown> {
  return {
    CustomLabelsModelVersion: projectVersionArn,
    CustomLabelsImagesQueued: queuedAtStart,
    CustomLabelsImagesProcessed: summary.counts.processed,
    CustomLabelsImagesFailed: summary.counts.failed,
    CustomLabelsImagesDeadLettered: summary.counts.deadLettered,
    CustomLabelsModelRunningSeconds: summary.modelRunningSeconds,
    CustomLabelsOutcome: outcome,
  };
}

/** The workflow ids a visibility query finds; visibility lags a little behind the batch's end, so it retries. */
export async function listWorkflowIds(client: Client, query: string, expected: number): Promise<string[]> {
  for (let attempt = 0; ; attempt += 1) {
    const ids: string[] = [];
    for await (const execution of client.workflow.list({ query })) ids.push(execution.workflowId);
    if (ids.length >= expected || attempt === 50) return ids;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Billable search-attribute upserts across every run of a workflow (`patched()`'s own are free). */
export async function countUpserts(client: Client, workflowId: string): Promise<number> {
  const histories = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` }))
    histories.push(await client.workflow.getHandle(workflowId, execution.runId).fetchHistory());
  return countTemporalActions(histories).byKind.searchAttributeUpserts;
}
