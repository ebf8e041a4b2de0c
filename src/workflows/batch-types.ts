import type { DurationText } from '../config/duration';

/** What a batch needs to know; built from the validated config, carries no credentials. */
export interface BatchSettings {
  projectVersionArn: string;
  queueUrl: string;
  deadLetterQueueUrl: string;
  sourceBucket: string;
  resultsBucket: string;
  minInferenceUnits: number;
  maxInferenceUnits?: number;
  /** Messages processed at once. */
  concurrency: number;
  /** Omitted: each label's assumed threshold applies. */
  minConfidence?: number;
  /** Duration strings such as '30s'. */
  modelPollInterval: DurationText;
  modelStartDeadline: DurationText;
  /** How long a received message stays invisible to others while this batch works on it. */
  messageVisibilityTimeout: DurationText;
  /**
   * History events one run records before handing over to a new run. Absent from batches started before
   * the setting existed: those continue as new when the server suggests it (about 4,096 events).
   */
  continueAsNewAfterEvents?: number;
  /** False: a model this batch found RUNNING (and did not start) is left running at the end. */
  stopModelStartedElsewhere: boolean;
  /** DetectCustomLabels runs on its own task queue, rate limited across workers. */
  detectTaskQueue: string;
  /** For the summary's cost estimate, in USD per inference-unit hour. */
  inferenceUnitHourlyCost: number;
}

export interface BatchCounts {
  processed: number;
  failed: number;
  failedByReason: Record<string, number>;
  /** The source object was already gone (a redelivery of finished work, or deleted by someone). */
  skipped: number;
  /** Not an S3 event for the source bucket: sent to the dead-letter queue. */
  deadLettered: number;
  testEvents: number;
  messages: number;
}

/** State handed across continue-as-new, so the last run reports and cleans up for the whole batch. */
export interface BatchCarryOver {
  counts: BatchCounts;
  startedModel: boolean;
  foundModelUp: boolean;
  modelRunningSince?: number;
  pages: number;
  continuedAsNew: number;
  queuedAtStart: number;
}

export interface BatchInput {
  settings: BatchSettings;
  carryOver?: BatchCarryOver;
}

export type BatchPhase = 'checking-queue' | 'starting-model' | 'processing' | 'stopping-model' | 'done';

export interface BatchProgress {
  phase: BatchPhase;
  counts: BatchCounts;
  modelStatus?: string;
  /** Receive calls made so far (pages of up to 10 messages). */
  pages: number;
  inFlight: number;
  draining: boolean;
  continuedAsNew: number;
  /** Messages waiting (visible, in flight, delayed) when the batch began. */
  queuedAtStart: number;
}

export interface BatchSummary {
  counts: BatchCounts;
  queueWasEmpty: boolean;
  startedModel: boolean;
  stoppedModel: boolean;
  modelStartedAt?: string;
  modelStoppedAt?: string;
  modelRunningSeconds: number;
  estimatedInferenceCostUsd: number;
  continuedAsNew: number;
  pages: number;
}
