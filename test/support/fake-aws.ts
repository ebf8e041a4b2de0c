import { ApplicationFailure } from '@temporalio/common';
import type { BatchActivities, DetectOutcome, ReceivedMessage } from '../../src/activities';

/** The statuses the service starts a model version from. */
const STARTABLE = new Set(['TRAINING_COMPLETED', 'COPYING_COMPLETED', 'STOPPED', 'FAILED']);
const SETTLES_INTO: Record<string, string> = {
  TRAINING_IN_PROGRESS: 'TRAINING_COMPLETED',
  COPYING_IN_PROGRESS: 'COPYING_COMPLETED',
};

interface FakeMessage {
  messageId: string;
  body: string;
  invisibleUntil: number;
  receipt: number;
}

/**
 * An in-memory stand-in for SQS, S3 and the model, for unit tests of the workflow alone (the real
 * activities are tested against moto and the local model server elsewhere).
 */
export class FakeAws {
  readonly queue: FakeMessage[] = [];
  readonly deadLetters: Array<{ body: string; reason: string }> = [];
  readonly objects = new Map<string, Buffer | string>();
  modelStatus = 'STOPPED';
  /** Describe calls a start takes before RUNNING; `Infinity` never finishes. */
  describesUntilRunning = 1;
  /** Describe calls a stop takes before STOPPED. */
  describesUntilStopped = 1;
  /** Describe calls a training or copy in progress takes to complete; `Infinity` never finishes. */
  describesUntilSettled = 2;
  /** The model's tag saying which batch of this project started it. */
  modelStartedBy: string | undefined;
  startEndsInFailure = false;
  readonly calls: string[] = [];
  /** Resolves when called; tests use it to hold detection (e.g. to cancel mid-batch). */
  detectGate: Promise<void> = Promise.resolve();
  /** Source key → detection of that image waits for it (a slow message among quick ones). */
  readonly detectGates = new Map<string, Promise<void>>();
  rejectedKeys = new Set<string>();
  /** Keys Rekognition cannot read though they exist (a bucket policy or KMS key shuts it out). */
  unreadableKeys = new Set<string>();
  /** Source key → the failure copying it raises (e.g. a non-retryable one of its own). */
  readonly copyFailures = new Map<string, Error>();
  /** Source keys whose message's entry in a DeleteMessageBatch fails (a fault of SQS); DeleteMessage works. */
  readonly batchDeleteFaults = new Set<string>();
  private describesInTransition = 0;
  private nextReceipt = 1;

  enqueue(body: string): void {
    this.queue.push({
      messageId: `m${this.queue.length + this.deadLetters.length + 1}-${Math.random()}`,
      body,
      invisibleUntil: 0,
      receipt: 0,
    });
  }

  enqueueImage(bucket: string, key: string): void {
    this.objects.set(`${bucket}/${key}`, `image ${key}`);
    this.enqueue(
      JSON.stringify({
        Records: [
          {
            eventSource: 'aws:s3',
            eventName: 'ObjectCreated:Put',
            s3: {
              bucket: { name: bucket },
              object: { key: encodeURIComponent(key).replace(/%20/g, '+'), eTag: 'etag' },
            },
          },
        ],
      }),
    );
  }

  count(name: string): number {
    return this.calls.filter((call) => call === name).length;
  }

