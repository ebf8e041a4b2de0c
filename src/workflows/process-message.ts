import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { describeObject, type AnnouncedObject } from '../announced-object';
import type { DetectOutcome, ReceivedMessage } from '../activities';
import { aws, modelInference } from './activity-proxies';
import type { BatchCounts, BatchSettings } from './batch-types';
import { failedImageKey, failureKey, labelsKey, processedImageKey } from './output-keys';
import { parseQueueMessage, type S3ObjectRef } from './s3-event';

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

/**
 * One queue message, start to end. The message is deleted last, only after every output is written:
 * a crash anywhere before leaves it queued, and redoing the steps overwrites the same objects.
 */
export async function processMessage(
  message: ReceivedMessage,
  settings: BatchSettings,
  counts: BatchCounts,
  locks: ObjectLocks,
): Promise<void> {
  const content = parseQueueMessage(message.body, settings.sourceBucket);
  if (content.kind === 'rejected') {
    log.warn('message sent to the dead-letter queue', {
      messageId: message.messageId,
      reason: content.reason,
    });
    await aws.sendToDeadLetterQueue({
      deadLetterQueueUrl: settings.deadLetterQueueUrl,
      body: message.body,
      reason: content.reason,
      originalMessageId: message.messageId,
    });
    counts.deadLettered += 1;
  } else if (content.kind === 'test-event') {
    counts.testEvents += 1;
  } else {
    for (const object of content.objects) {
      await locks.run(`${object.bucket}/${object.key}`, () => processObject(object, settings, counts));
    }
  }
  await aws.deleteMessage(settings.queueUrl, message.receiptHandle);
  counts.messages += 1;
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
    return;
  }
  const provenance = {
    source: { ...announced, sequencer: source.sequencer },
    projectVersionArn: settings.projectVersionArn,
  };
  const copyImageTo = (key: string) => aws.copyObject(announced, { bucket: settings.resultsBucket, key });
  if (verdict.outcome === 'labelled') {
    if (!(await copyImageTo(processedImageKey(source)))) {
      counts.skipped += 1;
      return;
    }
    await aws.putJson(
      { bucket: settings.resultsBucket, key: labelsKey(source) },
      { ...provenance, minConfidence: settings.minConfidence ?? null, customLabels: verdict.labels },
    );
    counts.processed += 1;
  } else {
    if (!(await copyImageTo(failedImageKey(source)))) {
      counts.skipped += 1;
      return;
    }
    await aws.putJson(
      { bucket: settings.resultsBucket, key: failureKey(source) },
      { ...provenance, reason: verdict.reason, message: verdict.message },
    );
    counts.failed += 1;
    counts.failedByReason[verdict.reason] = (counts.failedByReason[verdict.reason] ?? 0) + 1;
  }
  await aws.deleteObject(announced);
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
