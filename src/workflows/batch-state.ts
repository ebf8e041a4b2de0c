import type { BatchCounts, BatchPhase, BatchProgress, BatchSettings, BatchSummary } from './batch-types';
import type { ThroughputMeasurement, TpsChoice } from './learned-tps';
import type { OutputLayout } from './output-keys';
import type { UnitChoice } from './unit-sizing';

/** What the batch has seen of its model, and whether it is the batch's to stop. */
export interface ModelRecord {
  /** The status last seen: after a handover it is the one the previous run saw. */
  status?: string;
  /** This batch asked for a start, so it stops the model whatever happens next. */
  startRequested: boolean;
  /** STARTING or RUNNING when the batch first looked: someone else's, or left up by an earlier batch. */
  foundUp: boolean;
  /**
   * Found up carrying this project's tag: an earlier batch started it and could not stop it (terminated,
   * or its stop failed), so this batch stops it. Absent from batches recorded before the tag.
   */
  leftByEarlierBatch?: boolean;
  /** Workflow time (ms) of this batch's start request. */
  startRequestedAt?: number;
  /** The units the model runs with and why: absent until it is up, and in batches started before. */
  inferenceUnits?: UnitChoice;
  /** The TPS per unit the units were sized from: absent unless TARGET_BATCH_DURATION sized them. */
  tpsPerUnit?: TpsChoice;
  /** Workflow time (ms) the model was first seen RUNNING: billing runs from there. */
  runningSince?: number;
  /** Workflow time (ms) of this batch's first stop request: its processing was over. */
  stopRequestedAt?: number;
  /** Workflow time (ms) this batch saw its stop reach STOPPED (or FAILED). */
  stoppedAt?: number;
}

/** Everything a batch knows: the progress query shows it, and continue-as-new carries it as it is. */
export interface BatchState {
  phase: BatchPhase;
  counts: BatchCounts;
  /** Messages waiting (visible, in flight, delayed) when the batch began. */
  queuedAtStart: number;
  queueWasEmpty: boolean;
  model: ModelRecord;
  /** Receive calls made so far. */
  pages: number;
  inFlight: number;
  /** A drain signal came: finish what is in flight, take no more. */
  draining: boolean;
  continuedAsNew: number;
  /** Chosen when processing begins and kept to the end: absent until then, and in batches started before it. */
  outputLayout?: OutputLayout;
}

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

export function newBatchState(): BatchState {
  return {
    phase: 'checking-queue',
    counts: emptyCounts(),
    queuedAtStart: 0,
    queueWasEmpty: false,
    model: { startRequested: false, foundUp: false },
    pages: 0,
    inFlight: 0,
    draining: false,
    continuedAsNew: 0,
  };
}

export function progressOf(state: BatchState): BatchProgress {
  return {
    phase: state.phase,
    counts: state.counts,
    modelStatus: state.model.status,
    pages: state.pages,
    inFlight: state.inFlight,
    draining: state.draining,
    continuedAsNew: state.continuedAsNew,
    queuedAtStart: state.queuedAtStart,
  };
}

/** Why a batch without TARGET_BATCH_DURATION (or one started before it) ran the units it did. */
export const MIN_UNITS = 'MIN_INFERENCE_UNITS (no TARGET_BATCH_DURATION)';

/** The batch's result; `now` ends the billed time of a model still running (one this batch leaves up). */
export function summarize(state: BatchState, settings: BatchSettings, now: number): BatchSummary {
  const { model } = state;
  const runningUntil = model.stoppedAt ?? now;
  const modelRunningSeconds =
    model.runningSince === undefined ? 0 : (runningUntil - model.runningSince) / 1000;
  const inferenceUnits =
    model.inferenceUnits ??
    (model.runningSince === undefined
      ? undefined
      : { chosen: settings.minInferenceUnits, reason: MIN_UNITS });
  const throughput = throughputOf(state);
  const modelStartSeconds =
    model.startRequestedAt === undefined || model.runningSince === undefined
      ? undefined
      : (model.runningSince - model.startRequestedAt) / 1000;
  return {
    counts: state.counts,
    queueWasEmpty: state.queueWasEmpty,
    startedModel: model.startRequested,
    stoppedModel: model.stoppedAt !== undefined,
    modelStartedAt: isoTime(model.runningSince),
    modelStoppedAt: isoTime(model.stoppedAt),
    modelRunningSeconds,
    ...(modelStartSeconds !== undefined && { modelStartSeconds }),
    ...(inferenceUnits && { inferenceUnits }),
    ...(model.tpsPerUnit && { tpsPerUnit: model.tpsPerUnit }),
    ...(throughput && { throughput }),
    estimatedInferenceCostUsd:
      (modelRunningSeconds / 3600) *
      (inferenceUnits?.chosen ?? settings.minInferenceUnits) *
      settings.inferenceUnitHourlyCost,
    continuedAsNew: state.continuedAsNew,
    pages: state.pages,
  };
}

/**
 * What the model this batch started and stopped delivered, from RUNNING to the stop request: the
 * batch processed from the moment it saw RUNNING until it asked for the stop.
 */
function throughputOf({ model, counts }: BatchState): ThroughputMeasurement | undefined {
  const { startRequested, runningSince, stopRequestedAt, inferenceUnits } = model;
  if (!startRequested || runningSince === undefined || stopRequestedAt === undefined || !inferenceUnits)
    return undefined;
  return {
    imagesProcessed: counts.processed,
    busySeconds: (stopRequestedAt - runningSince) / 1000,
    inferenceUnits: inferenceUnits.chosen,
  };
}

function isoTime(ms: number | undefined): string | undefined {
  return ms === undefined ? undefined : new Date(ms).toISOString();
}
