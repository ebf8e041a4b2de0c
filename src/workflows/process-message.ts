import { log } from '@temporalio/workflow';
import type { ReceivedMessage } from '../activities';
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

async function processObject(
  source: S3ObjectRef,
  settings: BatchSettings,
  counts: BatchCounts,
): Promise<void> {
  const sourceLocation = { bucket: source.bucket, key: source.key };
  const verdict = await modelInference(settings.detectTaskQueue).detectCustomLabels({
    projectVersionArn: settings.projectVersionArn,
    bucket: source.bucket,
    key: source.key,
    minConfidence: settings.minConfidence,
  });
  const provenance = {
    source: { bucket: source.bucket, key: source.key, eTag: source.eTag },
    projectVersionArn: settings.projectVersionArn,
  };
  const copyImageTo = (key: string) =>
    aws.copyObject(sourceLocation, { bucket: settings.resultsBucket, key });
  if (verdict.outcome === 'missing') {
    counts.skipped += 1;
    return;
  }
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
  await aws.deleteObject(sourceLocation);
}
