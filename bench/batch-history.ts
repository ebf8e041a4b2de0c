import type { Client } from '@temporalio/client';
import { tsToMs } from '@temporalio/common/lib/time';

/** What a batch's histories (every run of its continue-as-new chain) say about it. */
export interface BatchHistory {
  /** History length of each run, in order. */
  eventsPerRun: number[];
  /** Activities scheduled, by type, across the chain. */
  activities: Record<string, number>;
  /** When the batch began (first run started) and ended (last run closed), epoch ms. */
  startedAt: number;
  closedAt: number;
  /** When the first ReceiveMessage was scheduled: processing begins. */
  firstReceiveAt?: number;
  /** When each message was finished (its DeleteMessage activity completed), ascending. */
  messageDoneAt: number[];
}

/** Reads every run of the batch `workflowId` from Temporal, oldest first. */
export async function readBatchHistory(client: Client, workflowId: string): Promise<BatchHistory> {
  const runs: Array<{ runId: string; startTime: number }> = [];
  for await (const execution of client.workflow.list({ query: `WorkflowId = '${workflowId}'` })) {
    runs.push({ runId: execution.runId, startTime: execution.startTime.getTime() });
  }
  runs.sort((a, b) => a.startTime - b.startTime);

  const result: BatchHistory = {
    eventsPerRun: [],
    activities: {},
    startedAt: Number.NaN,
    closedAt: Number.NaN,
    messageDoneAt: [],
  };
  for (const { runId } of runs) {
    const events = (await client.workflow.getHandle(workflowId, runId).fetchHistory()).events ?? [];
    result.eventsPerRun.push(events.length);
    const activityTypeOf = new Map<string, string>();
    for (const event of events) {
      const at = tsToMs(event.eventTime);
      if (Number.isNaN(result.startedAt)) result.startedAt = at;
      result.closedAt = at;
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const type = scheduled.activityType?.name ?? '?';
        activityTypeOf.set(String(event.eventId), type);
        result.activities[type] = (result.activities[type] ?? 0) + 1;
        if (type === 'receiveMessages') result.firstReceiveAt ??= at;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      if (completed && activityTypeOf.get(String(completed.scheduledEventId)) === 'deleteMessage') {
        result.messageDoneAt.push(at);
      }
    }
  }
  result.messageDoneAt.sort((a, b) => a - b);
  return result;
}
