import {
  allHandlersFinished,
  condition,
  continueAsNew,
  isCancellation,
  setHandler,
} from '@temporalio/workflow';
import { drainSignal, progressQuery } from './batch-messages';
import { progressOf } from './batch-state';
import { processQueue, type QueueEnd } from './receive-loop';
import { reportToBatch } from './receiver-counts';
import type { ReceiverInput, ReceiverResult } from './receiver-types';

/**
 * One receiver of a batch fanned out by its batch workflow (which owns the model): the receive loop
 * with its own window, until the queue is empty or a drain signal comes. Hands itself over to a new run
 * when its history fills, carrying its state; a failure of the system fails it, leaving the rest queued.
 * Failing, it first tells the batch what it did: the batch's counts include it (a cancelled one's do not).
 */
export async function receiverWorkflow({ settings, state }: ReceiverInput): Promise<ReceiverResult> {
  setHandler(progressQuery, () => progressOf(state));
  setHandler(drainSignal, () => {
    state.draining = true;
  });
  let end: QueueEnd;
  try {
    end = await processQueue(settings, state);
  } catch (error) {
    // A cancelled receiver ends at once, as before: its work cut off mid-way settles no further, and
    // waiting on a report would leave it running while that work's promises reject unobserved.
    if (!isCancellation(error)) await reportToBatch(state);
    throw error;
  }
  if (end === 'history-full') {
    await condition(allHandlersFinished);
    return continueAsNew<typeof receiverWorkflow>({
      settings,
      state: { ...state, continuedAsNew: state.continuedAsNew + 1 },
    });
  }
  return {
    counts: state.counts,
    pages: state.pages,
    continuedAsNew: state.continuedAsNew,
    drained: end === 'drained',
  };
}
