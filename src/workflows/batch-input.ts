import { msToNumber, type Duration } from '@temporalio/common/lib/time';
import { sqsSeconds } from '../sqs-seconds';
import { newBatchState, type BatchState } from './batch-state';
import type { BatchCounts, BatchSettings } from './batch-types';

/**
 * A batch's input: a new batch has settings only; a handed-over one also the state it reached. Batches
 * started before the model tag have no `stopModelStartedElsewhere` (they carry `stopModelFoundRunning`).
 */
export interface CurrentBatchInput {
  settings: Omit<BatchSettings, 'stopModelStartedElsewhere'> & { stopModelStartedElsewhere?: boolean };
  state?: BatchState;
}

/**
 * The input of batches started before settings came parsed: durations as text, other names. Histories
 * recorded then replay with it, and a schedule created then starts batches with it until it is updated.
 */
export interface LegacyBatchInput {
  settings: Omit<
    BatchSettings,
    | 'statusPollIntervalMs'
    | 'modelTransitionTimeoutMs'
    | 'messageVisibilityTimeoutSeconds'
    | 'stopModelStartedElsewhere'
    | 'stopModelFoundRunning'
  > & {
    modelPollInterval: string;
    modelStartDeadline: string;
    messageVisibilityTimeout: string;
    stopModelStartedElsewhere: boolean;
  };
  carryOver?: {
    counts: BatchCounts;
    startedModel: boolean;
    foundModelUp: boolean;
    modelRunningSince?: number;
    pages: number;
    continuedAsNew: number;
    queuedAtStart: number;
  };
}

export type BatchInput = CurrentBatchInput | LegacyBatchInput;

/** The batch's settings, and its state: the one handed over, or a new one. */
export function resumeOrCreate(input: BatchInput): { settings: BatchSettings; state: BatchState } {
  if (!isLegacy(input)) {
    // A schedule created before the tag still starts batches with the old setting: they get the safe
    // default, and a model someone else started is left running.
    const settings = {
      ...input.settings,
      stopModelStartedElsewhere: input.settings.stopModelStartedElsewhere ?? false,
    };
    return { settings, state: input.state ?? newBatchState() };
  }
  const {
    modelPollInterval,
    modelStartDeadline,
    messageVisibilityTimeout,
    stopModelStartedElsewhere,
    ...rest
  } = input.settings;
  const settings: BatchSettings = {
    ...rest,
    statusPollIntervalMs: milliseconds(modelPollInterval),
    modelTransitionTimeoutMs: milliseconds(modelStartDeadline),
    messageVisibilityTimeoutSeconds: sqsSeconds(milliseconds(messageVisibilityTimeout)),
    // That setting stopped any model found up: the tag's rules give it the safe default instead.
    stopModelFoundRunning: stopModelStartedElsewhere,
    stopModelStartedElsewhere: false,
  };
  const carried = input.carryOver;
  if (!carried) return { settings, state: newBatchState() };
  return {
    settings,
    state: {
      ...newBatchState(),
      // Those runs handed over only once the model was RUNNING, as the previous run had seen it.
      phase: 'processing',
      counts: carried.counts,
      queuedAtStart: carried.queuedAtStart,
      model: {
        status: 'RUNNING',
        startRequested: carried.startedModel,
        foundUp: carried.foundModelUp,
        runningSince: carried.modelRunningSince,
      },
      pages: carried.pages,
      continuedAsNew: carried.continuedAsNew,
    },
  };
}

/** Those durations were validated by the config of their day, in the format Temporal's own parser reads. */
function milliseconds(text: string): number {
  return msToNumber(text as Duration);
}

function isLegacy(input: BatchInput): input is LegacyBatchInput {
  return 'modelPollInterval' in input.settings;
}
