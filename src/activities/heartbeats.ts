import { activityInfo, heartbeat } from '@temporalio/activity';

type Activity = (...args: never[]) => Promise<unknown>;

/**
 * Makes each activity heartbeat while it runs, every half heartbeat timeout. Activities are single
 * AWS calls, usually done long before the first beat, so this costs nothing; a slow call keeps its
 * attempt alive, and the attempt of a worker that died is retried after the heartbeat timeout
 * instead of the whole start-to-close timeout. Heartbeats also carry cancellation to a running activity.
 */
export function heartbeatingWhileRunning<T extends Record<string, Activity>>(activities: T): T {
  const wrapped = Object.entries(activities).map(([name, activity]) => [
    name,
    async (...args: never[]) => {
      const { heartbeatTimeoutMs } = activityInfo();
      const beat = heartbeatTimeoutMs ? setInterval(() => heartbeat(), heartbeatTimeoutMs / 2) : undefined;
      try {
        return await activity(...args);
      } finally {
        clearInterval(beat);
      }
    },
  ]);
  return Object.fromEntries(wrapped) as T;
}
