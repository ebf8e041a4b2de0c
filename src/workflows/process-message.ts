import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { describeObject, type AnnouncedObject } from '../announced-object';
import type { DetectOutcome, ReceivedMessage } from '../activities';
import { aws, modelInference } from './activity-proxies';
import type { BatchCounts, BatchSettings } from './batch-types';
import { failureReason, failureScope } from './failure-scope';
import { outputKeyProblem, outputKeys, type OutputKeys, type OutputLayout } from './output-keys';
import { parseQueueMessage, type S3ObjectRef } from './s3-event';
import { workflowMetrics } from '../observability/workflow-metrics';

/** Serialises work on one object, so two events for the same image never race each other. */
export class ObjectLocks {
  private readonly tails = new Map<string, Promise<void>>();

  async run(key: string, work: () => Promise<void>): Promise<void> {
    const previous = this.tails.get(key) ?? Promise.resolve();
    const current = previous.then(work, work);
    const tail = current.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      await current;
    } finally {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }
}

/** How this run processes messages: its layout, and whether one message's failure is that message's alone. */
export interface MessageContext {
  settings: BatchSettings;
  counts: BatchCounts;
  locks: ObjectLocks;
  layout: OutputLayout;
  /** False in runs recorded before failures were dead-lettered: any failure then stops the batch. */
  deadLetterFailures: boolean;
}

/** 'failed': the message could not be processed and went to the dead-letter queue with the reason. */
export type MessageOutcome = 'done' | 'failed';

/**
 * One queue message, start to end. The message is deleted last, only after every output is written (or
 * after it went to the dead-letter queue): a crash anywhere before leaves it queued, and redoing the
 * steps overwrites the same objects. Reads `message.receiptHandle` when it deletes: a redelivery while
 * it works renews it.
 *
 * Every await here is one recorded histories depend on: an extra async step would reorder the commands
 * of messages finishing together, and running batches would no longer replay.
 */
export async function processMessage(
  message: ReceivedMessage,
  context: MessageContext,
): Promise<MessageOutcome> {
  const { settings, counts, locks, layout, deadLetterFailures } = context;
  const content = parseQueueMessage(message.body, settings.sourceBucket);
  let outcome: MessageOutcome = 'done';
  if (content.kind === 'rejected') {
    await deadLetter(message, settings, content.reason);
    counts.deadLettered += 1;
    workflowMetrics.messageDeadLettered('rejected');
  } else if (content.kind === 'test-event') {
    counts.testEvents += 1;
  } else {
    let failure = deadLetterFailures ? keyProblem(content.objects, layout) : undefined;
    if (failure === undefined) {
      try {
        for (const object of content.objects) {
          const keys = outputKeys(object.key, layout);
          await locks.run(`${object.bucket}/${object.key}`, () =>
            processObject(object, settings, counts, keys),
          );
        }
      } catch (error) {
        if (!deadLetterFailures || failureScope(error) === 'system') throw error;
        failure = failureReason(error);
      }
    }
    if (failure !== undefined) {
      await deadLetter(message, settings, failure);
      counts.deadLettered += 1;
      workflowMetrics.messageDeadLettered('failed');
      outcome = 'failed';
    }
  }
  await aws.deleteMessage(settings.queueUrl, message.receiptHandle);
  counts.messages += 1;
  return outcome;
}

function keyProblem(objects: S3ObjectRef[], layout: OutputLayout): string | undefined {
  return objects.map((object) => outputKeyProblem(object.key, layout)).find(Boolean);
}

/** Keeps a message that must not be processed, with the reason, for a human to look at. */
function deadLetter(message: ReceivedMessage, settings: BatchSettings, reason: string): Promise<void> {
  log.warn('message sent to the dead-letter queue', { messageId: message.messageId, reason });
  return aws.sendToDeadLetterQueue({
    deadLetterQueueUrl: settings.deadLetterQueueUrl,
    body: message.body,
    reason,
    originalMessageId: message.messageId,
  });
}

/**
 * Runs recorded before this patch counted every image Rekognition could not read as skipped, without
 * asking S3 whether it was gone: replay keeps that.
 */
const TELL_GONE_FROM_UNREADABLE = 'tell-gone-from-unreadable';

