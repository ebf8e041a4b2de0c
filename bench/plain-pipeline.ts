import { DetectCustomLabelsCommand } from '@aws-sdk/client-rekognition';
import { ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { ActivityDeps } from '../src/activities';
import { ignoreError } from '../src/activities/aws-errors';
import { createQueueActivities } from '../src/activities/queue';
import { createStorageActivities } from '../src/activities/storage';
import type { Config } from '../src/config/config';
import { sqsSeconds } from '../src/sqs-seconds';
import { outputKeys } from '../src/workflows/output-keys';
import { parseQueueMessage } from '../src/workflows/s3-event';

export interface PlainRun {
  startedAt: number;
  /** When the last message was finished, as the pipeline's figure ends at its last DeleteMessage. */
  lastMessageDoneAt: number;
  messages: number;
  images: number;
}

/**
 * The no-orchestration baseline: a plain concurrent Node loop making the same AWS calls as the
 * pipeline (receive, DetectCustomLabels, copy, put the labels JSON, delete the source, delete the
 * message) with the same concurrency and the same receive rule (only as many messages as free slots,
 * stop when the queue counts empty); an event whose image is gone is skipped. No retries, no
 * durability: what Temporal adds is measured against this. Storage and queue calls are the activities' own functions; receive and detect are
 * written out, because the activities read their Temporal cancellation signal.
 */
export async function runPlainPipeline(clients: ActivityDeps, config: Config): Promise<PlainRun> {
  const storage = createStorageActivities(clients);
  const queue = createQueueActivities(clients);
  const visibilityTimeout = sqsSeconds(config.messageVisibilityTimeoutMs);
  let inFlight = 0;
  let images = 0;
  let messages = 0;
  let lastMessageDoneAt = Number.NaN;
  const failures: Error[] = [];
  const slotFreed: Array<() => void> = [];
  const waitForSlot = () => new Promise<void>((resolve) => slotFreed.push(resolve));

  async function processMessage(message: Message): Promise<void> {
    const content = parseQueueMessage(message.Body ?? '', config.sourceBucket);
    if (content.kind !== 'objects') throw new Error(`unexpected message in the benchmark: ${content.kind}`);
    for (const source of content.objects) {
      const location = { bucket: source.bucket, key: source.key };
      const labels = await clients.rekognition
        .send(
          new DetectCustomLabelsCommand({
            ProjectVersionArn: config.projectVersionArn,
            Image: { S3Object: { Bucket: source.bucket, Name: source.key } },
            MinConfidence: config.minConfidence,
          }),
        )
        .then(({ CustomLabels = [] }) => CustomLabels, ignoreError('InvalidS3ObjectException'));
      // As in the pipeline: the source is gone (an event delivered twice), nothing to do but delete the message.
      if (!labels) continue;
      const keys = outputKeys(source.key);
      await storage.copyObject(location, { bucket: config.resultsBucket, key: keys.processedImage });
      await storage.putJson(
        { bucket: config.resultsBucket, key: keys.labels },
        {
          source: { bucket: source.bucket, key: source.key, eTag: source.eTag },
          projectVersionArn: config.projectVersionArn,
          minConfidence: config.minConfidence ?? null,
          customLabels: labels,
        },
      );
      await storage.deleteObject(location);
      images += 1;
    }
    await queue.deleteMessage(config.queueUrl, message.ReceiptHandle ?? '');
    messages += 1;
    lastMessageDoneAt = Date.now();
  }

  const startedAt = Date.now();
  for (;;) {
    while (inFlight >= config.concurrency) await waitForSlot();
    if (failures.length > 0) throw failures[0];
    const { Messages: received = [] } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: config.queueUrl,
        MaxNumberOfMessages: Math.min(10, config.concurrency - inFlight),
        VisibilityTimeout: visibilityTimeout,
        WaitTimeSeconds: 1,
      }),
    );
    for (const message of received) {
      inFlight += 1;
      void processMessage(message)
        .catch((error: unknown) => {
          failures.push(error instanceof Error ? error : new Error(String(error)));
        })
        .finally(() => {
          inFlight -= 1;
          slotFreed.splice(0).forEach((resolve) => resolve());
        });
    }
    if (received.length > 0) continue;
    if (inFlight > 0) {
      await waitForSlot();
      continue;
    }
    if ((await queue.countQueuedMessages(config.queueUrl)).total === 0) break;
  }
  if (failures.length > 0) throw failures[0];
  return { startedAt, lastMessageDoneAt, messages, images };
}
