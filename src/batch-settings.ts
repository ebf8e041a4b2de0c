import type { Config } from './config/config';
import type { BatchSettings } from './workflows/batch-types';

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
    modelPollInterval: config.modelPollInterval,
    modelStartDeadline: config.modelStartDeadline,
    messageVisibilityTimeout: config.messageVisibilityTimeout,
    continueAsNewAfterEvents: config.continueAsNewAfterEvents,
    stopModelStartedElsewhere: !config.keepModelStartedElsewhere,
    detectTaskQueue: config.detectTaskQueue,
    inferenceUnitHourlyCost: config.inferenceUnitHourlyCost,
  };
}

/** One batch per model at a time: ids derive from the model version, never from randomness. */
export function batchIdsFor(projectVersionArn: string): { scheduleId: string; workflowId: string } {
  const [, project, , version] = projectVersionArn.split(':').slice(5).join(':').split('/');
  const slug = `${project}-${version}`.replace(/[^a-zA-Z0-9_.-]/g, '_');
  return { scheduleId: `custom-labels-batch-${slug}`, workflowId: `custom-labels-batch-${slug}` };
}
