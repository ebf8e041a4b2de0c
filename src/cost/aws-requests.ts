import type { History } from '@temporalio/common/lib/proto-utils';

/** How AWS bills one call: SQS per request, S3 by request class, others not per request. */
export type RequestClass = 'sqs' | 's3-write' | 's3-read' | 's3-delete' | 'not-per-request';

/**
 * What each activity's one AWS call is billed as. Rekognition's calls are not priced per request: the
 * model bills by inference-unit hour, and Describe/Start/Stop and tagging are free.
 */
export const ACTIVITY_REQUEST_CLASS: Readonly<Record<string, RequestClass>> = {
  countQueuedMessages: 'sqs', // GetQueueAttributes
  receiveMessages: 'sqs',
  extendVisibility: 'sqs', // ChangeMessageVisibility
  deleteMessage: 'sqs',
  deleteMessages: 'sqs', // DeleteMessageBatch: one request for up to 10 messages
  sendToDeadLetterQueue: 'sqs', // SendMessage
  putJson: 's3-write', // PutObject
  copyObject: 's3-write', // CopyObject
  sourceObjectExists: 's3-read', // HeadObject
  deleteObject: 's3-delete',
  detectCustomLabels: 'not-per-request',
  describeModel: 'not-per-request',
  startModel: 'not-per-request',
  stopModel: 'not-per-request',
  modelStartedBy: 'not-per-request',
  markModelStartedBy: 'not-per-request',
  clearModelStartedBy: 'not-per-request',
};

export interface AwsRequests {
  sqs: number;
  s3Writes: number;
  s3Reads: number;
  s3Deletes: number;
  /** Calls (attempts) per activity type, local activities included. */
  byActivity: Record<string, number>;
  /** Activity types this table does not know: their calls are in byActivity but priced nowhere. */
  unclassified: string[];
}

type HistoryEvent = NonNullable<History['events']>[number];

// The TypeScript SDK's core names its local-activity markers so, and records what ran in `data`.
const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

/**
 * Counts the AWS requests a batch's activities made, from its histories (runs and child workflows): each
 * attempt of an activity is one call. A normal activity's attempts are the `attempt` on its started
 * event (written when it closed); a local activity's are the `attempt` in its marker's data.
 */
export function countAwsRequests(histories: readonly History[]): AwsRequests {
  const byActivity: Record<string, number> = {};
  const add = (type: string, attempts: number) => {
    byActivity[type] = (byActivity[type] ?? 0) + attempts;
  };
  for (const history of histories) {
    const typeOf = new Map<string, string>();
    for (const event of history.events ?? []) {
      const scheduled = event.activityTaskScheduledEventAttributes;
      if (scheduled) typeOf.set(String(event.eventId), scheduled.activityType?.name ?? '?');
      const started = event.activityTaskStartedEventAttributes;
      if (started) add(typeOf.get(String(started.scheduledEventId)) ?? '?', started.attempt ?? 1);
      const local = localActivityOf(event);
      if (local) add(local.type, local.attempt);
    }
  }
  const requests: AwsRequests = {
    sqs: 0,
    s3Writes: 0,
    s3Reads: 0,
    s3Deletes: 0,
    byActivity,
    unclassified: [],
  };
  for (const [type, calls] of Object.entries(byActivity)) {
    const requestClass = ACTIVITY_REQUEST_CLASS[type];
    if (requestClass === 'sqs') requests.sqs += calls;
    else if (requestClass === 's3-write') requests.s3Writes += calls;
    else if (requestClass === 's3-read') requests.s3Reads += calls;
    else if (requestClass === 's3-delete') requests.s3Deletes += calls;
    else if (requestClass === undefined) requests.unclassified.push(type);
  }
  return requests;
}

/** The local activity a MarkerRecorded event records (its type and attempt), if it is one. */
export function localActivityOf(event: HistoryEvent): { type: string; attempt: number } | undefined {
  const marker = event.markerRecordedEventAttributes;
  if (marker?.markerName !== LOCAL_ACTIVITY_MARKER) return undefined;
  const data = marker.details?.data?.payloads?.[0]?.data;
  if (!data) return undefined;
  const parsed = JSON.parse(Buffer.from(data).toString('utf8')) as {
    activity_type?: string;
    attempt?: number;
  };
  return { type: parsed.activity_type ?? '?', attempt: parsed.attempt ?? 1 };
}
