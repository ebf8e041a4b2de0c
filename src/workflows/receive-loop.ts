import {
  ApplicationFailure,
  condition,
  isCancellation,
  log,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { aws } from './activity-proxies';
import type { BatchState } from './batch-state';
import type { BatchSettings } from './batch-types';
import { historyBudgetSpent } from './history-budget';
import { ObjectLocks, processMessage } from './process-message';

const MAX_MESSAGES_PER_RECEIVE = 10;
const RECEIVE_WAIT_SECONDS = 1;

/** Why the loop ended: nothing left, a drain signal, or this run's history is full (hand over). */
export type QueueEnd = 'empty' | 'drained' | 'history-full';

/**
 * Processes messages with at most `concurrency` in flight, receiving only as many as there are free
 * slots, until the queue is truly empty (visible, in flight and delayed all zero). A message that fails
 * stops the taking of new work; it and the rest stay queued.
 */
export async function processQueue(settings: BatchSettings, state: BatchState): Promise<QueueEnd> {
  const locks = new ObjectLocks();
  let failure: string | undefined;
  const historyFull = () => historyBudgetSpent(workflowInfo(), settings.continueAsNewAfterEvents);
  const stopTakingWork = () => state.draining || failure !== undefined || historyFull();

  for (;;) {
    await condition(() => state.inFlight < settings.concurrency || stopTakingWork());
    if (stopTakingWork()) break;
    const messages = await aws.receiveMessages({
      queueUrl: settings.queueUrl,
      maxMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, settings.concurrency - state.inFlight),
      visibilityTimeoutSeconds: settings.messageVisibilityTimeoutSeconds,
      waitTimeSeconds: RECEIVE_WAIT_SECONDS,
    });
    state.pages += 1;
    for (const message of messages) {
      state.inFlight += 1;
      void processMessage(message, settings, state.counts, locks)
        .catch((error: unknown) => {
          if (isCancellation(error)) return;
          log.error('message left queued after a failure', {
            messageId: message.messageId,
            error: String(error),
          });
          failure ??= error instanceof Error ? error.message : String(error);
        })
        .finally(() => {
          state.inFlight -= 1;
        });
    }
    if (messages.length > 0) continue;
    if (state.inFlight > 0) {
      const busy = state.inFlight;
      await condition(() => state.inFlight < busy || stopTakingWork());
      continue;
    }
    const queued = await aws.countQueuedMessages(settings.queueUrl);
    if (queued.total === 0) break;
    // Messages in flight elsewhere (e.g. left by a terminated run) or delayed: they come back visible.
    await sleep(settings.statusPollIntervalMs);
  }
  await condition(() => state.inFlight === 0);
  if (failure !== undefined) {
    throw ApplicationFailure.nonRetryable(
      `The batch stopped after a message could not be processed: ${failure}. Unprocessed messages stay queued.`,
      'MessageProcessingFailed',
    );
  }
  if (state.draining) return 'drained';
  return historyFull() ? 'history-full' : 'empty';
}
