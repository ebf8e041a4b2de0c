import type { ReceivedMessage } from '../activities';
import { aws } from './activity-proxies';
import type { BatchCounts, BatchSettings } from './batch-types';
import { failureReason, failureScope } from './failure-scope';
import { outputKeys, type OutputKeys, type OutputLayout } from './output-keys';
import { keyProblem, type MessageOutcome, type ObjectLocks } from './process-message';
import { detect, failUnlessGone, imageOutcome, type RecordedDetectOutcome } from './process-object';
import { parseQueueMessage, type S3ObjectRef } from './s3-event';
import type { MessageWritten, ObjectWrites } from './write-group-types';
import type { WriteGroups } from './write-groups';
import { rethrown } from './write-message';
import { workflowMetrics } from '../observability/workflow-metrics';

export interface GroupedMessageContext {
  settings: BatchSettings;
  counts: BatchCounts;
  locks: ObjectLocks;
  layout: OutputLayout;
  groups: WriteGroups;
}

/** A detection's verdict on an object that is to be written. */
type Written = Exclude<RecordedDetectOutcome, { outcome: 'unreadable' } | { outcome: 'missing' }>;

interface Detected {
  source: S3ObjectRef;
  verdict: Written;
}

/**
 * One queue message, when its S3/SQS calls run in write groups: its detections here (each an activity
 * on the rate-limited task queue), then everything else in its group's child workflow, the message's
 * delete last, only after every output is written or it went to the dead-letter queue. Objects are
 * locked from their detection to their group's end, so two events for one image never race.
 */
export async function processGroupedMessage(
  message: ReceivedMessage,
  context: GroupedMessageContext,
): Promise<MessageOutcome> {
  const { settings, counts, locks, layout } = context;
  const content = parseQueueMessage(message.body, settings.sourceBucket);
  if (content.kind === 'rejected') {
    await writeAndCount(message, [], content.reason, context);
    workflowMetrics.messageDeadLettered('rejected');
    return 'done';
  }
  if (content.kind === 'test-event') {
    counts.testEvents += 1;
    await writeAndCount(message, [], undefined, context);
    return 'done';
  }
  const problem = keyProblem(content.objects, layout);
  if (problem !== undefined) return failedUnlessDeleted(await writeAndCount(message, [], problem, context));
  const keys = content.objects.map((object) => `${object.bucket}/${object.key}`);
  return locks.runAll(keys, async () => {
    const detected: Detected[] = [];
    let failure: string | undefined;
    try {
      for (const source of content.objects) {
        const verdict = await context.groups.feeding(() => detect(source, settings));
        if (verdict.outcome === 'unreadable' || verdict.outcome === 'missing') {
          await failUnlessGone(source, verdict.message, aws);
          counts.skipped += 1;
          imageOutcome(source, 'skipped', { reason: 'gone before it was labelled' });
        } else detected.push({ source, verdict });
      }
    } catch (error) {
      if (failureScope(error) === 'system') throw error;
      failure = failureReason(error);
    }
    return failedUnlessDeleted(await writeAndCount(message, detected, failure, context));
  });
}

/** Hands the message to its write group and counts what the group did. Throws what left it queued. */
async function writeAndCount(
  message: ReceivedMessage,
  detected: Detected[],
  deadLetterReason: string | undefined,
  { settings, counts, layout, groups }: GroupedMessageContext,
): Promise<MessageWritten> {
  const written = await groups.write({
    messageId: message.messageId,
    receiptHandle: message.receiptHandle,
    body: message.body,
    objects: detected.map(({ source, verdict }) =>
      objectWrites(source, verdict, outputKeys(source.key, layout), settings),
    ),
    deadLetterReason,
  });
  written.objects.forEach((end, index) => countObject(detected[index], end, counts));
  if (written.end === 'left-queued') throw rethrown(written.failure);
  if (written.deadLetterReason !== undefined) counts.deadLettered += 1;
  counts.messages += 1;
  return written;
}

function failedUnlessDeleted(written: MessageWritten): MessageOutcome {
  if (written.end === 'deleted' && written.deadLetterReason !== undefined) {
    workflowMetrics.messageDeadLettered('failed');
    return 'failed';
  }
  return 'done';
}

/** Where a verdict's outputs go, and the document that records what was labelled. */
function objectWrites(
  source: S3ObjectRef,
  verdict: Written,
  keys: OutputKeys,
  settings: BatchSettings,
): ObjectWrites {
  const object = { bucket: source.bucket, key: source.key, versionId: source.versionId, eTag: source.eTag };
  const provenance = {
    source: { ...object, sequencer: source.sequencer },
    projectVersionArn: settings.projectVersionArn,
  };
  const labelled = verdict.outcome === 'labelled';
  return {
    object,
    image: { bucket: settings.resultsBucket, key: labelled ? keys.processedImage : keys.failedImage },
    document: { bucket: settings.resultsBucket, key: labelled ? keys.labels : keys.failure },
    content: labelled
      ? { ...provenance, minConfidence: settings.minConfidence ?? null, customLabels: verdict.labels }
      : { ...provenance, reason: verdict.reason, message: verdict.message },
  };
}

function countObject({ source, verdict }: Detected, end: 'written' | 'gone', counts: BatchCounts): void {
  if (end === 'gone') {
    counts.skipped += 1;
    imageOutcome(source, 'skipped', { reason: 'gone before it was copied' });
  } else if (verdict.outcome === 'labelled') {
    counts.processed += 1;
    imageOutcome(source, 'labelled', { labels: verdict.labels.length });
  } else {
    counts.failed += 1;
    counts.failedByReason[verdict.reason] = (counts.failedByReason[verdict.reason] ?? 0) + 1;
    imageOutcome(source, 'rejected', { reason: verdict.reason });
  }
}
