import type { ModelVersionRecord } from '../model';
import { InferenceCapacity } from './capacity';
import { RekognitionError } from './errors';
import type { Faults } from './faults';
import { UsageRecorder, type VersionUsage } from './usage';

/** Every ProjectVersionStatus the real service reports. */
export const VERSION_STATUSES = [
  'TRAINING_IN_PROGRESS',
  'TRAINING_COMPLETED',
  'TRAINING_FAILED',
  'STARTING',
  'RUNNING',
  'FAILED',
  'STOPPING',
  'STOPPED',
  'DELETING',
  'COPYING_IN_PROGRESS',
  'COPYING_COMPLETED',
  'COPYING_FAILED',
  'DEPRECATED',
  'EXPIRED',
] as const;
export type VersionStatus = (typeof VERSION_STATUSES)[number];

/** A trained (or copied) version that never ran, or one that ran and stopped or failed to start. */
const STARTABLE: ReadonlySet<VersionStatus> = new Set([
  'TRAINING_COMPLETED',
  'COPYING_COMPLETED',
  'STOPPED',
  'FAILED',
]);
/** What a training or a copy in progress ends in, when a test lets it end. */
const SETTLES_INTO: Partial<Record<VersionStatus, VersionStatus>> = {
  TRAINING_IN_PROGRESS: 'TRAINING_COMPLETED',
  COPYING_IN_PROGRESS: 'COPYING_COMPLETED',
};

export interface CustomLabel {
  Name: string;
  Confidence: number;
  /** Object-detection models only: where the object is, in ratios of the image. */
  Geometry?: { BoundingBox: { Width: number; Height: number; Left: number; Top: number } };
}

export interface LabelScorer {
  /** Every label with its confidence (0–100), highest first. */
  classify(image: Buffer): Promise<CustomLabel[]>;
}

export interface LifecycleSettings {
  startDelayMs: number;
  stopDelayMs: number;
  transactionsPerSecondPerInferenceUnit: number;
  loadScorer: (record: ModelVersionRecord) => Promise<LabelScorer>;
  faults: Faults;
  log: (line: string) => void;
  /** Time source of throughput and usage accounting. */
  now: () => number;
}

/**
 * One model version's lifecycle, as the real service walks it: TRAINING_COMPLETED (trained, never
 * started) → STARTING → RUNNING → STOPPING → STOPPED → STARTING …, or STARTING → FAILED. The statuses
 * training, copying, deletion and expiry bring arise here only when a test puts a version in them
 * (`putInStatus`).
 */
export class ModelVersion {
  private currentStatus: VersionStatus = 'TRAINING_COMPLETED';
  private message = 'The model is trained and has never been started.';
  /** TagResource's key-value pairs, kept across starts and stops as the service keeps them. */
  readonly tags = new Map<string, string>();
  private units: { min: number; max?: number } | undefined;
  private capacity: InferenceCapacity | undefined;
  private scorer: LabelScorer | undefined;
  private pendingTransition: NodeJS.Timeout | undefined;
  /** Bumped on every state change so a late timer or model load from an earlier start is ignored. */
  private generation = 0;
  readonly usage: UsageRecorder;

  constructor(
    readonly record: ModelVersionRecord,
    private readonly settings: LifecycleSettings,
  ) {
    this.usage = new UsageRecorder(settings.now);
  }

  get status(): VersionStatus {
    return this.currentStatus;
  }

  describe(): Record<string, unknown> {
    return {
      ProjectVersionArn: this.record.projectVersionArn,
      // The API has no field for the model's type; the console shows it, and this description says it.
      VersionDescription: `${this.record.kind === 'detection' ? 'Object detection' : 'Image classification'} model trained locally on labels: ${this.record.labels.join(', ')}`,
      CreationTimestamp: this.record.createdAt / 1000,
      TrainingEndTimestamp: this.record.createdAt / 1000,
      Status: this.currentStatus,
      StatusMessage: this.message,
      MinInferenceUnits: this.units?.min,
      MaxInferenceUnits: this.units?.max,
      EvaluationResult: { F1Score: this.record.evaluation.macroF1 },
    };
  }

