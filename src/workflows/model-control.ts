import { ApplicationFailure, workflowInfo } from '@temporalio/workflow';
import { aws } from './activity-proxies';
import { MIN_UNITS, type ModelRecord } from './batch-state';
import type { BatchSettings } from './batch-types';
import { durationText } from './duration-text';
import { actionFor, isAtRest, isUp, type ModelRules } from './model-status';
import { tpsPerUnitFor } from './model-tps';
import { transitionDeadline } from './transition-deadline';
import { sizeInferenceUnits, type UnitChoice } from './unit-sizing';
import type { ModelState } from '../activities';

function observe(model: ModelRecord, status: string): void {
  model.status = status;
  if (status === 'RUNNING') model.runningSince ??= Date.now();
}

/**
 * Whether the batch stops the model at its end: one it started, one an earlier batch of this project
 * started and left up, and one someone else started only when the settings say so.
 */
export function ownsModel(settings: BatchSettings, model: ModelRecord, rules: ModelRules): boolean {
  if (model.startRequested) return true;
  if (rules === 'before-ownership-tag') return model.foundUp && settings.stopModelFoundRunning === true;
  return model.leftByEarlierBatch === true || (model.foundUp && settings.stopModelStartedElsewhere);
}

/**
 * Notes whether the model is up, and whose it is: the tag says a batch of this project started it. A
 * model stopping counts too: left by a batch terminated mid-stop, its tag must go once it is STOPPED.
 */
async function noteFound(
  settings: BatchSettings,
  model: ModelRecord,
  status: string,
  rules: ModelRules,
): Promise<void> {
  model.foundUp = isUp(status);
  if (!isAtRest(status) && rules === 'current') {
    const { batchId } = await aws.modelStartedBy(settings.projectVersionArn);
    model.leftByEarlierBatch = batchId !== undefined;
  }
}

/** Describes the model once: a model found up with nothing to do is one this batch may have to stop. */
export async function lookAtModel(
  settings: BatchSettings,
  model: ModelRecord,
  rules: ModelRules,
): Promise<void> {
  const { status } = await aws.describeModel(settings.projectVersionArn);
  observe(model, status);
  await noteFound(settings, model, status, rules);
}

/** A model up before this batch asked for it keeps the units it was started with. */
const FOUND_UP =
  'the model was already STARTING or RUNNING (started elsewhere or left up): not restarted, so it keeps the units it was started with; costed here at MIN_INFERENCE_UNITS';

/**
 * The units to start for `queuedMessages`: sized to TARGET_BATCH_DURATION when set, from the TPS per
 * unit learned from earlier batches or configured (noted in the model record).
 */
async function unitsFor(
  settings: BatchSettings,
  model: ModelRecord,
  queuedMessages: number,
): Promise<UnitChoice> {
  const { unitSizing, minInferenceUnits: min, maxInferenceUnits: max = min } = settings;
  if (!unitSizing) return { chosen: min, reason: MIN_UNITS };
  model.tpsPerUnit = await tpsPerUnitFor(settings.projectVersionArn, unitSizing);
  const sizing = { ...unitSizing, tpsPerUnit: model.tpsPerUnit.tpsPerUnit };
  return sizeInferenceUnits(queuedMessages, sizing, { min, max });
}

/**
 * Brings the model to RUNNING with durable timers: waits out a training, copy, start or stop in
 * progress, starts a trained, copied, stopped or failed one (with the units sized for the `queuedMessages`
 * queued), and fails with the reason and what to do when it cannot run, ends FAILED or misses the
 * deadline.
 */
export async function bringModelUp(
  settings: BatchSettings,
  model: ModelRecord,
  rules: ModelRules,
  queuedMessages: number,
): Promise<void> {
  const arn = settings.projectVersionArn;
  const deadline = transitionDeadline(settings);
  let described = await aws.describeModel(arn);
  await noteFound(settings, model, described.status, rules);
  for (;;) {
    observe(model, described.status);
    const action = actionFor(described.status, rules);
    if (action.kind === 'running') {
      model.inferenceUnits ??= { chosen: settings.minInferenceUnits, reason: FOUND_UP };
      return;
    }
    if (action.kind === 'start') {
      if (model.startRequested) {
        throw ApplicationFailure.nonRetryable(
          `Model ${arn} failed to start: ${described.statusMessage ?? described.status}. Every message stays queued.`,
          'ModelStartFailed',
        );
      }
      described = await requestStart(settings, model, rules, await unitsFor(settings, model, queuedMessages));
      continue;
    }
    if (action.kind === 'give-up') {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} is ${described.status} and cannot be started (${action.why}): ${action.todo}. Every message stays queued.`,
        'ModelNotStartable',
      );
    }
    if (deadline.passed()) {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} did not reach RUNNING within ${durationText(settings.modelTransitionTimeoutMs)} (still ${described.status}). Every message stays queued.`,
        'ModelStartDeadlineExceeded',
      );
    }
    await deadline.waitOnePoll();
    described = await aws.describeModel(arn);
  }
}

/** Tags the model as this batch's before asking for the start, so that no start of ours goes unmarked. */
async function requestStart(
  settings: BatchSettings,
  model: ModelRecord,
  rules: ModelRules,
  units: UnitChoice,
): Promise<ModelState> {
  if (rules === 'current') {
    await aws.markModelStartedBy({
      projectVersionArn: settings.projectVersionArn,
      batchId: workflowInfo().workflowId,
    });
  }
  // Recorded before the request, so a failure after it still stops the model.
  model.startRequested = true;
  model.startRequestedAt = Date.now();
  model.inferenceUnits = units;
  return aws.startModel({
    projectVersionArn: settings.projectVersionArn,
    minInferenceUnits: units.chosen,
    // A sized batch keeps its units: auto-scaling up would bill more without finishing sooner.
    maxInferenceUnits: settings.unitSizing ? undefined : settings.maxInferenceUnits,
  });
}

/**
 * Stops the model and waits until it is at rest, retrying a stop the service refuses mid-transition;
 * then removes this project's tag, so that whoever starts the model next owns it.
 */
export async function stopModelAndWait(
  settings: BatchSettings,
  model: ModelRecord,
  rules: ModelRules,
): Promise<void> {
  const arn = settings.projectVersionArn;
  const deadline = transitionDeadline(settings);
  model.stopRequestedAt ??= Date.now();
  let described = await aws.stopModel(arn);
  for (;;) {
    observe(model, described.status);
    if (isAtRest(described.status)) break;
    if (deadline.passed()) {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} is still ${described.status} ${durationText(settings.modelTransitionTimeoutMs)} after the stop request: stop it by hand (aws rekognition stop-project-version).`,
        'ModelStopDeadlineExceeded',
      );
    }
    await deadline.waitOnePoll();
    described = described.status === 'STOPPING' ? await aws.describeModel(arn) : await aws.stopModel(arn);
  }
  model.stoppedAt = Date.now();
  if (rules === 'current') await aws.clearModelStartedBy(arn);
}
