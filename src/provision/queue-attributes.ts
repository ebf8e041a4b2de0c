import { DEAD_LETTER_RETENTION_SECONDS, IMAGE_QUEUE_RETENTION_SECONDS, redrivePolicy } from './definitions';
import type { QueueAttributes } from './queues';

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
    RedrivePolicy: JSON.stringify(redrivePolicy(settings.deadLetterQueueArn, settings.maxReceiveCount)),
  };
}