  activities(): BatchActivities {
    const record = (name: string) => this.calls.push(name);
    return {
      countQueuedMessages: (_queueUrl: string) => {
        record('countQueuedMessages');
        const now = Date.now();
        const visible = this.queue.filter((m) => m.invisibleUntil <= now).length;
        return Promise.resolve({
          visible,
          inFlight: this.queue.length - visible,
          delayed: 0,
          total: this.queue.length,
        });
      },
      receiveMessages: (request) => {
        record('receiveMessages');
        const now = Date.now();
        const taken = this.queue.filter((m) => m.invisibleUntil <= now).slice(0, request.maxMessages);
        return Promise.resolve(
          taken.map((m): ReceivedMessage => {
            m.invisibleUntil = now + request.visibilityTimeoutSeconds * 1000;
            m.receipt = this.nextReceipt++;
            return {
              messageId: m.messageId,
              receiptHandle: String(m.receipt),
              body: m.body,
            };
          }),
        );
      },
      deleteMessage: (_queueUrl: string, receiptHandle: string) => {
        record('deleteMessage');
        this.remove(receiptHandle);
        return Promise.resolve();
      },
      deleteMessages: (_queueUrl: string, receiptHandles: string[]) => {
        record('deleteMessages');
        if (receiptHandles.length > 10) {
          throw ApplicationFailure.nonRetryable(
            `DeleteMessageBatch failed: TooManyEntriesInBatchRequest: ${receiptHandles.length} entries`,
            'TooManyEntriesInBatchRequest',
          );
        }
        return Promise.resolve(
          receiptHandles.map((receiptHandle) => {
            const message = this.queue.find((m) => String(m.receipt) === receiptHandle);
            if (message && this.batchDeleteFaults.has(sourceKeyOf(message.body))) return false;
            this.remove(receiptHandle);
            return true;
          }),
        );
      },
      extendVisibility: (request) => {
        record('extendVisibility');
        const message = this.queue.find((m) => String(m.receipt) === request.receiptHandle);
        if (message) message.invisibleUntil = Date.now() + request.visibilityTimeoutSeconds * 1000;
        return Promise.resolve(message !== undefined);
      },
      sendToDeadLetterQueue: (request) => {
        record('sendToDeadLetterQueue');
        this.deadLetters.push({ body: request.body, reason: request.reason });
        return Promise.resolve();
      },
      describeModel: () => {
        record('describeModel');
        if (this.modelStatus === 'STARTING' && ++this.describesInTransition >= this.describesUntilRunning) {
          this.modelStatus = this.startEndsInFailure ? 'FAILED' : 'RUNNING';
        }
        const settled = SETTLES_INTO[this.modelStatus];
        if (settled && ++this.describesInTransition >= this.describesUntilSettled) {
          this.modelStatus = settled;
          this.describesInTransition = 0;
        }
        if (this.modelStatus === 'STOPPING' && ++this.describesInTransition >= this.describesUntilStopped) {
          this.modelStatus = 'STOPPED';
          this.describesInTransition = 0;
        }
        return Promise.resolve({ status: this.modelStatus });
      },
      startModel: () => {
        record('startModel');
        if (STARTABLE.has(this.modelStatus)) {
          this.modelStatus = 'STARTING';
          this.describesInTransition = 0;
        }
        return Promise.resolve({ status: this.modelStatus });
      },
      stopModel: () => {
        record('stopModel');
        if (this.modelStatus === 'RUNNING' || this.modelStatus === 'STARTING') {
          this.modelStatus = 'STOPPING';
          this.describesInTransition = 0;
        }
        return Promise.resolve({ status: this.modelStatus });
      },
      markModelStartedBy: ({ batchId }) => {
        record('markModelStartedBy');
        this.modelStartedBy = batchId;
        return Promise.resolve();
      },
      modelStartedBy: () => {
        record('modelStartedBy');
        return Promise.resolve({ batchId: this.modelStartedBy });
      },
      clearModelStartedBy: () => {
        record('clearModelStartedBy');
        this.modelStartedBy = undefined;
        return Promise.resolve();
      },
      detectCustomLabels: async (request): Promise<DetectOutcome> => {
        record('detectCustomLabels');
        await this.detectGate;
        await this.detectGates.get(request.key);
        if (this.modelStatus !== 'RUNNING')
          throw new Error(`ResourceNotReadyException: model is ${this.modelStatus}`);
        if (!this.objects.has(`${request.bucket}/${request.key}`) || this.unreadableKeys.has(request.key))
          return { outcome: 'unreadable', message: 'Unable to get object from S3' };
        if (this.rejectedKeys.has(request.key)) {
          return { outcome: 'rejected', reason: 'InvalidImageFormatException', message: 'not an image' };
        }
        return { outcome: 'labelled', labels: [{ Name: 'circle', Confidence: 99 }] };
      },
      putJson: (target, document) => {
        record('putJson');
        refuseLongKey(target.key);
        this.objects.set(`${target.bucket}/${target.key}`, JSON.stringify(document));
        return Promise.resolve();
      },
      sourceObjectExists: (object) => {
        record('sourceObjectExists');
        return Promise.resolve(this.objects.has(`${object.bucket}/${object.key}`));
      },
      resultExists: (location) => {
        record('resultExists');
        return Promise.resolve(this.objects.has(`${location.bucket}/${location.key}`));
      },
      copyObject: (source, target) => {
        record('copyObject');
        const failure = this.copyFailures.get(source.key);
        if (failure) throw failure;
        refuseLongKey(target.key);
        const body = this.objects.get(`${source.bucket}/${source.key}`);
        if (body === undefined) return Promise.resolve(false);
        this.objects.set(`${target.bucket}/${target.key}`, body);
        return Promise.resolve(true);
      },
      deleteObject: (target) => {
        record('deleteObject');
        this.objects.delete(`${target.bucket}/${target.key}`);
        return Promise.resolve();
      },
      // No earlier batches here: a sized batch uses the configured TPS per unit.
      earlierBatchThroughputs: () => {
        record('earlierBatchThroughputs');
        return Promise.resolve([]);
      },
    };
  }

  private remove(receiptHandle: string): void {
    const index = this.queue.findIndex((m) => String(m.receipt) === receiptHandle);
    if (index >= 0) this.queue.splice(index, 1);
  }

  keysIn(bucket: string): string[] {
    return [...this.objects.keys()]
      .filter((key) => key.startsWith(`${bucket}/`))
      .map((key) => key.slice(bucket.length + 1))
      .sort();
  }
}

/** The source key an event of `enqueueImage` names, decoded; '' for another body. */
function sourceKeyOf(body: string): string {
  try {
    const event = JSON.parse(body) as { Records?: Array<{ s3?: { object?: { key?: string } } }> };
    return decodeURIComponent((event.Records?.[0]?.s3?.object?.key ?? '').replace(/\+/g, ' '));
  } catch {
    return '';
  }
}

/** As S3 does: keys are at most 1,024 bytes of UTF-8. */
function refuseLongKey(key: string): void {
  if (Buffer.byteLength(key, 'utf8') > 1024) {
    throw ApplicationFailure.nonRetryable(
      'PutObject failed: KeyTooLongError: Your key is too long',
      'KeyTooLongError',
    );
  }
}
