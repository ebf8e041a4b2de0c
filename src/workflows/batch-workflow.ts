import {
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  patched,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import { aws } from './activity-proxies';
import { drainSignal, progressQuery } from './batch-messages';
import { resumeOrCreate, type BatchInput } from './batch-input';
import { progressOf, summarize, type BatchState } from './batch-state';
import type { BatchSettings, BatchSummary } from './batch-types';
import { outcomeOf, recordBatchEnd, recordQueuedAtStart } from './batch-search-attributes';
import { bringModelUp, lookAtModel, ownsModel, stopModelAndWait } from './model-control';
import type { ModelRules } from './model-status';
import { processQueue } from './receive-loop';
import { receiverWindows } from './receiver-plan';
import type { ReceiversProgress } from './receiver-types';
import { receiverIds, runReceivers } from './receivers';

export { drainSignal, progressQuery } from './batch-messages';

/** Runs recorded before this patch ended on an empty queue without looking at the model; replay keeps that. */
const STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY = 'stop-model-left-up-when-queue-empty';
/** Runs recorded before this patch knew neither the model tag nor the whole status set; replay keeps that. */
const MODEL_OWNERSHIP_TAG = 'model-ownership-tag';
/** Runs recorded before this patch processed the queue in their own execution, whatever `receivers` said. */
const RECEIVER_CHILDREN = 'receiver-children';

/**
 * One batch, in the README's steps: 1 count the queue; 2 bring the model up; 3 process the queue until
 * it is empty, handing a long batch over to a new run with its state; 4 stop the model if this batch
 * owns it, whatever ended the run (success, failure, cancellation) except a handover.
 */
export async function batchWorkflow(input: BatchInput): Promise<BatchSummary> {
  const { settings, state } = resumeOrCreate(input);
  // Decided once per run: a run started on older code keeps its rules to its end.
  const rules: ModelRules = patched(MODEL_OWNERSHIP_TAG) ? 'current' : 'before-ownership-tag';
  let receivers: ReceiversProgress | undefined;
  setHandler(progressQuery, () => ({ ...progressOf(state), receivers }));
  setHandler(drainSignal, () => {
    state.draining = true;
  });

  let next: 'finish' | 'hand-over' | undefined;
  let failure: unknown;
  try {
    next = await runSteps(settings, state, rules, (progress) => (receivers = progress));
  } catch (error) {
    failure = error;
    throw error;
  } finally {
    // A handed-over batch's next run owns the model; anything else (an error included) ends the batch here.
    if (next !== 'hand-over') await endBatch(settings, state, rules, failure);
  }
  if (next === 'hand-over') {
    return continueAsNew<typeof batchWorkflow>({
      settings,
      state: { ...state, continuedAsNew: state.continuedAsNew + 1 },
    });
  }
  return summarize(state, settings, Date.now());
}

async function runSteps(
  settings: BatchSettings,
  state: BatchState,
  rules: ModelRules,
  onFanOut: (receivers: ReceiversProgress) => void,
): Promise<'finish' | 'hand-over'> {
  if (state.phase === 'checking-queue') {
    if (await queueIsEmpty(settings, state, rules)) return 'finish';
    // 2. Bring the model up.
    state.phase = 'starting-model';
    await bringModelUp(settings, state.model, rules, state.queuedAtStart);
    state.phase = 'processing';
  }
  // 3. Process the queue: fanned out to receivers that hand themselves over (this run's history stays
  // small, so it never hands over while they run), or here.
  const windows = receiverWindows(settings.concurrency, settings.receivers ?? 1);
  if (windows.length > 1 && patched(RECEIVER_CHILDREN)) {
    const progress = { workflowIds: receiverIds(workflowInfo().workflowId, windows.length), finished: 0 };
    onFanOut(progress);
    await runReceivers(settings, state, windows, progress);
    return 'finish';
  }
  if ((await processQueue(settings, state)) !== 'history-full') return 'finish';
  await condition(allHandlersFinished);
  return 'hand-over';
}

/** 1. Count the queue (visible, in flight, delayed); when it is empty, look at the model instead. */
async function queueIsEmpty(settings: BatchSettings, state: BatchState, rules: ModelRules): Promise<boolean> {
  const queued = await aws.countQueuedMessages(settings.queueUrl);
  state.queuedAtStart = queued.total;
  if (queued.total > 0) {
    recordQueuedAtStart(settings, state);
    return false;
  }
  state.queueWasEmpty = true;
  // Nothing to process, but a model left up by a batch that could not stop it (terminated, or its stop
  // failed) would bill every hour the queue stays empty: step 4 stops it. Describing it is free.
  const looks =
    rules === 'current' ||
    (settings.stopModelFoundRunning === true && patched(STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY));
  if (looks) await lookAtModel(settings, state.model, rules);
  return true;
}

/** 4. Stop the model if this batch owns it, then record how the batch ended (a failed stop fails it). */
async function endBatch(
  settings: BatchSettings,
  state: BatchState,
  rules: ModelRules,
  failure: unknown,
): Promise<void> {
  let outcome = outcomeOf(state, failure);
  try {
    await stopModelIfOwned(settings, state, rules);
  } catch (error) {
    outcome = 'failed';
    throw error;
  } finally {
    recordBatchEnd(settings, state, outcome);
  }
}

/** Stop the model if this batch owns it, in a scope cancellation cannot interrupt. */
async function stopModelIfOwned(
  settings: BatchSettings,
  state: BatchState,
  rules: ModelRules,
): Promise<void> {
  if (ownsModel(settings, state.model, rules)) {
    state.phase = 'stopping-model';
    await CancellationScope.nonCancellable(() => stopModelAndWait(settings, state.model, rules));
  }
  state.phase = 'done';
}
