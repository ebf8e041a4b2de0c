import { ApplicationFailure, sleep } from '@temporalio/workflow';
import { aws } from './activity-proxies';
import type { BatchSettings } from './batch-types';
import { parseDuration } from '../config/duration';

const STARTABLE = new Set(['STOPPED', 'FAILED']);
const IN_TRANSITION = new Set(['STARTING', 'STOPPING']);

export interface ModelObserver {
  onStatus(status: string): void;
  /** Called before the start request, so a failure after it still stops the model. */
  onStartRequested(): void;
}

/**
 * Brings the model to RUNNING with durable timers: waits out a STOPPING model, starts a stopped one,
 * fails with the reason when it ends FAILED or misses the deadline. Returns whether the model was
 * already up (STARTING or RUNNING) when the batch found it.
 */
export async function ensureModelRunning(
  settings: BatchSettings,
  observer: ModelObserver,
): Promise<{ foundUp: boolean }> {
  const deadline = Date.now() + parseDuration(settings.modelStartDeadline, 'modelStartDeadline');
  let startRequested = false;
  let model = await aws.describeModel(settings.projectVersionArn);
  const foundUp = model.status === 'RUNNING' || model.status === 'STARTING';
  for (;;) {
    observer.onStatus(model.status);
    if (model.status === 'RUNNING') return { foundUp };
    if (STARTABLE.has(model.status)) {
      if (startRequested) {
        throw ApplicationFailure.nonRetryable(
          `Model ${settings.projectVersionArn} failed to start: ${model.statusMessage ?? model.status}. Every message stays queued.`,
          'ModelStartFailed',
        );
      }
      startRequested = true;
      observer.onStartRequested();
      model = await aws.startModel({
        projectVersionArn: settings.projectVersionArn,
        minInferenceUnits: settings.minInferenceUnits,
        maxInferenceUnits: settings.maxInferenceUnits,
      });
      continue;
    }
    if (!IN_TRANSITION.has(model.status)) {
      throw ApplicationFailure.nonRetryable(
        `Model ${settings.projectVersionArn} is ${model.status} and cannot be started. Every message stays queued.`,
        'ModelNotStartable',
      );
    }
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(
        `Model ${settings.projectVersionArn} did not reach RUNNING within ${settings.modelStartDeadline} (still ${model.status}). Every message stays queued.`,
        'ModelStartDeadlineExceeded',
      );
    }
    await sleep(settings.modelPollInterval);
    model = await aws.describeModel(settings.projectVersionArn);
  }
}

/** Whether the model is STARTING or RUNNING: billed, or about to be. */
export async function isModelUp(
  settings: BatchSettings,
  onStatus: (status: string) => void,
): Promise<boolean> {
  const { status } = await aws.describeModel(settings.projectVersionArn);
  onStatus(status);
  return status === 'RUNNING' || status === 'STARTING';
}

/** Stops the model and waits until it is STOPPED (or FAILED), retrying a stop the service refuses mid-transition. */
export async function stopModelAndWait(
  settings: BatchSettings,
  onStatus: (status: string) => void,
): Promise<void> {
  const deadline = Date.now() + parseDuration(settings.modelStartDeadline, 'modelStartDeadline');
  let model = await aws.stopModel(settings.projectVersionArn);
  for (;;) {
    onStatus(model.status);
    if (model.status === 'STOPPED' || model.status === 'FAILED') return;
    if (Date.now() >= deadline) {
      throw ApplicationFailure.nonRetryable(
        `Model ${settings.projectVersionArn} is still ${model.status} ${settings.modelStartDeadline} after the stop request: stop it by hand (aws rekognition stop-project-version).`,
        'ModelStopDeadlineExceeded',
      );
    }
    await sleep(settings.modelPollInterval);
    model =
      model.status === 'STOPPING'
        ? await aws.describeModel(settings.projectVersionArn)
        : await aws.stopModel(settings.projectVersionArn);
  }
}
