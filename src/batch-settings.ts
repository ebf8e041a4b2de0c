import type { Config } from './config/config';
import { parseModelVersionArn } from './model-version-arn';
import { sqsSeconds } from './sqs-seconds';
import type { BatchSettings } from './workflows/batch-types';
import { receiversFor } from './workflows/receiver-plan';

/** The workflow's input, from the config: what a scheduled run starts with. No credentials in it. */
export function batchSettingsFrom(config: Config): BatchSettings {
  return {
    projectVersionArn: config.projectVersionArn,
    queueUrl: config.queueUrl,
    deadLetterQueueUrl: config.deadLetterQueueUrl,
    sourceBucket: config.sourceBucket,
    resultsBucket: config.resultsBucket,
    minInferenceUnits: config.minInferenceUnits,
    maxInferenceUnits: config.maxInferenceUnits,
    concurrency: config.concurrency,
    minConfidence: config.minConfidence,
    statusPollIntervalMs: config.statusPollIntervalMs,
    modelTransitionTimeoutMs: config.modelTransitionTimeoutMs,
    messageVisibilityTimeoutSeconds: sqsSeconds(config.messageVisibilityTimeoutMs),
    continueAsNewAfterEvents: config.continueAsNewAfterEvents,
    maxConsecutiveMessageFailures: config.maxConsecutiveMessageFailures,
    stopModelStartedElsewhere: config.stopModelStartedElsewhere,
    localAwsCalls: config.localAwsCalls,
    detectTaskQueue: config.detectTaskQueue,
    inferenceUnitHourlyCost: config.inferenceUnitHourlyCost,
    ...(config.targetBatchDurationMs !== undefined && {
      unitSizing: {
        targetMs: config.targetBatchDurationMs,
        tpsPerUnit: config.modelTpsPerInferenceUnit,
        learnFromBatches: config.learnTpsFromBatches,
        modelStartMs: config.modelStartTimeMs,
        detectRateLimit: config.detectRateLimit,
      },
    }),
    receivers: config.receivers ?? receiversFor(config),
  };
}

/** One batch per model at a time: ids derive from the model version, never from randomness. */
export function batchIdsFor(projectVersionArn: string): { scheduleId: string; workflowId: string } {
  const names = parseModelVersionArn(projectVersionArn);
  if (!names) throw new Error(`not a validated model version ARN: ${projectVersionArn}`);
  const slug = `${names.projectName}-${names.versionName}`;
  return { scheduleId: `custom-labels-batch-${slug}`, workflowId: `custom-labels-batch-${slug}` };
}
