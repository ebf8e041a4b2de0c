import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  patched,
  setHandler,
} from '@temporalio/workflow';
import { aws } from './activity-proxies';
import { resumeOrCreate, type BatchInput } from './batch-input';
import { progressOf, summarize, type BatchState } from './batch-state';
import type { BatchProgress, BatchSettings, BatchSummary } from './batch-types';
import { bringModelUp, lookAtModel, ownsModel, stopModelAndWait } from './model-control';
import { processQueue } from './receive-loop';

export const progressQuery = defineQuery<BatchProgress>('progress');
/** Finish the messages in flight, stop the model and end early; the rest stays queued. */
export const drainSignal = defineSignal('drain');

/** Runs recorded before this patch ended on an empty queue without looking at the model; replay keeps that. */
const STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY = 'stop-model-left-up-when-queue-empty';

/**
 * One batch, in the README's steps: 1 count the queue; 2 bring the model up; 3 process the queue until
 * it is empty, handing a long batch over to a new run with its state; 4 stop the model if this batch
 * owns it, whatever ended the run (success, failure, cancellation) except a handover.
 */
export async function batchWorkflow(input: BatchInput): Promise<BatchSummary> {
  const { settings, state } = resumeOrCreate(input);
  setHandler(progressQuery, () => progressOf(state));
  setHandler(drainSignal, () => {
    state.draining = true;
  });

  let next: 'finish' | 'hand-over' | undefined;
  try {
    next = await runSteps(settings, state);
  } finally {
    // A handed-over batch's next run owns the model; anything else (an error included) ends the batch here.
    if (next !== 'hand-over') await stopModelIfOwned(settings, state);
  }
  if (next === 'hand-over') {
    return continueAsNew<typeof batchWorkflow>({
      settings,
      state: { ...state, continuedAsNew: state.continuedAsNew + 1 },
    });
  }
  return summarize(state, settings, Date.now());
}

async function runSteps(settings: BatchSettings, state: BatchState): Promise<'finish' | 'hand-over'> {
  if (state.phase === 'checking-queue') {
    if (await queueIsEmpty(settings, state)) return 'finish';
    // 2. Bring the model up.
    state.phase = 'starting-model';
    await bringModelUp(settings, state.model);
    state.phase = 'processing';
  }
  // 3. Process the queue.
  if ((await processQueue(settings, state)) !== 'history-full') return 'finish';
  await condition(allHandlersFinished);
  return 'hand-over';
}

/** 1. Count the queue (visible, in flight, delayed); when it is empty, look at the model instead. */
async function queueIsEmpty(settings: BatchSettings, state: BatchState): Promise<boolean> {
  const queued = await aws.countQueuedMessages(settings.queueUrl);
  state.queuedAtStart = queued.total;
  if (queued.total > 0) return false;
  state.queueWasEmpty = true;
  // Nothing to process, but a model left up by a batch that could not stop it (terminated, or its stop
  // failed) would bill every hour the queue stays empty: step 4 stops it.
  if (settings.stopModelFoundRunning && patched(STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY)) {
    await lookAtModel(settings, state.model);
  }
  return true;
}

/** 4. Stop the model, in a scope cancellation cannot interrupt. */
async function stopModelIfOwned(settings: BatchSettings, state: BatchState): Promise<void> {
  if (ownsModel(settings, state.model)) {
    state.phase = 'stopping-model';
    await CancellationScope.nonCancellable(() => stopModelAndWait(settings, state.model));
  }
  state.phase = 'done';
}
