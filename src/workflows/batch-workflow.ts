import {
  ApplicationFailure,
  CancellationScope,
  allHandlersFinished,
  condition,
  continueAsNew,
  defineQuery,
  defineSignal,
  isCancellation,
  log,
  patched,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { parseDuration } from '../config/duration';
import { aws } from './activity-proxies';
import type { BatchCounts, BatchInput, BatchPhase, BatchProgress, BatchSummary } from './batch-types';
import { historyBudgetSpent } from './history-budget';
import { ensureModelRunning, isModelUp, stopModelAndWait } from './model-control';
import { ObjectLocks, processMessage } from './process-message';

export const progressQuery = defineQuery<BatchProgress>('progress');
/** Finish the messages in flight, stop the model and end early; the rest stays queued. */
export const drainSignal = defineSignal('drain');

/** Runs recorded before this patch ended on an empty queue without looking at the model; replay keeps that. */
const STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY = 'stop-model-left-up-when-queue-empty';
const MAX_MESSAGES_PER_RECEIVE = 10;
const RECEIVE_WAIT_SECONDS = 1;

export function emptyCounts(): BatchCounts {
  return {
    processed: 0,
    failed: 0,
    failedByReason: {},
    skipped: 0,
    deadLettered: 0,
    testEvents: 0,
    messages: 0,
  };
}

/**
 * One batch: check the queue; if anything waits, run the model, process every message with bounded
 * concurrency until the queue is truly empty, and stop the model in a `finally` that cancellation and
 * failures cannot skip. Long batches continue as new and hand their state on; only the last one stops
 * the model.
 */
export async function batchWorkflow({ settings, carryOver }: BatchInput): Promise<BatchSummary> {
  const counts = carryOver?.counts ?? emptyCounts();
  let phase: BatchPhase = carryOver ? 'processing' : 'checking-queue';
  let modelStatus: string | undefined = carryOver ? 'RUNNING' : undefined;
  let startedModel = carryOver?.startedModel ?? false;
  let foundModelUp = carryOver?.foundModelUp ?? false;
  let modelRunningSince = carryOver?.modelRunningSince;
  let modelStoppedAt: number | undefined;
  let stoppedModel = false;
  let pages = carryOver?.pages ?? 0;
  let inFlight = 0;
  let draining = false;
  let queueWasEmpty = false;
  let continuing = false;
  const continuedAsNew = carryOver?.continuedAsNew ?? 0;
  let queuedAtStart = carryOver?.queuedAtStart ?? 0;

  setHandler(progressQuery, () => ({
    phase,
    counts,
    modelStatus,
    pages,
    inFlight,
    draining,
    continuedAsNew,
    queuedAtStart,
  }));
  setHandler(drainSignal, () => {
    draining = true;
  });

  const onModelStatus = (status: string) => {
    modelStatus = status;
    if (status === 'RUNNING') modelRunningSince ??= Date.now();
  };

  /** Receives only as many messages as there are free slots; returns why it stopped. */
  async function processQueue(): Promise<'empty' | 'drained' | 'continue-as-new'> {
    const locks = new ObjectLocks();
    let failure: string | undefined;
    const visibilityTimeoutSeconds = Math.ceil(
      parseDuration(settings.messageVisibilityTimeout, 'messageVisibilityTimeout') / 1000,
    );
    const historySpent = () => historyBudgetSpent(workflowInfo(), settings.continueAsNewAfterEvents);
    const stopTakingWork = () => draining || failure !== undefined || historySpent();

    for (;;) {
      await condition(() => inFlight < settings.concurrency || stopTakingWork());
      if (stopTakingWork()) break;
      const messages = await aws.receiveMessages({
        queueUrl: settings.queueUrl,
        maxMessages: Math.min(MAX_MESSAGES_PER_RECEIVE, settings.concurrency - inFlight),
        visibilityTimeoutSeconds,
        waitTimeSeconds: RECEIVE_WAIT_SECONDS,
      });
      pages += 1;
      for (const message of messages) {
        inFlight += 1;
        void processMessage(message, settings, counts, locks)
          .catch((error: unknown) => {
            if (isCancellation(error)) return;
            log.error('message left queued after a failure', {
              messageId: message.messageId,
              error: String(error),
            });
            failure ??= error instanceof Error ? error.message : String(error);
          })
          .finally(() => {
            inFlight -= 1;
          });
      }
      if (messages.length > 0) continue;
      if (inFlight > 0) {
        const busy = inFlight;
        await condition(() => inFlight < busy || stopTakingWork());
        continue;
      }
      const queued = await aws.countQueuedMessages(settings.queueUrl);
      if (queued.total === 0) break;
      // Messages in flight elsewhere (e.g. left by a terminated run) or delayed: they come back visible.
      await sleep(settings.modelPollInterval);
    }
    await condition(() => inFlight === 0);
    if (failure !== undefined) {
      throw ApplicationFailure.nonRetryable(
        `The batch stopped after a message could not be processed: ${failure}. Unprocessed messages stay queued.`,
        'MessageProcessingFailed',
      );
    }
    if (draining) return 'drained';
    return historySpent() ? 'continue-as-new' : 'empty';
  }

  async function runBatch(): Promise<void> {
    if (!carryOver) {
      const queued = await aws.countQueuedMessages(settings.queueUrl);
      queuedAtStart = queued.total;
      if (queued.total === 0) {
        queueWasEmpty = true;
        // Nothing to process, but a model left up by a run that could not stop it (terminated, or its
        // stop failed) would bill every hour the queue stays empty: the finally stops it.
        if (settings.stopModelStartedElsewhere && patched(STOP_MODEL_LEFT_UP_WHEN_QUEUE_EMPTY)) {
          foundModelUp = await isModelUp(settings, onModelStatus);
        }
        return;
      }
      phase = 'starting-model';
      ({ foundUp: foundModelUp } = await ensureModelRunning(settings, {
        onStatus: onModelStatus,
        onStartRequested: () => {
          startedModel = true;
        },
      }));
    }
    phase = 'processing';
    if ((await processQueue()) === 'continue-as-new') {
      continuing = true;
      await condition(allHandlersFinished);
      await continueAsNew<typeof batchWorkflow>({
        settings,
        carryOver: {
          counts,
          startedModel,
          foundModelUp,
          modelRunningSince,
          pages,
          continuedAsNew: continuedAsNew + 1,
          queuedAtStart,
        },
      });
    }
  }

  try {
    await runBatch();
  } finally {
    // continueAsNew throws to end this run: the next run owns the model then, so it is not stopped here.
    const shouldStop = startedModel || (foundModelUp && settings.stopModelStartedElsewhere);
    if (!continuing && shouldStop) {
      phase = 'stopping-model';
      await CancellationScope.nonCancellable(() => stopModelAndWait(settings, onModelStatus));
      stoppedModel = true;
      modelStoppedAt = Date.now();
    }
    phase = 'done';
  }

  const runningUntil = modelStoppedAt ?? Date.now();
  const modelRunningSeconds = modelRunningSince === undefined ? 0 : (runningUntil - modelRunningSince) / 1000;
  return {
    counts,
    queueWasEmpty,
    startedModel,
    stoppedModel,
    modelStartedAt: modelRunningSince === undefined ? undefined : new Date(modelRunningSince).toISOString(),
    modelStoppedAt: modelStoppedAt === undefined ? undefined : new Date(modelStoppedAt).toISOString(),
    modelRunningSeconds,
    estimatedInferenceCostUsd:
      (modelRunningSeconds / 3600) * settings.minInferenceUnits * settings.inferenceUnitHourlyCost,
    continuedAsNew,
    pages,
  };
}
