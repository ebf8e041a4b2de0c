import { metricMeter } from '@temporalio/workflow';
import { METRIC } from './metric-names';

/**
 * Metrics emitted from workflow code. The SDK drops them while a workflow replays, so each outcome is
 * counted once however often its history is replayed; they issue no command, so recorded histories
 * replay unchanged. The SDK tags them with namespace, task queue and workflow type. Made per call: the
 * workflow meter may only be used inside a workflow, not as its module loads, and making one is cheap.
 */
function count(name: string, description: string, tags?: Record<string, string>): void {
  metricMeter.createCounter(name, undefined, description).add(1, tags);
}

/** A float histogram: per-batch values, whose `_sum` is the total. */
export function recordSeconds(name: string, description: string, value: number): void {
  metricMeter.createHistogram(name, 'float', undefined, description).record(Math.max(0, value));
}

export type DeadLetterCause = 'rejected' | 'failed';

export const workflowMetrics = {
  imageProcessed: () => count(METRIC.imagesProcessed, 'images labelled'),
  imageFailed: (reason: string) =>
    count(METRIC.imagesFailed, 'images the model rejected, by reason (its error name)', { reason }),
  imageSkipped: () => count(METRIC.imagesSkipped, 'images gone before they were processed'),
  messageDeadLettered: (cause: DeadLetterCause) =>
    count(
      METRIC.messagesDeadLettered,
      'messages sent to the dead-letter queue; cause: rejected (not an event for the source bucket) or failed',
      { cause },
    ),
  queuedAtStart: (messages: number) =>
    metricMeter
      .createHistogram(METRIC.messagesQueuedAtStart, 'int', undefined, 'messages queued when a batch began')
      .record(messages),
  batchEnded: (outcome: 'completed' | 'failed' | 'cancelled') =>
    count(METRIC.batches, 'batches ended, by outcome (a continue-as-new is not an end)', { outcome }),
};
