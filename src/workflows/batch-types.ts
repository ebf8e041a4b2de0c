import type { ThroughputMeasurement, TpsChoice } from './learned-tps';
import type { UnitChoice, UnitSizing } from './unit-sizing';

/** What a batch needs to know, from the config validated at the edge; carries no credentials. */
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
  /** How often a starting or stopping model is looked at again (and the queue, when its count shows visible messages a receive did not get). */
  statusPollIntervalMs: number;
  /** How long a started model may take to be RUNNING, and a stopped one to be STOPPED. */
  modelTransitionTimeoutMs: number;
  /** How long a received message stays invisible to others while this batch works on it. */
  messageVisibilityTimeoutSeconds: number;
  /**
   * History events one run records before handing over to a new run. Absent from batches started before
   * the setting existed: those continue as new when the server suggests it (about 4,096 events).
   */
  continueAsNewAfterEvents?: number;
  /**
   * Messages in a row that may fail on their own (each dead-lettered) before the batch stops: so many
   * suggest a fault of the system that no failure type reveals. Absent from batches started before the
   * setting existed: those stop only on failures of the system.
   */
  maxConsecutiveMessageFailures?: number;
  /** True: a model found STARTING or RUNNING that this project did not start is stopped at the end as well. */
  stopModelStartedElsewhere: boolean;
  /**
   * Batches started before the model tag stopped any model they found up when this was true: their
   * histories replay with it, and nothing else reads it.
   */
  stopModelFoundRunning?: boolean;
  /** DetectCustomLabels runs on its own task queue, rate limited across workers. */
  detectTaskQueue: string;
  /** For the summary's cost estimate, in USD per inference-unit hour. */
  inferenceUnitHourlyCost: number;
  /**
   * TARGET_BATCH_DURATION and what it sizes the model from: the units a batch starts are the fewest
   * (up to maxInferenceUnits) that finish in time. Absent: the batch starts minInferenceUnits.
   */
  unitSizing?: UnitSizing;
  /**
   * Receiver child workflows the queue is fanned out to, each with a share of `concurrency`; 1 keeps it
   * in the batch's own execution. Absent from batches started before the setting existed: 1.
   */
  receivers?: number;
  /**
   * LOCAL_AWS_CALLS: the short S3/SQS calls as local activities written together (about 1.1 Temporal
   * actions per image instead of 5). Absent from batches started before the setting existed, which ran
   * them so when they were recorded with it.
   */
  localAwsCalls?: boolean;
}

export interface BatchCounts {
  processed: number;
  failed: number;
  failedByReason: Record<string, number>;
  /** The source object was already gone (a redelivery of finished work, or deleted by someone). */
  skipped: number;
  /**
   * Sent to the dead-letter queue with the reason: not an S3 event for the source bucket, or a message
   * that failed on its own (a key too long for the results, an object S3 refuses to copy, …).
   */
  deadLettered: number;
  testEvents: number;
  messages: number;
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
  /** From this batch's start request to RUNNING; absent when it did not start the model. */
  modelStartSeconds?: number;
  /** The units the model ran with, and why; absent when the batch never brought the model up. */
  inferenceUnits?: UnitChoice;
  /** The TPS per unit TARGET_BATCH_DURATION sized the units from, and where it came from. */
  tpsPerUnit?: TpsChoice;
  /**
   * What the model this batch started delivered: later batches of the model learn its TPS per unit
   * from it. Absent when the batch did not start the model (or ran it without stopping it).
   */
  throughput?: ThroughputMeasurement;
  estimatedInferenceCostUsd: number;
  continuedAsNew: number;
  pages: number;
}
