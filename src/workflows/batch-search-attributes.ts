import { isCancellation, patched, upsertSearchAttributes } from '@temporalio/workflow';
import { summarize, type BatchState } from './batch-state';
import type { BatchSettings } from './batch-types';
import { SEARCH_ATTRIBUTES as KEYS, type BatchOutcome } from './search-attribute-keys';

/**
 * Runs recorded before this patch set no search attributes; replay keeps that. Each upsert is a billable
 * Temporal Cloud action, so a batch upserts at most twice: once the queue is counted, and at its end.
 */
const BATCH_SEARCH_ATTRIBUTES = 'batch-search-attributes';

/** After step 1 found work: the model and the queue's size, so a running batch can be found by them. */
export function recordQueuedAtStart(settings: BatchSettings, state: BatchState): void {
  if (!patched(BATCH_SEARCH_ATTRIBUTES)) return;
  upsertSearchAttributes([
    { key: KEYS.modelVersion, value: settings.projectVersionArn },
    { key: KEYS.imagesQueued, value: state.queuedAtStart },
  ]);
}

/** At the batch's end (not a handover): everything, so a batch whose first upsert never ran is complete too. */
export function recordBatchEnd(settings: BatchSettings, state: BatchState, outcome: BatchOutcome): void {
  if (!patched(BATCH_SEARCH_ATTRIBUTES)) return;
  const { counts, modelRunningSeconds } = summarize(state, settings, Date.now());
  upsertSearchAttributes([
    { key: KEYS.modelVersion, value: settings.projectVersionArn },
    { key: KEYS.imagesQueued, value: state.queuedAtStart },
    { key: KEYS.imagesProcessed, value: counts.processed },
    { key: KEYS.imagesFailed, value: counts.failed },
    { key: KEYS.imagesDeadLettered, value: counts.deadLettered },
    { key: KEYS.modelRunningSeconds, value: modelRunningSeconds },
    { key: KEYS.outcome, value: outcome },
  ]);
}

/** How a batch ended, from what stopped it (nothing, an error or a cancellation) and its state. */
export function outcomeOf(state: BatchState, failure: unknown): BatchOutcome {
  if (failure !== undefined) return isCancellation(failure) ? 'cancelled' : 'failed';
  if (state.queueWasEmpty) return 'queue-empty';
  return state.draining ? 'drained' : 'completed';
}
