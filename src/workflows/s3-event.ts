import type { AnnouncedObject } from '../announced-object';

/** One object named by an S3 event notification, its key already URL-decoded. */
export interface S3ObjectRef extends AnnouncedObject {
  /** S3's order of the events of one key: recorded with the results, to tell which upload they describe. */
  sequencer?: string;
}

export type QueueMessageContent =
  { kind: 'test-event' } | { kind: 'objects'; objects: S3ObjectRef[] } | { kind: 'rejected'; reason: string };

/**
 * Reads an SQS message body as an S3 event notification. The queue is not trusted: anything that is
 * not an object-created event for the configured source bucket is rejected with a reason.
 */
export function parseQueueMessage(body: string, sourceBucket: string): QueueMessageContent {
  let event: unknown;
  try {
    event = JSON.parse(body);
  } catch {
    return {
      kind: 'rejected',
      reason: 'The message body is not JSON, so it is not an S3 event notification.',
    };
  }
  if (!isObject(event))
    return { kind: 'rejected', reason: 'The message body is not an S3 event notification object.' };
  if (event.Event === 's3:TestEvent') return { kind: 'test-event' };
  if (!Array.isArray(event.Records) || event.Records.length === 0) {
    return { kind: 'rejected', reason: 'The message has no Records: it is not an S3 event notification.' };
  }
  const objects: S3ObjectRef[] = [];
  for (const [index, record] of (event.Records as unknown[]).entries()) {
    const parsed = parseRecord(record, sourceBucket);
    if (typeof parsed === 'string') return { kind: 'rejected', reason: `Record ${index}: ${parsed}` };
    objects.push(parsed);
  }
  return { kind: 'objects', objects };
}

function parseRecord(record: unknown, sourceBucket: string): S3ObjectRef | string {
  if (!isObject(record) || record.eventSource !== 'aws:s3' || !isObject(record.s3)) {
    return 'not an S3 event record (eventSource must be "aws:s3").';
  }
  if (typeof record.eventName !== 'string' || !record.eventName.startsWith('ObjectCreated:')) {
    return `event ${JSON.stringify(record.eventName)} is not an ObjectCreated event.`;
  }
  const { bucket, object } = record.s3;
  if (
    !isObject(bucket) ||
    typeof bucket.name !== 'string' ||
    !isObject(object) ||
    typeof object.key !== 'string'
  ) {
    return 'the record lacks s3.bucket.name or s3.object.key.';
  }
  if (bucket.name !== sourceBucket) {
    return `bucket "${bucket.name}" is not the configured source bucket "${sourceBucket}"; events from other buckets are never processed.`;
  }
  const key = decodeObjectKey(object.key);
  if (key === undefined) return `object key ${JSON.stringify(object.key)} is not valid URL encoding.`;
  return {
    bucket: bucket.name,
    key,
    eTag: optionalText(object.eTag),
    versionId: optionalText(object.versionId),
    sequencer: optionalText(object.sequencer),
  };
}

function optionalText(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** S3 event keys are form-URL-encoded: space → `+`, everything else `%XX`. */
export function decodeObjectKey(encoded: string): string | undefined {
  try {
    return decodeURIComponent(encoded.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
