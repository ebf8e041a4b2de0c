import {
  GetObjectCommand,
  ListObjectVersionsCommand,
  paginateListObjectsV2,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** Every object in the bucket: key → ETag. */
export async function listObjects(s3: S3Client, bucket: string): Promise<Map<string, string>> {
  const objects = new Map<string, string>();
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) objects.set(object.Key!, object.ETag ?? '');
  }
  return objects;
}

/** Every version and delete marker left in a versioned bucket, as `key@versionId`. */
export async function listVersions(s3: S3Client, bucket: string): Promise<string[]> {
  const versions: string[] = [];
  let marker: { KeyMarker?: string; VersionIdMarker?: string } = {};
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, ...marker }));
    for (const entry of [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])]) {
      versions.push(`${entry.Key}@${entry.VersionId}`);
    }
    if (!page.IsTruncated) return versions.sort();
    marker = { KeyMarker: page.NextKeyMarker, VersionIdMarker: page.NextVersionIdMarker };
  }
}

export async function readJson(s3: S3Client, bucket: string, key: string): Promise<unknown> {
  const { Body } = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return JSON.parse(await Body!.transformToString()) as unknown;
}

export interface DeadLetter {
  body: string;
  reason: string;
  originalMessageId: string;
}

/** Takes every message out of the dead-letter queue (hidden for 10 minutes, so none is read twice). */
export async function drainDeadLetters(sqs: SQSClient, queueUrl: string): Promise<DeadLetter[]> {
  const letters: DeadLetter[] = [];
  for (;;) {
    const { Messages: messages = [] } = await sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 600,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['All'],
      }),
    );
    if (messages.length === 0) return letters;
    for (const message of messages) {
      letters.push({
        body: message.Body ?? '',
        reason: message.MessageAttributes?.RejectedReason?.StringValue ?? '(no RejectedReason)',
        // Moved here by the queue's redrive policy rather than by the pipeline: its own id then.
        originalMessageId:
          message.MessageAttributes?.OriginalMessageId?.StringValue ?? message.MessageId ?? '',
      });
    }
  }
}

/** Runs `work` over `items`, `concurrency` at a time. */
export async function forEachConcurrently<T>(
  items: T[],
  work: (item: T) => Promise<void>,
  concurrency = 8,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await work(items[next++]);
    }),
  );
}
