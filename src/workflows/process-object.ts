import { ApplicationFailure, log, patched } from '@temporalio/workflow';
import { describeObject, type AnnouncedObject } from '../announced-object';
import type { DetectOutcome } from '../activities';
import { modelInference, type AwsCalls } from './activity-proxies';
import type { BatchSettings } from './batch-types';
import type { OutputKeys } from './output-keys';
import type { MessageContext } from './process-message';
import type { WriteTurn } from './ready-flush';
import type { S3ObjectRef } from './s3-event';
import { workflowMetrics } from '../observability/workflow-metrics';

/**
 * Runs recorded before this patch counted every image Rekognition could not read as skipped, without
 * asking S3 whether it was gone: replay keeps that.
 */
const TELL_GONE_FROM_UNREADABLE = 'tell-gone-from-unreadable';

/** Histories recorded before the outcome was renamed hold `missing` for `unreadable`. */
export type RecordedDetectOutcome = DetectOutcome | { outcome: 'missing'; message: string };

/**
 * One announced object: labelled, copied and deleted as that version (or that eTag), so an upload
 * that lands under the same key meanwhile is left for its own event, and no version is deleted
 * unlabelled. The outputs record which one was labelled. With a `turn`, everything after the detection
 * waits for the object's group (see ReadyFlush); without, runs recorded before go on at once.
 */
export async function processObject(
  source: S3ObjectRef,
  { settings, counts, calls }: MessageContext,
  keys: OutputKeys,
  turn: WriteTurn | undefined,
): Promise<void> {
  const announced = {
    bucket: source.bucket,
    key: source.key,
    versionId: source.versionId,
    eTag: source.eTag,
  };
  const verdict: RecordedDetectOutcome = await (turn
    ? turn.detect(() => detect(source, settings))
    : detect(source, settings));
  if (turn) await turn.ready();
  if (verdict.outcome === 'unreadable' || verdict.outcome === 'missing') {
    await failUnlessGone(announced, verdict.message, calls);
    counts.skipped += 1;
    imageOutcome(source, 'skipped', { reason: 'gone before it was labelled' });
    return;
  }
  const provenance = {
    source: { ...announced, sequencer: source.sequencer },
    projectVersionArn: settings.projectVersionArn,
  };
  const copyImageTo = (key: string) => calls.copyObject(announced, { bucket: settings.resultsBucket, key });
  // The source is gone: skipped, unless its document is in the results. With local calls an attempt
  // whose workflow task was lost (a worker killed) may have moved the image already: a local activity's
  // end is recorded only with its task. Written inline: an extra await would change older runs' replay.
  const movedBefore = (document: string) =>
    calls.resultExists({ bucket: settings.resultsBucket, key: document });
  if (verdict.outcome === 'labelled') {
    const copied = await copyImageTo(keys.processedImage);
    if (!copied && !(turn && (await movedBefore(keys.labels)))) {
      counts.skipped += 1;
      imageOutcome(source, 'skipped', { reason: 'gone before it was copied' });
      return;
    }
    if (copied)
      await calls.putJson(
        { bucket: settings.resultsBucket, key: keys.labels },
        { ...provenance, minConfidence: settings.minConfidence ?? null, customLabels: verdict.labels },
      );
    counts.processed += 1;
    imageOutcome(source, 'labelled', { labels: verdict.labels.length });
  } else {
    const copied = await copyImageTo(keys.failedImage);
    if (!copied && !(turn && (await movedBefore(keys.failure)))) {
      counts.skipped += 1;
      imageOutcome(source, 'skipped', { reason: 'gone before it was copied' });
      return;
    }
    if (copied)
      await calls.putJson(
        { bucket: settings.resultsBucket, key: keys.failure },
        { ...provenance, reason: verdict.reason, message: verdict.message },
      );
    counts.failed += 1;
    counts.failedByReason[verdict.reason] = (counts.failedByReason[verdict.reason] ?? 0) + 1;
    imageOutcome(source, 'rejected', { reason: verdict.reason });
  }
  await calls.deleteObject(announced);
}

/** One log line and one metric per image: the SDK adds workflowId and runId to the line, and drops both on replay. */
export function imageOutcome(
  source: S3ObjectRef,
  outcome: 'labelled' | 'rejected' | 'skipped',
  detail: { labels?: number; reason?: string },
): void {
  log.info(`image ${outcome}`, { key: source.key, versionId: source.versionId, outcome, ...detail });
  if (outcome === 'labelled') workflowMetrics.imageProcessed();
  else if (outcome === 'rejected') workflowMetrics.imageFailed(detail.reason ?? 'unknown');
  else workflowMetrics.imageSkipped();
}

export function detect(source: S3ObjectRef, settings: BatchSettings): Promise<RecordedDetectOutcome> {
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
export async function failUnlessGone(
  object: AnnouncedObject,
  detectMessage: string,
  calls: AwsCalls,
): Promise<void> {
  if (!patched(TELL_GONE_FROM_UNREADABLE) || !(await calls.sourceObjectExists(object))) return;
  const read = object.versionId ? 's3:GetObject and s3:GetObjectVersion' : 's3:GetObject';
  throw ApplicationFailure.nonRetryable(
    `Rekognition could not read ${describeObject(object)}, which exists (${detectMessage}): grant the caller of DetectCustomLabels ${read} on it (and kms:Decrypt on the bucket's KMS key if it has one), then run the batch again`,
    'SourceObjectUnreadable',
  );
}
