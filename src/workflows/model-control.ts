import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { aws } from './activity-proxies';
import type { ModelRecord } from './batch-state';
import type { BatchSettings } from './batch-types';
import { durationText } from './duration-text';

const STARTABLE = new Set(['STOPPED', 'FAILED']);
const IN_TRANSITION = new Set(['STARTING', 'STOPPING']);

/** STARTING or RUNNING: billed, or about to be. */
function isUp(status: string): boolean {
  return status === 'RUNNING' || status === 'STARTING';
}

function observe(model: ModelRecord, status: string): void {
  model.status = status;
  if (status === 'RUNNING') model.runningSince ??= Date.now();
}

/** Whether the batch stops the model at its end: one it started, or one it found up unless told not to. */
export function ownsModel(settings: BatchSettings, model: ModelRecord): boolean {
  return model.startRequested || (model.foundUp && settings.stopModelFoundRunning);
}

/** Describes the model once: a model found up with nothing to do is one this batch may have to stop. */
export async function lookAtModel(settings: BatchSettings, model: ModelRecord): Promise<void> {
  const { status } = await aws.describeModel(settings.projectVersionArn);
  model.foundUp = isUp(status);
  observe(model, status);
}

/**
 * Brings the model to RUNNING with durable timers: waits out a STOPPING model, starts a stopped one,
 * fails with the reason when it ends FAILED or misses the deadline.
 */
export async function bringModelUp(settings: BatchSettings, model: ModelRecord): Promise<void> {
  const arn = settings.projectVersionArn;
  const deadline = Date.now() + settings.modelTransitionTimeoutMs;
  let described = await aws.describeModel(arn);
  model.foundUp = isUp(described.status);
  for (;;) {
    observe(model, described.status);
    if (described.status === 'RUNNING') return;
    if (STARTABLE.has(described.status)) {
      if (model.startRequested) {
        throw ApplicationFailure.nonRetryable(
          `Model ${arn} failed to start: ${described.statusMessage ?? described.status}. Every message stays queued.`,
          'ModelStartFailed',
        );
      }
      // Recorded before the request, so a failure after it still stops the model.
      model.startRequested = true;
      described = await aws.startModel({
        projectVersionArn: arn,
        minInferenceUnits: settings.minInferenceUnits,
        maxInferenceUnits: settings.maxInferenceUnits,
      });
      continue;
    }
    if (!IN_TRANSITION.has(described.status)) {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} is ${described.status} and cannot be started. Every message stays queued.`,
        'ModelNotStartable',
      );
    }
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} did not reach RUNNING within ${durationText(settings.modelTransitionTimeoutMs)} (still ${described.status}). Every message stays queued.`,
        'ModelStartDeadlineExceeded',
      );
    }
    await sleep(settings.statusPollIntervalMs);
    described = await aws.describeModel(arn);
  }
}

/** Stops the model and waits until it is STOPPED (or FAILED), retrying a stop the service refuses mid-transition. */
export async function stopModelAndWait(settings: BatchSettings, model: ModelRecord): Promise<void> {
  const arn = settings.projectVersionArn;
  const deadline = Date.now() + settings.modelTransitionTimeoutMs;
  let described = await aws.stopModel(arn);
  for (;;) {
    observe(model, described.status);
    if (described.status === 'STOPPED' || described.status === 'FAILED') {
      model.stoppedAt = Date.now();
      return;
    }
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(
        `Model ${arn} is still ${described.status} ${durationText(settings.modelTransitionTimeoutMs)} after the stop request: stop it by hand (aws rekognition stop-project-version).`,
        'ModelStopDeadlineExceeded',
      );
    }
    await sleep(settings.statusPollIntervalMs);
    described = described.status === 'STOPPING' ? await aws.describeModel(arn) : await aws.stopModel(arn);
  }
}
