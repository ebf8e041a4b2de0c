import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';

export interface BatchHistories {
  /** The batch's continue-as-new chain, oldest run first. */
  runs: History[];
  /** Every run of every child workflow the batch or its children started (receivers, write groups). */
  children: History[];
}

type RunLink = (history: History) => string | null | undefined;

/** The run this one continued: on its first event. */
const previousRun: RunLink = (history) =>
  history.events?.[0]?.workflowExecutionStartedEventAttributes?.continuedExecutionRunId;
/** The run that continued this one: on its last event. */
const nextRun: RunLink = (history) =>
  history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId;

/**
 * Fetches the histories of one batch: from its last run (`runId`, default the workflow's latest) back
 * along the continue-as-new chain, and each child workflow forward along its own. Batches of one model
 * share a workflow id, so the chain is followed rather than listed.
 */
export async function fetchBatchHistories(
  client: Client,
  workflowId: string,
  runId?: string,
): Promise<BatchHistories> {
  const chain = async (id: string, first: string | undefined, link: RunLink) => {
    const histories: History[] = [];
    for (let run = first; ;) {
      const history = await client.workflow.getHandle(id, run).fetchHistory();
      histories.push(history);
      run = link(history) ?? undefined;
      if (!run) return histories;
    }
  };
  const runs = (await chain(workflowId, runId, previousRun)).reverse();
  const children: History[] = [];
  // Children's children too (a receiver's write groups): the list grows while it is walked.
  const parents = [...runs];
  for (const parent of parents) {
    for (const event of parent.events ?? []) {
      const child = event.childWorkflowExecutionStartedEventAttributes?.workflowExecution;
      if (!child?.workflowId) continue;
      const histories = await chain(child.workflowId, child.runId ?? undefined, nextRun);
      children.push(...histories);
      parents.push(...histories);
    }
  }
  return { runs, children };
}
