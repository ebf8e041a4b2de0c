/**
 * The pipeline's queues, queue policy and bucket notification as plain data, with no AWS SDK: both
 * `provision` (the local stack) and the CDK app in infra/ build their resources from these, so the two
 * cannot describe them differently. What only real AWS has (encryption, versioning, TLS-only and
 * public-access settings, alarms) is defined once, in infra/.
 */

const DAY_SECONDS = 86_400;

/** Deliveries of one message before SQS moves it to the dead-letter queue. */
export const DEFAULT_MAX_RECEIVE_COUNT = 5;
export const IMAGE_QUEUE_RETENTION_SECONDS = 4 * DAY_SECONDS;
/**
 * The maximum. A standard queue keeps a message's original enqueue time when it moves to the
 * dead-letter queue, so the dead-letter retention must outlast the main queue's to leave time to look.
 */
export const DEAD_LETTER_RETENTION_SECONDS = 14 * DAY_SECONDS;

/** Names this pipeline's entry among the bucket's notifications, so re-runs replace it and leave others alone. */
export const NOTIFICATION_ID = 'custom-labels-batch';
/**
 * Every new object, whatever its key: content, not the name, decides what is an image (the replaced
 * system's .png/.jpg suffix filters never queued .jpeg or .JPG).
 */
export const OBJECT_CREATED_EVENT = 's3:ObjectCreated:*';

export interface RedrivePolicy {
  deadLetterTargetArn: string;
  maxReceiveCount: number;
}

export function redrivePolicy(deadLetterQueueArn: string, maxReceiveCount: number): RedrivePolicy {
  return { deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount };
}

/**
 * The queue policy that lets S3 deliver the source bucket's events, and nothing else: only the S3
 * service, only SendMessage, only for that bucket, and only from `account` when given (so a bucket of
 * the same name re-created in another account after deletion cannot send).
 */
export function sourceBucketSendPolicyDocument(resources: {
  queueArn: string;
  sourceBucketArn: string;
  account?: string;
}) {
  const { queueArn, sourceBucketArn, account } = resources;
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SourceBucketEvents',
        Effect: 'Allow',
        Principal: { Service: 's3.amazonaws.com' },
        Action: 'sqs:SendMessage',
        Resource: queueArn,
        Condition: {
          ArnEquals: { 'aws:SourceArn': sourceBucketArn },
          ...(account !== undefined && { StringEquals: { 'aws:SourceAccount': account } }),
        },
      },
    ],
  };
}
