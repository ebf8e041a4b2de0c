import type { QueueAttributes } from './queues';

const DAY_SECONDS = 86_400;
const IMAGE_QUEUE_RETENTION_SECONDS = 4 * DAY_SECONDS;
/**
 * The maximum. A standard queue keeps a message's original enqueue time when it moves to the
 * dead-letter queue, so the dead-letter retention must outlast the main queue's to leave time to look.
 */
const DEAD_LETTER_RETENTION_SECONDS = 14 * DAY_SECONDS;

export function deadLetterQueueAttributes(): QueueAttributes {
  return { MessageRetentionPeriod: String(DEAD_LETTER_RETENTION_SECONDS) };
}

export function imageQueueAttributes(settings: {
  visibilityTimeoutSeconds: number;
  deadLetterQueueArn: string;
  maxReceiveCount: number;
}): QueueAttributes {
  return {
    VisibilityTimeout: String(settings.visibilityTimeoutSeconds),
    MessageRetentionPeriod: String(IMAGE_QUEUE_RETENTION_SECONDS),
    RedrivePolicy: JSON.stringify({
      deadLetterTargetArn: settings.deadLetterQueueArn,
      maxReceiveCount: settings.maxReceiveCount,
    }),
  };
}
