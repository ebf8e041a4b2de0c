import type { History } from '@temporalio/common/lib/proto-utils';

/** What one worker process (its identity, `<pid>@<host>`) ran of a batch. */
export interface WorkerShare {
  workflowTasks: number;
  /** Activity attempts started on it (local activities run where their workflow task runs, not counted). */
  activityTasks: number;
}

export interface WorkerShares {
  byIdentity: Record<string, WorkerShare>;
  /** When each DetectCustomLabels attempt was dispatched to a worker, ascending. */
  detectStartedAt: number[];
}

/** An event's time in epoch ms, whether its seconds are a Long (fetched) or a number or string (read from JSON). */
/** A history event's time (a protobuf Long from the server, a number from JSON) in epoch ms. */
export const epochMs = (time: { seconds?: unknown; nanos?: number | null } | null | undefined) =>
  Number(time?.seconds ?? 0) * 1000 + (time?.nanos ?? 0) / 1e6;

/** Which worker ran which task of a batch, from its histories (its runs' and its receivers'). */
export function workerShares(histories: readonly History[]): WorkerShares {
  const byIdentity: Record<string, WorkerShare> = {};
  const detectStartedAt: number[] = [];
  const shareOf = (identity: string | null | undefined) =>
    (byIdentity[identity ?? '?'] ??= { workflowTasks: 0, activityTasks: 0 });
  for (const history of histories) {
    const detectIds = new Set<string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled?.activityType?.name === 'detectCustomLabels') detectIds.add(String(event.eventId));
      const workflowTask = event.workflowTaskStartedEventAttributes;
      if (workflowTask) shareOf(workflowTask.identity).workflowTasks += 1;
      const activity = event.activityTaskStartedEventAttributes;
      if (activity) {
        shareOf(activity.identity).activityTasks += 1;
        if (detectIds.has(String(activity.scheduledEventId))) detectStartedAt.push(epochMs(event.eventTime));
      }
    }
  }
  return { byIdentity, detectStartedAt: detectStartedAt.sort((a, b) => a - b) };
}

/** The most of `times` (epoch ms, in any order) within any `windowMs`: a sliding window over them sorted. */
export function busiestWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let most = 0;
  let first = 0;
  for (let last = 0; last < sorted.length; last += 1) {
    while (sorted[last] - sorted[first] >= windowMs) first += 1;
    most = Math.max(most, last - first + 1);
  }
  return most;
}