  start(minInferenceUnits: number, maxInferenceUnits: number | undefined): VersionStatus {
    if (!STARTABLE.has(this.currentStatus)) {
      throw new RekognitionError(
        'ResourceInUseException',
        `Model ${this.record.projectVersionArn} is ${this.currentStatus}; it can be started only when ${[...STARTABLE].join(', ')}.`,
      );
    }
    this.units = { min: minInferenceUnits, max: maxInferenceUnits };
    const generation = this.enter('STARTING', 'The model is being started.');
    const fault = this.settings.faults.takeStartFault(this.record.projectVersionArn);
    if (fault === 'hang') return this.currentStatus;
    void this.finishStart(generation, minInferenceUnits, fault === 'fail');
    return this.currentStatus;
  }

  stop(): VersionStatus {
    if (this.currentStatus !== 'RUNNING' && this.currentStatus !== 'STARTING') {
      throw new RekognitionError(
        'ResourceInUseException',
        `Model ${this.record.projectVersionArn} is ${this.currentStatus}; only a RUNNING or STARTING model can be stopped.`,
      );
    }
    if (this.currentStatus === 'RUNNING') this.usage.stopped();
    const generation = this.enter('STOPPING', 'The model is being stopped.');
    this.pendingTransition = setTimeout(() => {
      if (generation === this.generation) this.enter('STOPPED', 'The model is stopped.');
    }, this.settings.stopDelayMs);
    return this.currentStatus;
  }

  /**
   * Puts the version in `status` at once, as training, copying, deleting or the service expiring it
   * would; a training or copy in progress completes after `settlesAfterMs` when given.
   */
  putInStatus(status: VersionStatus, settlesAfterMs?: number): void {
    if (this.currentStatus === 'RUNNING') this.usage.stopped();
    const generation = this.enter(status, `The model was put in ${status} by a test.`);
    const settled = SETTLES_INTO[status];
    if (settled === undefined || settlesAfterMs === undefined) return;
    this.pendingTransition = setTimeout(() => {
      if (generation === this.generation) this.enter(settled, `The model is ${settled}.`);
    }, settlesAfterMs);
  }

  /** Admits one inference: the model must be RUNNING and within its provisioned throughput. */
  admitInference(): { scorer: LabelScorer; done: () => void } {
    if (this.currentStatus !== 'RUNNING' || !this.scorer || !this.capacity) {
      throw new RekognitionError(
        'ResourceNotReadyException',
        `Model ${this.record.projectVersionArn} is ${this.currentStatus}, not RUNNING. Start it with StartProjectVersion and wait until DescribeProjectVersions reports RUNNING.`,
      );
    }
    if (!this.capacity.tryTake() || this.settings.faults.shouldThrottle()) {
      this.usage.throttled();
      throw new RekognitionError(
        'ProvisionedThroughputExceededException',
        `Model ${this.record.projectVersionArn} is over its provisioned throughput (${this.requestsPerSecond()} requests/s for ${this.units?.min} inference unit(s)). Retry with backoff.`,
      );
    }
    return { scorer: this.scorer, done: this.usage.inferenceStarted() };
  }

  usageReport(): VersionUsage {
    return this.usage.report(this.record.projectVersionArn, this.currentStatus);
  }

  /** Stops timers; used when the server shuts down. */
  dispose(): void {
    this.generation += 1;
    clearTimeout(this.pendingTransition);
  }

  private async finishStart(generation: number, inferenceUnits: number, failStart: boolean): Promise<void> {
    // Not cleared by later transitions: the generation check makes a stale start harmless.
    const delay = new Promise<void>((resolve) => setTimeout(resolve, this.settings.startDelayMs).unref());
    try {
      if (failStart) throw new Error('Start failed (injected fault).');
      this.scorer ??= await this.settings.loadScorer(this.record);
      await delay;
      if (generation !== this.generation) return;
      this.capacity = new InferenceCapacity(this.requestsPerSecond(), this.settings.now);
      this.usage.running(inferenceUnits);
      this.enter('RUNNING', 'The model is running.');
    } catch (error) {
      await delay;
      if (generation !== this.generation) return;
      const reason = error instanceof Error ? error.message : String(error);
      this.settings.log(`model ${this.record.projectVersionArn} failed to start: ${reason}`);
      this.enter('FAILED', `The model failed to start: ${reason}`);
    }
  }

  private requestsPerSecond(): number {
    return (this.units?.min ?? 1) * this.settings.transactionsPerSecondPerInferenceUnit;
  }

  private enter(status: VersionStatus, message: string): number {
    clearTimeout(this.pendingTransition);
    this.currentStatus = status;
    this.message = message;
    this.settings.log(`model ${this.record.projectVersionArn}: ${status}`);
    return ++this.generation;
  }
}