/** Histories recorded before the outcome was renamed hold `missing` for `unreadable`. */
type RecordedDetectOutcome = DetectOutcome | { outcome: 'missing'; message: string };

/**
 * One announced object: labelled, copied and deleted as that version (or that eTag), so an upload
 * that lands under the same key meanwhile is left for its own event, and no version is deleted
 * unlabelled. The outputs record which one was labelled.
 */
async function processObject(
  source: S3ObjectRef,
  settings: BatchSettings,
  counts: BatchCounts,
  keys: OutputKeys,
): Promise<void> {
  const announced = {
    bucket: source.bucket,
    key: source.key,
    versionId: source.versionId,
    eTag: source.eTag,
  };
  const verdict: RecordedDetectOutcome = await detect(source, settings);
  if (verdict.outcome === 'unreadable' || verdict.outcome === 'missing') {
    await failUnlessGone(announced, verdict.message);
    counts.skipped += 1;
    imageOutcome(source, 'skipped', { reason: 'gone before it was labelled' });
    return;
  }
  const provenance = {
    source: { ...announced, sequencer: source.sequencer },
    projectVersionArn: settings.projectVersionArn,
  };
  const copyImageTo = (key: string) => aws.copyObject(announced, { bucket: settings.resultsBucket, key });
  if (verdict.outcome === 'labelled') {
    if (!(await copyImageTo(keys.processedImage))) {
      counts.skipped += 1;
      imageOutcome(source, 'skipped', { reason: 'gone before it was copied' });
      return;
    }
    await aws.putJson(
      { bucket: settings.resultsBucket, key: keys.labels },
      { ...provenance, minConfidence: settings.minConfidence ?? null, customLabels: verdict.labels },
    );
    counts.processed += 1;
    imageOutcome(source, 'labelled', { labels: verdict.labels.length });
  } else {
    if (!(await copyImageTo(keys.failedImage))) {
      counts.skipped += 1;
      imageOutcome(source, 'skipped', { reason: 'gone before it was copied' });
      return;
    }
    await aws.putJson(
      { bucket: settings.resultsBucket, key: keys.failure },
      { ...provenance, reason: verdict.reason, message: verdict.message },
    );
    counts.failed += 1;
    counts.failedByReason[verdict.reason] = (counts.failedByReason[verdict.reason] ?? 0) + 1;
    imageOutcome(source, 'rejected', { reason: verdict.reason });
  }
  await aws.deleteObject(announced);
}

/** One log line and one metric per image: the SDK adds workflowId and runId to the line, and drops both on replay. */
function imageOutcome(
  source: S3ObjectRef,
  outcome: 'labelled' | 'rejected' | 'skipped',
  detail: { labels?: number; reason?: string },
): void {
  log.info(`image ${outcome}`, { key: source.key, versionId: source.versionId, outcome, ...detail });
  if (outcome === 'labelled') workflowMetrics.imageProcessed();
  else if (outcome === 'rejected') workflowMetrics.imageFailed(detail.reason ?? 'unknown');
  else workflowMetrics.imageSkipped();
}

function detect(source: S3ObjectRef, settings: BatchSettings): Promise<RecordedDetectOutcome> {
  return modelInference(settings.detectTaskQueue).detectCustomLabels({
    projectVersionArn: settings.projectVersionArn,
    bucket: source.bucket,
    key: source.key,
    versionId: source.versionId,
    minConfidence: settings.minConfidence,
  });
}

/**
 * Rekognition could not read the image: skipping is right only when it is gone. One that exists is
 * out of Rekognition's reach (a bucket policy, a lost permission, a KMS key) and so would be every
 * other image: the batch stops and every unprocessed message stays queued.
 */
async function failUnlessGone(object: AnnouncedObject, detectMessage: string): Promise<void> {
  if (!patched(TELL_GONE_FROM_UNREADABLE) || !(await aws.sourceObjectExists(object))) return;
  const read = object.versionId ? 's3:GetObject and s3:GetObjectVersion' : 's3:GetObject';
  throw ApplicationFailure.nonRetryable(
    `Rekognition could not read ${describeObject(object)}, which exists (${detectMessage}): grant the caller of DetectCustomLabels ${read} on it (and kms:Decrypt on the bucket's KMS key if it has one), then run the batch again`,
    'SourceObjectUnreadable',
  );
}
