import type { Client } from '@temporalio/client';
import type { History } from '@temporalio/common/lib/proto-utils';
import { localActivityOf } from '../src/cost/aws-requests';
import { batchCost, type BatchCost } from '../src/cost/batch-cost';
import { fetchBatchHistories } from '../src/cost/batch-histories';
import type { Prices } from '../src/cost/prices';
import type { TemporalActions } from '../src/cost/temporal-actions';
import type { BatchSummary } from '../src/workflows/batch-types';
import { epochMs } from './worker-shares';

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
  /**
   * At each continue-as-new: from the last message finished by one run to the first finished by the
   * next. The run drains its in-flight messages before it hands over, so the pipeline empties there.
   */
  handoverGapsMs: number[];
  /** Each DetectCustomLabels task: scheduled, and dispatched to a worker (its last attempt). */
  detectTasks: Array<{ scheduledAt: number; startedAt: number }>;
  /** Temporal Cloud billable actions of the whole chain, as far as its histories show them. */
  actions: TemporalActions;
  /** Actions per image the model labelled or rejected; absent when it saw none. */
  actionsPerImage?: number;
  /** The batch's cost with its parts, and the replaced design's for the same images. */
  cost: BatchCost;
  /** Every run of the batch's chain and of its child workflows', as read. */
  histories: History[];
}

/**
 * Reads every run of the batch `workflowId` that just ended from Temporal, oldest first, and prices it
 * with its `summary` (the images processed + failed are what its cost is shared over).
 */
export async function readBatchHistory(
  client: Client,
  workflowId: string,
  summary: BatchSummary,
  prices: Prices,
): Promise<BatchHistory> {
  const { runs, children } = await fetchBatchHistories(client, workflowId);
  const histories = [...runs, ...children];
  const cost = batchCost(histories, summary, prices);
  const timeline = withReceivers(
    timelineOf(runs),
    children.map((child) => timelineOf([child])),
  );
  return { ...timeline, actions: cost.actions, actionsPerImage: cost.actionsPerImage, cost, histories };
}

/** What happened when, over one workflow's continue-as-new chain (oldest run first). */
export type RunTimeline = Omit<BatchHistory, 'actions' | 'actionsPerImage' | 'cost' | 'histories'>;

/**
 * A fanned-out batch's work happens in its receivers' runs: their activities, receives, messages and
 * detections join the batch's own. Runs, events, start and close, and handovers stay the batch's own.
 */
function withReceivers(own: RunTimeline, receiverRuns: RunTimeline[]): RunTimeline {
  if (receiverRuns.length === 0) return own;
  const all = [own, ...receiverRuns];
  const activities: Record<string, number> = {};
  for (const timeline of all) {
    for (const [type, count] of Object.entries(timeline.activities))
      activities[type] = (activities[type] ?? 0) + count;
  }
  const receives = all.flatMap((timeline) => timeline.firstReceiveAt ?? []);
  return {
    ...own,
    activities,
    firstReceiveAt: receives.length > 0 ? Math.min(...receives) : undefined,
    messageDoneAt: all.flatMap((timeline) => timeline.messageDoneAt).sort((a, b) => a - b),
    detectTasks: all.flatMap((timeline) => timeline.detectTasks),
  };
}

export function timelineOf(runs: History[]): RunTimeline {
  const result: RunTimeline = {
    eventsPerRun: [],
    activities: {},
    startedAt: Number.NaN,
    closedAt: Number.NaN,
    messageDoneAt: [],
    handoverGapsMs: [],
    detectTasks: [],
  };
  let previousRunLastDoneAt: number | undefined;
  for (const history of runs) {
    const events = history.events ?? [];
    result.eventsPerRun.push(events.length);
    const activityTypeOf = new Map<string, string>();
    const scheduledAtOf = new Map<string, number>();
    let firstDoneAt: number | undefined;
    for (const event of events) {
      const at = epochMs(event.eventTime);
      if (Number.isNaN(result.startedAt)) result.startedAt = at;
      result.closedAt = at;
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) {
        const type = scheduled.activityType?.name ?? '?';
        activityTypeOf.set(String(event.eventId), type);
        result.activities[type] = (result.activities[type] ?? 0) + 1;
        if (type === 'receiveMessages') result.firstReceiveAt ??= at;
        if (type === 'detectCustomLabels') scheduledAtOf.set(String(event.eventId), at);
      }
      const started = event.activityTaskStartedEventAttributes;
      const detectScheduledAt = started ? scheduledAtOf.get(String(started.scheduledEventId)) : undefined;
      if (detectScheduledAt !== undefined) {
        result.detectTasks.push({ scheduledAt: detectScheduledAt, startedAt: at });
      }
      const local = localActivityOf(event);
      if (local) {
        result.activities[local.type] = (result.activities[local.type] ?? 0) + 1;
        if (local.type === 'receiveMessages') result.firstReceiveAt ??= at;
      }
      const completed = event.activityTaskCompletedEventAttributes;
      const completedType = completed ? activityTypeOf.get(String(completed.scheduledEventId)) : local?.type;
      const finished =
        completedType === 'deleteMessage' ? 1 : local?.type === 'deleteMessages' ? deletedBy(event) : 0;
      for (let i = 0; i < finished; i += 1) result.messageDoneAt.push(at);
      if (finished > 0) firstDoneAt ??= at;
    }
    if (firstDoneAt !== undefined) {
      if (previousRunLastDoneAt !== undefined)
        result.handoverGapsMs.push(firstDoneAt - previousRunLastDoneAt);
      previousRunLastDoneAt = result.messageDoneAt.at(-1);
    }
  }
  result.messageDoneAt.sort((a, b) => a - b);
  return result;
}

/**
 * The messages a write group's DeleteMessageBatch call took off the queue: its recorded result holds
 * one boolean per receipt handle.
 */
function deletedBy(event: NonNullable<History['events']>[number]): number {
  const data = event.markerRecordedEventAttributes?.details?.result?.payloads?.[0]?.data;
  if (!data) return 0;
  const deleted = JSON.parse(Buffer.from(data).toString('utf8')) as boolean[];
  return deleted.filter(Boolean).length;
}
